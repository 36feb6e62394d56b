/**
 * Proof metrics per circuit and overall: job counts by outcome, failures by code, and duration
 * windows (queue wait, download, witness, prove, verify, total) with nearest-rank p50/p95/p99
 * (see percentiles.ts). Windows are ring buffers (default 500 samples) so memory is bounded.
 *
 * Durations are sampled from successful jobs only: a failed job's partial timings (a prove cut
 * short by a timeout) would drag the percentiles and the ETA prediction toward nonsense.
 * Cancelled jobs are their own outcome and are also counted under failuresByCode.CANCELLED.
 */
import { systemClock, type Clock } from "../core/clock.js";
import type { ProofErrorCode } from "../core/errors.js";
import { writable, type Readable, type Writable } from "../core/store.js";
import { defaultMemoryProbe, type MemoryProbe } from "./memory-probe.js";
import { RingBuffer, summarize } from "./percentiles.js";
import { toPrometheusText } from "./prometheus.js";
import { DURATION_KINDS, type DurationKind, type DurationMetrics, type GroupMetrics, type JobRecord, type MetricsSnapshot } from "./metrics-snapshot.js";

export { DURATION_KINDS } from "./metrics-snapshot.js";
export type { DurationKind, DurationMetrics, GroupMetrics, JobOutcome, JobRecord, MetricsSnapshot } from "./metrics-snapshot.js";

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
