import { describe, expect, it } from "vitest";
import { nearestRank, RingBuffer, summarize } from "../../../src/lib/proof/observability/percentiles.js";
import { seededFloats } from "../cache/trust-fixtures.js";

/** Brute force nearest rank: the smallest sample x such that at least p% of samples are <= x. */
function bruteForce(samples: number[], p: number): number {
  const candidates = [...new Set(samples)].sort((a, b) => a - b);
  for (const x of candidates) {
    const atOrBelow = samples.filter((s) => s <= x).length;
    if (atOrBelow * 100 >= p * samples.length) return x;
  }
  throw new Error("unreachable");
}

describe("nearestRank", () => {
  it("matches the textbook example", () => {
    const sorted = [15, 20, 35, 40, 50];
    expect(nearestRank(sorted, 5)).toBe(15);
    expect(nearestRank(sorted, 30)).toBe(20);
    expect(nearestRank(sorted, 40)).toBe(20);
    expect(nearestRank(sorted, 50)).toBe(35);
    expect(nearestRank(sorted, 100)).toBe(50);
    expect(nearestRank(sorted, 0)).toBe(15);
    expect(nearestRank([], 50)).toBeUndefined();
    expect(() => nearestRank(sorted, 101)).toThrow(RangeError);
  });

  it("equals a brute-force computation over random data", () => {
    const rand = seededFloats(99);
    for (let trial = 0; trial < 120; trial++) {
      const n = 1 + Math.floor(rand() * 700);
      // Few distinct values in some trials so ties are exercised.
      const samples = Array.from({ length: n }, () => (trial % 3 === 0 ? Math.floor(rand() * 10) : rand() * 5000));
      const s = summarize(samples)!;
      expect([s.p50, s.p95, s.p99]).toEqual([bruteForce(samples, 50), bruteForce(samples, 95), bruteForce(samples, 99)]);
      expect(s.min).toBe(Math.min(...samples));
      expect(s.max).toBe(Math.max(...samples));
      expect(s.count).toBe(n);
    }
  });

  it("summarize gives mean and population stddev", () => {
    expect(summarize([2, 4, 4, 4, 5, 5, 7, 9])).toMatchObject({ mean: 5, stddev: 2, p50: 4 });
    expect(summarize([])).toBeUndefined();
  });
});

describe("RingBuffer", () => {
  it("keeps the newest `capacity` samples in order", () => {
    const ring = new RingBuffer(3);
    expect(ring.values()).toEqual([]);
    for (const x of [1, 2]) ring.push(x);
    expect(ring.values()).toEqual([1, 2]);
    for (const x of [3, 4, 5]) ring.push(x);
    expect(ring.values()).toEqual([3, 4, 5]);
    expect(ring.size).toBe(3);
    ring.clear();
    expect(ring.values()).toEqual([]);
  });
});
