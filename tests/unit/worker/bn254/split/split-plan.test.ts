// How a split proof's MSMs are cut across threads: witness and H shares that balance the lead's H evaluations,
// ranges that cover every base exactly once whatever the rounding.
import { describe, expect, it } from "vitest";
import { fullWidthShape, proofCosts, witnessCost } from "../../../../../src/lib/proof/worker/bn254/split/split-cost.js";
import { countOf, cutRange, dealBlocks, gather, modelledFinish, leadStarts, planMismatch, planSlices, sharesFor, witnessShares } from "../../../../../src/lib/proof/worker/bn254/split/split-plan.js";

// The two synthetic circuits the plan was measured on (2^17): their header sizes, and the shape
// of the bit-heavy one's witness (all 0 or 1 but two values).
const BITS_17 = { nVars: 122_851, nPrivate: 120_961, domainSize: 131_072, nCoefs: 362_884 };
const FULL_17 = { nVars: 122_881, nPrivate: 122_880, domainSize: 131_072, nCoefs: 337_922 };
const BITS_SHAPE = { abOnes: 20_472, abLarge: 2, cOnes: 20_470, cLarge: 2 };
const makespan = (times: readonly number[]) => Math.max(...times);

describe("witnessShares", () => {
  it("one thread takes everything; shares sum to 1; the lead's witness time plus the H evaluations equals a helper's, or the lead has none", () => {
    expect(witnessShares(1, 0.5)).toEqual([1]);
    for (const t of [2, 3, 4, 8, 16, 64]) {
      for (const ratio of [0, 0.05, 0.09, 0.15, 0.5, 10]) {
        const shares = witnessShares(t, ratio);
        expect(shares).toHaveLength(t);
        expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        if (shares[0]! > 0) expect(ratio + shares[0]!).toBeCloseTo(shares[1]!, 12);
        else expect(ratio).toBeGreaterThanOrEqual(shares[1]!);
      }
    }
    expect(witnessShares(2, 0)).toEqual([0.5, 0.5]);
    expect(witnessShares(2, 10)).toEqual([0, 1]);
    expect(witnessShares(3, Number.POSITIVE_INFINITY)).toEqual([0, 0.5, 0.5]);
  });

  it("refuses a thread count that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => witnessShares(bad, 0.1)).toThrow(RangeError);
  });
});

describe("sharesFor", () => {
  it("splits the H MSM evenly and the witness MSMs by the H evaluations' cost", () => {
    for (const t of [2, 3, 8]) {
      const { h } = sharesFor(t, proofCosts(FULL_17, fullWidthShape(FULL_17)));
      for (const f of h) expect(f).toBeCloseTo(1 / t, 12);
    }
    // Bit-heavy: the witness MSMs are nearly free, the helpers take them all while the lead evaluates H.
    expect(sharesFor(2, proofCosts(BITS_17, BITS_SHAPE)).witness).toEqual([0, 1]);
    // Full-width: the lead's witness share is lighter by the evaluations, but not zero.
    const [lead, helper] = sharesFor(2, proofCosts(FULL_17, fullWidthShape(FULL_17))).witness;
    expect(lead!).toBeGreaterThan(0.4);
    expect(lead!).toBeLessThan(helper!);
  });

  it("every thread finishes at the same modelled time, bit-heavy or full-width, on 2 to 16 threads", () => {
    for (const [sizes, shape] of [[BITS_17, BITS_SHAPE], [FULL_17, fullWidthShape(FULL_17)]] as const) {
      const costs = proofCosts(sizes, shape);
      for (const t of [2, 3, 4, 16]) {
        const finish = modelledFinish(costs, sharesFor(t, costs));
        const lead = finish[0]!;
        // The lead is never later than the helpers (up to rounding), and where it has witness work they are level.
        for (const f of finish.slice(1)) expect(lead).toBeLessThanOrEqual(f * (1 + 1e-9));
        if (sharesFor(t, costs).witness[0]! > 0) for (const f of finish) expect(f).toBeCloseTo(lead, 6);
      }
    }
  });

  it("beats one set of fractions for every MSM on the bit-heavy circuit (the plan it replaced: the lead 42.5 % of each on 2 threads)", () => {
    const costs = proofCosts(BITS_17, BITS_SHAPE);
    const old = { witness: [0.425, 0.575], h: [0.425, 0.575] };
    const now = makespan(modelledFinish(costs, sharesFor(2, costs)));
    // The old plan left the helper waiting for its H range: about 10 % later by the model.
    expect(makespan(modelledFinish(costs, old))).toBeGreaterThan(1.05 * now);
    // And a split beats one thread by the model: E + W + H on one.
    expect(now).toBeLessThan(0.8 * (costs.evaluations + witnessCost(costs) + costs.h));
  });

  it("assuming a full-width witness costs a bit-heavy one little: the lead's witness work is cheap there", () => {
    const costs = proofCosts(BITS_17, BITS_SHAPE);
    const assumed = sharesFor(2, proofCosts(BITS_17, fullWidthShape(BITS_17)));
    expect(makespan(modelledFinish(costs, assumed))).toBeLessThan(1.03 * makespan(modelledFinish(costs, sharesFor(2, costs))));
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
    for (const [n, shares] of [[29474, witnessShares(2, 0.15)], [29474, witnessShares(3, 0.15)], [1000, [0, 1]], [100, [0.5, 0.5]], [0, [0.4, 0.6]], [70_000, witnessShares(8, 0.15)]] as const) {
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
    const [lead, helper] = dealBlocks(29474, witnessShares(2, 0.15), 256);
    for (const ranges of [lead!, helper!]) {
      expect(ranges[0]!.lo).toBeLessThan(29474 / 4);
      expect(ranges.at(-1)!.hi).toBeGreaterThan((3 * 29474) / 4);
    }
    // Half the signals costly, the other half free: each thread's costly count follows its share.
    const costly = (ranges: readonly { lo: number; hi: number }[]) => ranges.reduce((a, r) => a + Math.max(0, Math.min(r.hi, 14737) - r.lo), 0);
    const [f0, f1] = witnessShares(2, 0.15);
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
  it("deals the signals and the private signals by the witness shares, cuts the domain evenly", () => {
    const sizes = { nVars: 29474, nPrivate: 29000, domainSize: 32768, nCoefs: 90_000 };
    const plan = planSlices(sizes, 3);
    expect(plan).toHaveLength(3);
    expect(plan.map((p) => countOf(p.ab)).reduce((a, b) => a + b)).toBe(29474);
    expect(plan.map((p) => countOf(p.c)).reduce((a, b) => a + b)).toBe(29000);
    expect(plan.map((p) => countOf(p.h)).reduce((a, b) => a + b)).toBe(32768);
    const [lead, one, two] = plan;
    for (const p of [lead!, one!]) expect(Math.abs(countOf(p.h) - countOf(two!.h))).toBeLessThanOrEqual(1);
    // Without a witness the plan assumes a full-width one: the lead takes a lighter, non-zero witness share.
    const shares = sharesFor(3, proofCosts(sizes, fullWidthShape(sizes))).witness;
    expect(countOf(lead!.ab)).toBeGreaterThan(0);
    expect(countOf(lead!.ab)).toBeLessThan(countOf(one!.ab));
    expect(Math.abs(countOf(lead!.ab) - 29474 * shares[0]!)).toBeLessThanOrEqual(257);
    // H: one contiguous range each; the signals: dealt blocks.
    for (const p of plan) expect(p.h).toHaveLength(1);
    expect(one!.ab.length).toBeGreaterThan(10);
  });

  it("for a bit-heavy witness leaves the lead no witness range", () => {
    const plan = planSlices(BITS_17, 2, BITS_SHAPE);
    expect(countOf(plan[0]!.ab)).toBe(0);
    expect(countOf(plan[0]!.c)).toBe(0);
    expect(countOf(plan[1]!.ab)).toBe(BITS_17.nVars);
    expect(countOf(plan[0]!.h)).toBe(BITS_17.domainSize / 2);
  });
});

describe("planMismatch", () => {
  it("is 1 for the shape a plan was made for, and larger the worse the plan fits the witness seen", () => {
    const full = fullWidthShape(BITS_17);
    for (const t of [2, 4]) {
      expect(planMismatch(BITS_17, t, full, full)).toBeCloseTo(1, 12);
      expect(planMismatch(BITS_17, t, BITS_SHAPE, BITS_SHAPE)).toBeCloseTo(1, 12);
    }
    // A bit-heavy plan for a full-width witness: the helpers get all the witness MSMs, the lead none.
    expect(planMismatch(BITS_17, 2, BITS_SHAPE, full)).toBeGreaterThan(1.5);
    // Between the two (a tenth of the values large, a third ones), a full-width plan gives the lead
    // witness work beyond the helpers': worth a re-plan.
    const middle = { abOnes: 40_000, abLarge: 6_000, cOnes: 40_000, cLarge: 6_000 };
    expect(planMismatch(BITS_17, 2, full, middle)).toBeGreaterThan(1.1);
    expect(planMismatch(BITS_17, 2, middle, middle)).toBeCloseTo(1, 12);
  });
});

describe("leadStarts", () => {
  it("puts the lead's MSMs in order after its H evaluations, within the proof's modelled time", () => {
    for (const [sizes, shape] of [[BITS_17, BITS_SHAPE], [FULL_17, fullWidthShape(FULL_17)]] as const) {
      const costs = proofCosts(sizes, shape);
      const shares = sharesFor(2, costs);
      const starts = leadStarts(costs, shares);
      const order = [starts.A, starts.B1, starts.B2, starts.C, starts.H];
      for (let i = 1; i < order.length; i++) expect(order[i]!).toBeGreaterThanOrEqual(order[i - 1]!);
      expect(starts.A).toBeCloseTo(costs.evaluations / Math.max(...modelledFinish(costs, shares)), 12);
      // The lead's H range is its last work: it ends at the proof's end.
      expect(starts.H + (shares.h[0]! * costs.h) / Math.max(...modelledFinish(costs, shares))).toBeCloseTo(1, 9);
    }
    // Bit-heavy: no witness work on the lead, its H range starts as soon as the evaluations end.
    const bits = proofCosts(BITS_17, BITS_SHAPE);
    const starts = leadStarts(bits, sharesFor(2, bits));
    expect(starts.H).toBe(starts.A);
    expect(starts.A).toBeGreaterThan(0.4);
  });
});
