// How a split proof's MSMs are cut across threads: shares that balance the lead's H evaluations,
// ranges that cover every base exactly once whatever the rounding.
import { describe, expect, it } from "vitest";
import { cutRange, H_EVALUATIONS_SHARE, planSlices, shareOfThreads } from "../../../../src/lib/proof/engine/bn254/split-plan.js";

describe("shareOfThreads", () => {
  it("one thread takes everything; shares sum to 1; the lead takes less by the H evaluations", () => {
    expect(shareOfThreads(1)).toEqual([1]);
    for (const t of [2, 3, 4, 8, 16, 64]) {
      const shares = shareOfThreads(t);
      expect(shares).toHaveLength(t);
      expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(shares[0]!).toBeLessThan(shares[1]!);
      // The lead's time (H evaluations + its share of the MSMs) equals a helper's, or the lead has no MSM share at all.
      if (shares[0]! > 0) expect(H_EVALUATIONS_SHARE + shares[0]!).toBeCloseTo(shares[1]!, 12);
      else expect(H_EVALUATIONS_SHARE).toBeGreaterThanOrEqual(shares[1]!);
    }
    expect(shareOfThreads(2, 0)).toEqual([0.5, 0.5]);
  });

  it("refuses a thread count that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => shareOfThreads(bad)).toThrow(RangeError);
  });
});

describe("cutRange", () => {
  it("covers 0..n once, in order, for awkward sizes and shares", () => {
    for (const n of [0, 1, 2, 7, 1000, 29474]) {
      for (const shares of [[1], [0.425, 0.575], [0, 0.5, 0.5], [0.1, 0.3, 0.3, 0.3], Array(7).fill(1 / 7)]) {
        const ranges = cutRange(n, shares);
        expect(ranges).toHaveLength(shares.length);
        expect(ranges[0]!.lo).toBe(0);
        expect(ranges.at(-1)!.hi).toBe(n);
        for (const [i, r] of ranges.entries()) {
          expect(r.hi).toBeGreaterThanOrEqual(r.lo);
          if (i > 0) expect(r.lo).toBe(ranges[i - 1]!.hi);
        }
      }
    }
  });

  it("gives each thread about its share", () => {
    const [a, b] = cutRange(10_000, [0.425, 0.575]);
    expect(a).toEqual({ lo: 0, hi: 4250 });
    expect(b).toEqual({ lo: 4250, hi: 10_000 });
    expect(cutRange(10, [0, 1])).toEqual([{ lo: 0, hi: 0 }, { lo: 0, hi: 10 }]);
  });
});

describe("planSlices", () => {
  it("cuts the signals, the private signals and the domain by the same shares", () => {
    const plan = planSlices({ nVars: 29474, nPrivate: 29000, domainSize: 32768 }, 3);
    expect(plan).toHaveLength(3);
    expect(plan.map((p) => p.ab.hi - p.ab.lo).reduce((a, b) => a + b)).toBe(29474);
    expect(plan.map((p) => p.c.hi - p.c.lo).reduce((a, b) => a + b)).toBe(29000);
    expect(plan.map((p) => p.h.hi - p.h.lo).reduce((a, b) => a + b)).toBe(32768);
    const [lead, one, two] = plan;
    expect(lead!.h.hi - lead!.h.lo).toBeLessThan(one!.h.hi - one!.h.lo);
    expect(Math.abs(one!.h.hi - one!.h.lo - (two!.h.hi - two!.h.lo))).toBeLessThanOrEqual(1);
  });
});
