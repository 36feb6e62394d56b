/**
 * The state of one request and the one reducer that changes it. `getRequestStatus`, the jobs
 * store and each job's store are all views of these records, so they can never disagree.
 *
 * Two invariants live here and nowhere else: progress never decreases within a request, and a
 * finished request (COMPLETED, FAILED, CANCELLED) never changes again.
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { ProofPriority } from "./priority-queue.js";
import { isTerminalStatus, ProofStatus } from "./request-types.js";
import type { PipelineStage, ProgressEvent } from "./request-types.js";

/** One request as `getRequestStatus` and the jobs store report it. Holds no inputs. */
export interface RequestRecord {
  readonly id: string;
  /** The request kind, e.g. "exact" or "threshold". */
  readonly kind: string;
  readonly status: ProofStatus;
  /** 0..100, never decreasing. */
  readonly progress: number;
  readonly stage: PipelineStage;
  /** A finer step inside the stage, e.g. "multiexp B2". Never input values. */
  readonly step?: string;
  readonly priority: ProofPriority;
  /** The variant being (or last) proved; the planned one while queued. */
  readonly circuitId: string;
  readonly attempt?: number;
  readonly errorCode?: ProofErrorCode;
  /** Present only while history allows an estimate. */
  readonly estimatedRemainingMs?: number;
  /** Wall-clock epoch ms. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

/** A request as the UI sees it: the same record. */
export type JobSnapshot = RequestRecord;

export interface NewRequest {
  readonly id: string;
  readonly kind: string;
  readonly priority: ProofPriority;
  readonly circuitId: string;
}

/** The record of a request just accepted (queued, nothing done). */
export function initialRecord(request: NewRequest, wallNow: number): RequestRecord {
  return { ...request, status: ProofStatus.QUEUED, progress: 0, stage: "queued", createdAt: wallNow };
}

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0;
}

/**
 * Apply one progress event. Returns `record` itself when nothing changes (a finished request,
 * or an event that repeats the current state), so views can compare by identity.
 */
export function reduceRequest(record: RequestRecord, event: ProgressEvent, wallNow: number): RequestRecord {
  if (isTerminalStatus(record.status)) return record;
  const { estimatedRemainingMs: _dropped, ...rest } = record;
  const next: RequestRecord = {
    ...rest,
    status: event.status,
    stage: event.stage,
    progress: Math.max(record.progress, clampProgress(event.progress)),
    ...(event.step !== undefined ? { step: event.step } : {}),
    ...(event.circuitId !== undefined ? { circuitId: event.circuitId } : {}),
    ...(event.attempt !== undefined ? { attempt: event.attempt } : {}),
    ...(event.errorCode !== undefined ? { errorCode: event.errorCode } : {}),
    ...(event.estimatedRemainingMs !== undefined ? { estimatedRemainingMs: event.estimatedRemainingMs } : {}),
    ...(record.startedAt === undefined && event.status === ProofStatus.PROCESSING ? { startedAt: wallNow } : {}),
    ...(isTerminalStatus(event.status) ? { finishedAt: wallNow } : {}),
  };
  return sameRecord(record, next) ? record : next;
}

function sameRecord(a: RequestRecord, b: RequestRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof RequestRecord>;
  for (const k of keys) if (!Object.is(a[k], b[k])) return false;
  return true;
}
