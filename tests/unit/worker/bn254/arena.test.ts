// @vitest-environment node
// The arena's kept region and wipe (native/bn254/arena.c): what bn_keep kept survives bn_reset
// and bn_wipe; everything any call used above it, including scratch that a call allocated and
// released inside wasm (h_poly's transforms), is zero after bn_wipe. The prover wipes after
// every proof so the witness and r, s do not stay in its memory.
import { describe, expect, it } from "vitest";
import { loadWasm, leBytes } from "./bn254-harness.js";
import { alloc } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";
import { outOfMemory } from "../../../../src/lib/proof/worker/bn254/prover/groth16-proof.js";

describe("bn_keep / bn_wipe", () => {
  it("keeps the kept region, zeroes every byte used above it", async () => {
    const { exports: e } = await loadWasm();
    const mem = () => new Uint8Array(e.memory.buffer);
    e.bn_reset();
    const kept = alloc(e, 4096);
    mem().fill(0xab, kept, kept + 4096);
    e.bn_keep();
    const floor = kept + 4096;
    // a witness-like pattern in host-written scratch, then a call whose internal scratch
    // (released before it returns) holds values derived from it
    const n = 64;
    const w = alloc(e, 32 * n);
    for (let i = 0; i < n; i++) mem().set(leBytes(BigInt(i * 1_000_003 + 7)), w + 32 * i);
    const coefs = alloc(e, 44);
    const dv = new DataView(e.memory.buffer);
    dv.setUint32(coefs, 0, true), dv.setUint32(coefs + 4, 3, true), dv.setUint32(coefs + 8, 5, true);
    mem().set(leBytes(12345n), coefs + 12);
    const out = alloc(e, 32 * 64);
    expect(e.h_poly(out, coefs, 1, w, n, 6)).toBe(0);
    const end = mem().length;
    const usedBefore = mem().subarray(floor, end).some((b) => b !== 0);
    expect(usedBefore).toBe(true);
    e.bn_wipe();
    expect(mem().subarray(floor, end).every((b) => b === 0)).toBe(true);
    expect(mem().subarray(kept, kept + 4096).every((b) => b === 0xab)).toBe(true);
    // the next allocation starts at the floor again
    expect(alloc(e, 64)).toBeLessThan(floor + 64);
  });
});

describe("allocation sizes", () => {
  it("a size of 4 GiB or more is refused by name (it would wrap to a small allocation in wasm32), and the prover reports it as RESOURCE_EXHAUSTED", async () => {
    const { exports: e } = await loadWasm();
    e.bn_reset();
    const before = e.memory.buffer.byteLength;
    expect(() => alloc(e, 2 ** 32 + 64, "the C and H bases")).toThrow(/the C and H bases needs 4294967360 bytes, more than a wasm32 memory can address/);
    expect(() => alloc(e, 2 ** 53, "the witness")).toThrow(/the witness needs/);
    expect(() => alloc(e, -1)).toThrow(RangeError);
    expect(e.memory.buffer.byteLength).toBe(before); // nothing was allocated or grown
    const caught = (() => {
      try {
        outOfMemory(() => alloc(e, 5 * 2 ** 30, "the A bases"));
      } catch (error) {
        return error;
      }
    })();
    expect(caught).toMatchObject({ code: "RESOURCE_EXHAUSTED" });
    expect(String((caught as Error).message)).toMatch(/the A bases/);
    // The C side takes counts times sizes in 64 bits: an MSM over more bases than it handles reports memory, not a wrapped size.
    expect(e.g1_msm(alloc(e, 64), 0, 0, 2 ** 24 + 1, 0, 0)).toBe(1);
  });
});
