// @vitest-environment node
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { ebslVariants } from "../../../src/lib/proof/ebsl/ebsl-plan.js";
import { ebslWarmInput } from "../../../src/lib/proof/ebsl/warm-input.js";
import { CIRCUITS } from "../client/fakes.js";

const variants = ebslVariants(CIRCUITS);

describe("ebslWarmInput", () => {
  it("is a fixed public example, the same every time, and undefined for a circuit that is not an EBSL variant", async () => {
    const a = await ebslWarmInput(variants, "ebsl-16", 600_000);
    expect(a).toBeDefined();
    expect(await ebslWarmInput(variants, "ebsl-16", 600_000)).toEqual(a);
    expect(await ebslWarmInput(variants, "not-ebsl", 600_000)).toBeUndefined();
  });

  it("is a statement circom's calculator accepts for the circuit (ebsl-16's wasm)", async () => {
    const input = (await ebslWarmInput(variants, "ebsl-16", 600_000)) as Record<string, unknown>;
    const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
    await snarkjs.wtns.calculate(input, readFileSync(new URL("../../../circuits/build/ebsl-16/ebsl-16.wasm", import.meta.url)), out);
    expect(out.data?.byteLength).toBeGreaterThan(0);
  });
});
