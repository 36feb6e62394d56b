/**
 * The data a metrics snapshot is made of: what the collector (metrics.ts) produces and the
 * Prometheus formatter (prometheus.ts) reads. Its own module so that neither imports the other's
 * module for its types. Types and one frozen list only.
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { MemoryUsage } from "./memory-probe.js";

export const DURATION_KINDS = ["queueWait", "download", "witness", "prove", "verify", "total"] as const;
export type DurationKind = (typeof DURATION_KINDS)[number];
export type JobOutcome = "success" | "failure" | "cancelled";

/** One finished job. No code means success. */
export interface JobRecord {
  readonly circuitId: string;
  readonly code?: ProofErrorCode;
  /** Milliseconds per stage the job went through. */
  readonly durations?: Partial<Record<DurationKind, number>>;
}

/** A window of samples summarised (nearest-rank percentiles, see metrics.ts). */
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

export interface DurationMetrics {
  /** Lifetime sample count and sum (Prometheus summary `_count`/`_sum`). */
  readonly count: number;
  readonly sumMs: number;
  /** Over the bounded window. */
  readonly window: SampleSummary;
}

export interface GroupMetrics {
  readonly total: number;
  readonly successes: number;
  readonly failures: number;
  readonly cancelled: number;
  readonly failuresByCode: Readonly<Partial<Record<ProofErrorCode, number>>>;
  readonly durations: Readonly<Partial<Record<DurationKind, DurationMetrics>>>;
}

export interface MetricsSnapshot {
  /** Wall-clock epoch ms of the snapshot. */
  readonly at: number;
  readonly overall: GroupMetrics;
  readonly circuits: Readonly<Record<string, GroupMetrics>>;
  readonly memory?: MemoryUsage;
}

