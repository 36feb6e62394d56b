/** Latency percentiles per circuit, computed in the demo from completed jobs' timings. */

export interface LatencySample {
  readonly circuitId: string;
  readonly totalMs: number;
  readonly proveMs: number;
  readonly at: number;
}

export interface CircuitLatency {
  readonly circuitId: string;
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly last: readonly number[];
}

/** Nearest-rank percentile (p in 0..100) of a non-empty list. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1]!;
}

export function latencyByCircuit(samples: readonly LatencySample[]): CircuitLatency[] {
  const groups = new Map<string, number[]>();
  for (const s of samples) groups.set(s.circuitId, [...(groups.get(s.circuitId) ?? []), s.totalMs]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }))
    .map(([circuitId, values]) => ({
      circuitId,
      count: values.length,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      p99: percentile(values, 99),
      last: values.slice(-24),
    }));
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "–";
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}
