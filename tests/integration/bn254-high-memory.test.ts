// @vitest-environment node
// A circuit of 2^21 constraints fills more than 2 GiB of the prover's wasm memory, where a
// pointer no longer fits a signed 32-bit integer: a sign slip anywhere (JavaScript reading an
// i32 result, C comparing or scaling a signed offset) would corrupt or refuse the proof only on
// the biggest circuits, which CI cannot build. Here every bn254 instance first keeps 2.1 GiB of
// ballast, so the whole proof (decoded bases, H evaluations, MSM scratch, the constant-time
// blinding terms) lives above 2^31, and its bytes must equal those of an instance that starts
// at the bottom of its memory, for the same blinding scalars.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createBn254Proving } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { zkeyRef } from "../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { memoryBytes, type Bn254Exports } from "../../src/lib/proof/worker/bn254/bn254-wasm.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";

const BUILD = fileURLToPath(new URL("../../circuits/build/ebsl-16/", import.meta.url));
const BALLAST_BYTES = 2.1 * 2 ** 30;
const HALF = 2 ** 31;

afterEach(() => vi.restoreAllMocks());

describe("bn254 above 2 GiB of wasm memory", () => {
  it("proves the same bytes with every buffer above 2^31 as from the bottom of memory", async () => {
    const zkey = zkeyRef(new Uint8Array(readFileSync(`${BUILD}ebsl-16.zkey`)));
    const wtns = await witness(`${BUILD}ebsl-16.wasm`, ebslInput(16, 16));
    const reference = await createBn254Proving({ random: seededBytes(5) }).prove(zkey, wtns);

    const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (m: WebAssembly.Module, i?: WebAssembly.Imports) => Promise<WebAssembly.Instance>;
    const raised: Bn254Exports[] = [];
    vi.spyOn(WebAssembly, "instantiate").mockImplementation((async (module: WebAssembly.Module, imports?: WebAssembly.Imports) => {
      const instance = await instantiate(module, imports);
      const e = instance.exports as unknown as Bn254Exports;
      // Two kept allocations (each under 2^31, as any one buffer of a real proof is), so the
      // arena's floor, and everything the prover lays out later, sits above 2^31.
      for (const part of [BALLAST_BYTES / 2, BALLAST_BYTES / 2]) expect(e.bn_alloc(part) >>> 0).not.toBe(0);
      e.bn_keep();
      expect(e.bn_alloc(64) >>> 0).toBeGreaterThan(HALF);
      e.bn_reset();
      raised.push(e);
      return instance;
    }) as never);

    const high = await createBn254Proving({ random: seededBytes(5) }).prove(zkey, wtns);
    expect(raised).toHaveLength(1);
    expect(memoryBytes(raised[0]!)).toBeGreaterThan(BALLAST_BYTES);
    expect(high).toEqual(reference);
  }, 300_000);
});
