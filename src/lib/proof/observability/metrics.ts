/**
 * Proof metrics per circuit and overall: job counts by outcome, failures by code, and duration
 * windows (queue wait, download, witness, prove, verify, total) with p50/p95/p99. Windows are
 * ring buffers (default 500 samples) so memory is bounded.
 *
 * Percentiles use the nearest-rank method: for n sorted samples the p-th percentile
 * (0 < p <= 100) is the sample at 1-based rank ceil(p/100 · n); p = 0 gives the minimum.
 * It always returns an observed value (no interpolation), which is what a latency report should
 * show, and it is what the brute-force test recomputes.
 *
 * Durations are sampled from successful jobs only: a failed job's partial timings (a prove cut
 * short by a timeout) would drag the percentiles and the ETA prediction toward nonsense.
 * Cancelled jobs are their own outcome and are also counted under failuresByCode.CANCELLED.
 */
import { systemClock, type Clock } from "../core/clock.js";
import type { ProofErrorCode } from "../core/errors.js";
import { writable, type Readable, type Writable } from "../core/store.js";
import { defaultMemoryProbe, type MemoryProbe } from "./memory-probe.js";
import { toPrometheusText } from "./prometheus.js";
import { DURATION_KINDS, type DurationKind, type DurationMetrics, type GroupMetrics, type JobRecord, type MetricsSnapshot, type SampleSummary } from "./metrics-snapshot.js";

export { DURATION_KINDS } from "./metrics-snapshot.js";
export type { DurationKind, DurationMetrics, GroupMetrics, JobOutcome, JobRecord, MetricsSnapshot } from "./metrics-snapshot.js";

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

export interface Prediction {
  readonly expectedMs: number;
  /** 0..1, see `predict`. */
  readonly confidence: number;
  readonly samples: number;
}

export interface MetricsOptions {
  /** Samples kept per circuit and duration kind (an integer >= 1), resolved by the facade's options. */
  readonly windowSize: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Memory source; `null` disables memory reporting. @default defaultMemoryProbe */
  readonly memoryProbe?: MemoryProbe | null;
}

class Group {
  total = 0;
  successes = 0;
  failures = 0;
  cancelled = 0;
  readonly byCode = new Map<ProofErrorCode, number>();
  readonly windows = new Map<DurationKind, { buffer: RingBuffer; count: number; sum: number }>();

  constructor(readonly windowSize: number) {}

  add(record: JobRecord): void {
    this.total++;
    if (record.code === undefined) this.successes++;
    else {
      if (record.code === "CANCELLED") this.cancelled++;
      else this.failures++;
      this.byCode.set(record.code, (this.byCode.get(record.code) ?? 0) + 1);
      return;
    }
    for (const kind of DURATION_KINDS) {
      const ms = record.durations?.[kind];
      if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) continue;
      let w = this.windows.get(kind);
      if (!w) this.windows.set(kind, (w = { buffer: new RingBuffer(this.windowSize), count: 0, sum: 0 }));
      w.buffer.push(ms);
      w.count++;
      w.sum += ms;
    }
  }

  snapshot(): GroupMetrics {
    const durations: Partial<Record<DurationKind, DurationMetrics>> = {};
    for (const kind of DURATION_KINDS) {
      const w = this.windows.get(kind);
      const window = w && summarize(w.buffer.values());
      if (w && window) durations[kind] = { count: w.count, sumMs: w.sum, window };
    }
    return {
      total: this.total,
      successes: this.successes,
      failures: this.failures,
      cancelled: this.cancelled,
      failuresByCode: Object.fromEntries([...this.byCode].sort(([a], [b]) => a.localeCompare(b))),
      durations,
    };
  }
}

/**
 * Collects job metrics. @example
 * metrics.record({ circuitId: "ebsl-16", durations: { prove: 2900, total: 3400 } });
 * metrics.predict("ebsl-16") // { expectedMs: 3400, confidence: 0.2, samples: 1 }
 */
export class ProofMetrics {
  readonly windowSize: number;
  readonly #clock: Clock;
  readonly #probe: MemoryProbe | null;
  #overall: Group;
  readonly #circuits = new Map<string, Group>();
  #listening = false;
  readonly #store: Writable<MetricsSnapshot | undefined>;

  constructor(options: MetricsOptions) {
    const size = options.windowSize;
    this.windowSize = size;
    this.#clock = options.clock ?? systemClock;
    this.#probe = options.memoryProbe === undefined ? defaultMemoryProbe : options.memoryProbe;
    this.#overall = new Group(size);
    // Snapshots sort every window: only build them while someone is subscribed.
    this.#store = writable<MetricsSnapshot | undefined>(undefined, (set) => {
      this.#listening = true;
      set(this.snapshot());
      return () => {
        this.#listening = false;
      };
    });
  }

  /** Count one finished job. */
  record(record: JobRecord): void {
    let group = this.#circuits.get(record.circuitId);
    if (!group) this.#circuits.set(record.circuitId, (group = new Group(this.windowSize)));
    group.add(record);
    this.#overall.add(record);
    if (this.#listening) this.#store.set(this.snapshot());
  }

  /**
   * Expected duration of the next job on a circuit: the median `total` of its window.
   * `confidence = n/(n+4) · 1/(1+cv)` with n the sample count and cv = stddev/mean (coefficient
   * of variation): few samples or widely spread ones both lower it; 1 sample gives at most 0.2,
   * 20 samples within ±10% give about 0.76. Null without history.
   */
  predict(circuitId: string): Prediction | null {
    const w = this.#circuits.get(circuitId)?.windows.get("total");
    const s = w && summarize(w.buffer.values());
    if (!s) return null;
    const cv = s.mean > 0 ? s.stddev / s.mean : 0;
    const confidence = (s.count / (s.count + 4)) * (1 / (1 + cv));
    return { expectedMs: s.p50, confidence: Math.min(1, Math.max(0, confidence)), samples: s.count };
  }

  /**
   * The expected total milliseconds of a request for `circuitId` (the prediction's p50), or
   * undefined without history: the request registry's duration port, handed to it as it is.
   */
  readonly expectedMs = (circuitId: string): number | undefined => this.predict(circuitId)?.expectedMs;

  /** Plain-JSON snapshot of everything. */
  snapshot(): MetricsSnapshot {
    const circuits: Record<string, GroupMetrics> = {};
    for (const id of [...this.#circuits.keys()].sort()) circuits[id] = this.#circuits.get(id)!.snapshot();
    const memory = this.#probe?.();
    const base = { at: this.#clock.wallNow(), overall: this.#overall.snapshot(), circuits };
    return memory ? { ...base, memory } : base;
  }

  /** Svelte store contract: runs with a fresh snapshot now and after every record. */
  subscribe(run: (snapshot: MetricsSnapshot) => void): () => void {
    return this.#store.subscribe((value) => {
      if (value) run(value);
    });
  }

  get store(): Readable<MetricsSnapshot> {
    return { subscribe: (run) => this.subscribe(run) };
  }

  /** Prometheus text exposition (version 0.0.4) of a fresh snapshot; see prometheus.ts. */
  toPrometheus(): string {
    return toPrometheusText(this.snapshot());
  }

  reset(): void {
    this.#overall = new Group(this.windowSize);
    this.#circuits.clear();
    if (this.#listening) this.#store.set(this.snapshot());
  }
}
