// The shipped bn254.wasm exports exactly what the prover calls (Bn254Exports), and the test
// build (native/bn254-test.wasm) those plus the single operations the differential tests and
// the dev-setup scripts use: adding an export to either is a decision this list records.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Bn254Exports } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";
import type { Bn254TestExports } from "./bn254-harness.js";

const SHIPPED = {
  memory: true,
  bn_reset: true,
  bn_wipe: true,
  bn_keep: true,
  bn_alloc: true,
  bn_g1_check: true,
  bn_g2_check: true,
  g1_mul_add_ct: true,
  g2_mul_add_ct: true,
  g1_msm: true,
  g2_msm: true,
  g1_decode: true,
  g2_decode: true,
  g1_msm_decoded: true,
  g2_msm_decoded: true,
  h_poly: true,
} as const satisfies Record<keyof Bn254Exports, true>;

const TEST_ONLY = {
  bn_stack_bound: true,
  fp_op: true,
  fr_op: true,
  fp_from_ff: true,
  fp_to_ff: true,
  fp_from_std: true,
  fp_to_std: true,
  fr_from_ff: true,
  fr_to_ff: true,
  fr_from_std: true,
  fr_to_std: true,
  g1_op: true,
  g1_batch_add: true,
  fp2_op: true,
  fp2_from_ff: true,
  fp2_to_ff: true,
  fr_fft: true,
} as const satisfies Record<Exclude<keyof Bn254TestExports, keyof Bn254Exports>, true>;

const exportsOf = (path: string) =>
  WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(new URL(path, import.meta.url))))
    .map((e) => e.name)
    .sort();

describe("bn254.wasm's exports", () => {
  it("the shipped module exports Bn254Exports and nothing else", () => {
    expect(exportsOf("../../../../src/lib/proof/worker/bn254/bn254.wasm")).toEqual(Object.keys(SHIPPED).sort());
  });

  it("the test build adds the single operations of Bn254TestExports", () => {
    expect(exportsOf("../../../../native/bn254-test.wasm")).toEqual([...Object.keys(SHIPPED), ...Object.keys(TEST_ONLY)].sort());
  });
});
