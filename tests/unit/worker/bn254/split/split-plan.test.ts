// How a split proof's MSMs are cut across threads: shares that balance the lead's H evaluations,
// ranges that cover every base exactly once whatever the rounding.
import { describe, expect, it } from "vitest";
import { countOf, cutRange, dealBlocks, gather, H_EVALUATIONS_SHARE, planSlices, shareOfThreads } from "../../../../../src/lib/proof/worker/bn254/split/split-plan.js";

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

describe("dealBlocks and gather", () => {
  it("deals every item exactly once, in increasing order per thread, each thread within one block of its share", () => {
    for (const [n, shares] of [[29474, shareOfThreads(2)], [29474, shareOfThreads(3)], [1000, [0, 1]], [100, [0.5, 0.5]], [0, [0.4, 0.6]], [70_000, shareOfThreads(8)]] as const) {
      const dealt = dealBlocks(n, shares, 256);
      const seen = new Uint8Array(n);
      for (const ranges of dealt) {
        for (const [i, r] of ranges.entries()) {
          expect(r.hi).toBeGreaterThan(r.lo);
          if (i > 0) expect(r.lo).toBeGreaterThan(ranges[i - 1]!.hi); // adjacent blocks are merged
          for (let x = r.lo; x < r.hi; x++) seen[x]! += 1;
        }
      }
      expect(seen.every((v) => v === 1)).toBe(true);
      const total = shares.reduce((a, b) => a + b, 0);
      dealt.forEach((ranges, k) => expect(Math.abs(countOf(ranges) - (n * shares[k]!) / total)).toBeLessThanOrEqual(256 + 1));
    }
  });

  it("gives every thread blocks from the start and the end of the signals (the costly values sit together)", () => {
    const [lead, helper] = dealBlocks(29474, shareOfThreads(2), 256);
    for (const ranges of [lead!, helper!]) {
      expect(ranges[0]!.lo).toBeLessThan(29474 / 4);
      expect(ranges.at(-1)!.hi).toBeGreaterThan((3 * 29474) / 4);
    }
    // Half the signals costly, the other half free: each thread's costly count follows its share.
    const costly = (ranges: readonly { lo: number; hi: number }[]) => ranges.reduce((a, r) => a + Math.max(0, Math.min(r.hi, 14737) - r.lo), 0);
    const [f0, f1] = shareOfThreads(2);
    expect(Math.abs(costly(lead!) - 14737 * f0!)).toBeLessThanOrEqual(512);
    expect(Math.abs(costly(helper!) - 14737 * f1!)).toBeLessThanOrEqual(512);
  });

  it("gather concatenates the ranges' items", () => {
    const bytes = Uint8Array.from({ length: 40 }, (_, i) => i);
    expect([...gather(bytes, [{ lo: 1, hi: 3 }, { lo: 7, hi: 8 }], 4)]).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 28, 29, 30, 31]);
    expect(gather(bytes, [], 4)).toEqual(new Uint8Array(0));
  });
});

describe("planSlices", () => {
  it("cuts the signals, the private signals and the domain by the same shares", () => {
    const plan = planSlices({ nVars: 29474, nPrivate: 29000, domainSize: 32768 }, 3);
    expect(plan).toHaveLength(3);
    expect(plan.map((p) => countOf(p.ab)).reduce((a, b) => a + b)).toBe(29474);
    expect(plan.map((p) => countOf(p.c)).reduce((a, b) => a + b)).toBe(29000);
    expect(plan.map((p) => countOf(p.h)).reduce((a, b) => a + b)).toBe(32768);
    const [lead, one, two] = plan;
    expect(countOf(lead!.h)).toBeLessThan(countOf(one!.h));
    expect(Math.abs(countOf(one!.h) - countOf(two!.h))).toBeLessThanOrEqual(1);
    expect(countOf(lead!.ab)).toBeLessThan(countOf(one!.ab));
    // H: one contiguous range each; the signals: dealt blocks.
    for (const p of plan) expect(p.h).toHaveLength(1);
    expect(one!.ab.length).toBeGreaterThan(10);
  });
});
