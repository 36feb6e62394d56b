import { describe, expect, it } from "vitest";
import { nearestRank, ProofMetrics, RingBuffer, summarize, type MetricsSnapshot } from "../../../src/lib/proof/observability/metrics.js";
import { defaultMemoryProbe } from "../../../src/lib/proof/observability/memory-probe.js";
import { fakeClock, seededFloats } from "../cache/trust-fixtures.js";

const noMemory = { memoryProbe: null, clock: fakeClock(), windowSize: 500 } as const;

describe("ProofMetrics", () => {
  it("counts outcomes per circuit and overall, failures by code", () => {
    const m = new ProofMetrics(noMemory);
    m.record({ circuitId: "a", durations: { total: 100 } });
    m.record({ circuitId: "a", code: "TIMEOUT" });
    m.record({ circuitId: "a", code: "TIMEOUT" });
    m.record({ circuitId: "b", code: "CANCELLED" });
    m.record({ circuitId: "b", durations: { total: 50 } });
    const s = m.snapshot();
    expect(s.circuits.a).toMatchObject({ total: 3, successes: 1, failures: 2, cancelled: 0, failuresByCode: { TIMEOUT: 2 } });
    expect(s.circuits.b).toMatchObject({ total: 2, successes: 1, failures: 0, cancelled: 1, failuresByCode: { CANCELLED: 1 } });
    expect(s.overall).toMatchObject({ total: 5, successes: 2, failures: 2, cancelled: 1, failuresByCode: { CANCELLED: 1, TIMEOUT: 2 } });
    expect(s.overall.durations.total).toMatchObject({ count: 2, sumMs: 150, window: { p50: 50, p99: 100 } });
    expect(s.memory).toBeUndefined();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it("samples durations of successes only, over a bounded window", () => {
    const m = new ProofMetrics({ ...noMemory, windowSize: 4 });
    for (let i = 1; i <= 10; i++) m.record({ circuitId: "c", durations: { prove: i * 10, witness: 1, queueWait: -5 } });
    m.record({ circuitId: "c", code: "PROVING_FAILED", durations: { prove: 99999 } });
    const d = m.snapshot().circuits.c!.durations;
    expect(d.prove).toMatchObject({ count: 10, sumMs: 550, window: { count: 4, min: 70, max: 100, p50: 80 } });
    expect(d.witness?.window.p99).toBe(1);
    expect(d.queueWait).toBeUndefined();
    expect(d.verify).toBeUndefined();
  });

  it("predicts from history with the documented confidence formula", () => {
    const m = new ProofMetrics(noMemory);
    expect(m.predict("c")).toBeNull();
    m.record({ circuitId: "c", durations: { total: 3000 } });
    expect(m.predict("c")).toEqual({ expectedMs: 3000, confidence: 0.2, samples: 1 });
    for (const t of [2000, 4000, 3000]) m.record({ circuitId: "c", durations: { total: t } });
    // samples 3000, 2000, 4000, 3000: median (nearest rank) 3000, mean 3000, stddev √500000
    const p = m.predict("c")!;
    const cv = Math.sqrt(500_000) / 3000;
    expect(p.expectedMs).toBe(3000);
    expect(p.confidence).toBeCloseTo((4 / 8) * (1 / (1 + cv)), 12);
    // Steadier history earns more confidence than a noisy one of the same size.
    const steady = new ProofMetrics(noMemory);
    const noisy = new ProofMetrics(noMemory);
    for (let i = 0; i < 20; i++) {
      steady.record({ circuitId: "c", durations: { total: 1000 + (i % 2) } });
      noisy.record({ circuitId: "c", durations: { total: i % 2 ? 100 : 5000 } });
    }
    expect(steady.predict("c")!.confidence).toBeGreaterThan(0.8);
    expect(noisy.predict("c")!.confidence).toBeLessThan(steady.predict("c")!.confidence);
  });

  it("reports memory through the injected probe", () => {
    const m = new ProofMetrics({ clock: fakeClock(), windowSize: 500, memoryProbe: () => ({ usedBytes: 123, source: "custom" }) });
    expect(m.snapshot().memory).toEqual({ usedBytes: 123, source: "custom" });
    const node = defaultMemoryProbe();
    expect(node?.source).toBe("process.memoryUsage");
    expect(node!.usedBytes).toBeGreaterThan(0);
  });

  it("is a store: snapshot now and after every record, nothing after unsubscribe", () => {
    const m = new ProofMetrics(noMemory);
    const seen: MetricsSnapshot[] = [];
    const stop = m.subscribe((s) => seen.push(s));
    m.record({ circuitId: "a", durations: { total: 1 } });
    m.record({ circuitId: "a", code: "TIMEOUT" });
    stop();
    m.record({ circuitId: "a", code: "TIMEOUT" });
    expect(seen.map((s) => s.overall.total)).toEqual([0, 1, 2]);
    m.reset();
    expect(m.snapshot().overall.total).toBe(0);
  });
});

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
