// The split's cost model: a witness's shape counted from its bytes, and one proof's parts
// modelled from the zkey's sizes and that shape, against what was measured on one thread.
import { describe, expect, it } from "vitest";
import { fullWidthShape, proofCosts, witnessCost, witnessShapeOf } from "../../../../../src/lib/proof/worker/bn254/split/split-cost.js";

/** 32-byte little-endian values. */
function values(list: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(32 * list.length);
  list.forEach((v, i) => {
    for (let b = 0; b < 32; b++, v >>= 8n) out[32 * i + b] = Number(v & 0xffn);
  });
  return out;
}

describe("witnessShapeOf", () => {
  it("counts ones and large values over the signals and over the private signals (after signal nPublic)", () => {
    // Signal 0 (always 1), 2 public, then private: 0, 1, 2, 2^200, 1, 0, 256.
    const w = values([1n, 5n, 0n, 0n, 1n, 2n, 1n << 200n, 1n, 0n, 256n]);
    expect(witnessShapeOf(w, 2)).toEqual({ abOnes: 3, abLarge: 4, cOnes: 2, cLarge: 3 });
    expect(witnessShapeOf(w, 9)).toEqual({ abOnes: 3, abLarge: 4, cOnes: 0, cLarge: 0 });
    expect(witnessShapeOf(new Uint8Array(0), 0)).toEqual({ abOnes: 0, abLarge: 0, cOnes: 0, cLarge: 0 });
    // Values at an offset that is not a multiple of 4 (read byte by byte): the same counts.
    const shifted = new Uint8Array(w.byteLength + 1);
    shifted.set(w, 1);
    expect(witnessShapeOf(shifted.subarray(1), 2)).toEqual({ abOnes: 3, abLarge: 4, cOnes: 2, cLarge: 3 });
  });
});

describe("proofCosts", () => {
  const BITS_17 = { nVars: 122_851, nPrivate: 120_961, domainSize: 131_072, nCoefs: 362_884 };
  const FULL_17 = { nVars: 122_881, nPrivate: 122_880, domainSize: 131_072, nCoefs: 337_922 };

  it("is within a fifth of what one thread measured at 2^17 (H evaluations 470 ms, H MSM 1210, witness MSMs 5200 full-width and 48 bit-heavy)", () => {
    const full = proofCosts(FULL_17, fullWidthShape(FULL_17));
    const bits = proofCosts(BITS_17, { abOnes: 20_472, abLarge: 2, cOnes: 20_470, cLarge: 2 });
    // Modelled microseconds against measured milliseconds.
    const near = (model: number, measuredMs: number) => expect(Math.abs(model / 1000 / measuredMs - 1)).toBeLessThan(0.2);
    near(full.evaluations, 470);
    near(full.h, 1210);
    near(witnessCost(full), 5200);
    near(witnessCost(bits), 48);
    expect(Math.abs(full.b2 / full.b1 / (2400 / 820) - 1)).toBeLessThan(0.2);
  });

  it("costs a witness MSM by its large values once 1/8 of them are 0 or 1, by all of them below that", () => {
    const sizes = { nVars: 80_000, nPrivate: 80_000, domainSize: 131_072, nCoefs: 0 };
    const all = proofCosts(sizes, fullWidthShape(sizes)).a;
    const mostlyLarge = proofCosts(sizes, { abOnes: 0, abLarge: 75_000, cOnes: 0, cLarge: 0 }).a;
    const eighthSmall = proofCosts(sizes, { abOnes: 0, abLarge: 70_000, cOnes: 0, cLarge: 0 }).a;
    expect(mostlyLarge).toBe(all);
    expect(eighthSmall).toBeLessThan(0.9 * all);
    // A one costs far less than a large value.
    expect(proofCosts(sizes, { abOnes: 10_000, abLarge: 0, cOnes: 0, cLarge: 0 }).a).toBeLessThan(proofCosts(sizes, { abOnes: 0, abLarge: 10_000, cOnes: 0, cLarge: 0 }).a / 10);
  });
});
