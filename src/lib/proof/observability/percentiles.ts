/**
 * Bounded sample windows and their percentiles.
 *
 * Percentiles use the nearest-rank method: for n sorted samples the p-th percentile
 * (0 < p <= 100) is the sample at 1-based rank ceil(p/100 · n); p = 0 gives the minimum.
 * It always returns an observed value (no interpolation), which is what a latency report should
 * show, and it is what the brute-force test recomputes.
 */

/** Fixed-capacity ring buffer: pushing beyond capacity overwrites the oldest sample. */
export class RingBuffer {
  readonly capacity: number;
  readonly #data: Float64Array;
  #next = 0;
  #size = 0;

  /** `capacity`: an integer >= 1 (the metrics' `windowSize`, checked with the facade's options). */
  constructor(capacity: number) {
    this.capacity = capacity;
    this.#data = new Float64Array(capacity);
  }

  push(value: number): void {
    this.#data[this.#next] = value;
    this.#next = (this.#next + 1) % this.capacity;
    if (this.#size < this.capacity) this.#size++;
  }

  get size(): number {
    return this.#size;
  }

  /** Samples oldest first. */
  values(): number[] {
    const out = new Array<number>(this.#size);
    const start = this.#size < this.capacity ? 0 : this.#next;
    for (let i = 0; i < this.#size; i++) out[i] = this.#data[(start + i) % this.capacity]!;
    return out;
  }

  clear(): void {
    this.#next = 0;
    this.#size = 0;
  }
}

/** Nearest-rank percentile of ascending `sorted`; undefined when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in [0, 100], got ${String(p)}`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export interface SampleSummary {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** Population standard deviation. */
  readonly stddev: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** Summary of a sample set; undefined when empty. */
export function summarize(samples: readonly number[]): SampleSummary | undefined {
  const n = samples.length;
  if (n === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  let sum = 0;
  for (const x of sorted) sum += x;
  const mean = sum / n;
  let sq = 0;
  for (const x of sorted) sq += (x - mean) ** 2;
  return {
    count: n,
    min: sorted[0]!,
    max: sorted[n - 1]!,
    mean,
    stddev: Math.sqrt(sq / n),
    p50: nearestRank(sorted, 50)!,
    p95: nearestRank(sorted, 95)!,
    p99: nearestRank(sorted, 99)!,
  };
}
