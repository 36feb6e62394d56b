/**
 * Every request's state, in one place: its record, the one reducer that changes it, and the
 * registry that holds the records and their store views. `getRequestStatus`, the jobs store,
 * each job's store and the caller's `onProgress` events all come out of this reducer, so they
 * can never disagree.
 *
 * The invariants live here and nowhere else: progress never decreases within a request (across
 * retries and fallbacks too), 100 is reserved for the checked result, and a finished request
 * (COMPLETED, FAILED, CANCELLED) never changes again.
 *
 * Each attempt maps the prover's own 0..100 onto [where the bar stood when the attempt
 * started, 99]: a retry keeps the bar where it was and moves on from there instead of jumping
 * back. Finished records are kept up to a bound (oldest dropped first) so a long-lived page does
 * not grow without limit; active records are never dropped.
 */
import type { ProofErrorCode } from "../core/errors.js";
import { derived, writable, type Readable } from "../core/store.js";
import type { ProvePhase, ProveProgress } from "../engine/types.js";
import type { ProofPriority } from "./priority-queue.js";
import { ProofStatus } from "./request-types.js";
import type { Clock } from "../core/clock.js";
import type { PipelineStage, ProgressEvent } from "./request-types.js";

/** Statuses after which a request never changes again: the reducer retires it. */
const TERMINAL_STATUSES: ReadonlySet<ProofStatus> = new Set<ProofStatus>([ProofStatus.COMPLETED, ProofStatus.FAILED, ProofStatus.CANCELLED]);

/** True for COMPLETED, FAILED and CANCELLED: a request in one of them never changes again. */
export function isTerminalStatus(status: ProofStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

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

/** What happened to a request; the only way its record changes. */
export type RequestAction =
  | { readonly type: "queued" }
  /** The job runs: the input for `circuitId` is being prepared, before its first attempt. */
  | { readonly type: "preparing"; readonly circuitId: string }
  /** An attempt (1-based, counted across variants) of `circuitId` begins. */
  | { readonly type: "attempt"; readonly circuitId: string; readonly attempt: number }
  /** A progress report of the prover for the current attempt. */
  | { readonly type: "prover"; readonly report: ProveProgress }
  /** The current attempt failed and another (same or smaller circuit) follows. */
  | { readonly type: "retrying" }
  | { readonly type: "done" }
  | { readonly type: "failed" | "cancelled"; readonly code: ProofErrorCode };

/** Expected duration (ms) of one proof of `circuitId`, when history allows; the metrics seam. */
export type PredictionProvider = (circuitId: string) => number | undefined;

/** A record and what the reducer needs beyond it: where the bar stood when the attempt began. */
interface RequestState {
  readonly record: RequestRecord;
  readonly attemptBase: number;
}

const PROCESSING_START = 1;
const LAST_BEFORE_DONE = 99;

const STAGE_OF_PHASE: Readonly<Record<ProvePhase, PipelineStage>> = {
  starting: "starting",
  artifacts: "artifacts",
  witness: "witness",
  proving: "proving",
  verifying: "verifying",
  // The prover is done, the pipeline is still checking public signals.
  done: "verifying",
};

/** The fields an action sets, before the invariants are applied. `fraction`: share of the attempt done, for the estimate. */
type Step = Omit<ProgressEvent, "requestId" | "progress" | "estimatedRemainingMs" | "attempt"> & { progress: number; attempt?: number; fraction?: number };

function stepOf(state: RequestState, action: RequestAction): Step {
  const { record, attemptBase } = state;
  const running = { status: ProofStatus.PROCESSING } as const;
  switch (action.type) {
    case "queued":
      return { status: ProofStatus.QUEUED, stage: "queued", progress: 0 };
    case "preparing":
      return { ...running, stage: "selecting", circuitId: action.circuitId, progress: PROCESSING_START };
    case "attempt":
      return { ...running, stage: "selecting", circuitId: action.circuitId, attempt: action.attempt, progress: PROCESSING_START, fraction: 0 };
    case "prover": {
      const p = action.report;
      const fraction = Math.min(1, Math.max(0, Number.isFinite(p.percent) ? p.percent / 100 : 0));
      return {
        ...running,
        stage: STAGE_OF_PHASE[p.phase] ?? "proving",
        progress: attemptBase + (LAST_BEFORE_DONE - attemptBase) * fraction,
        fraction,
        ...(p.step !== undefined ? { step: p.step } : {}),
        ...(p.artifact ? { bytes: { loaded: p.artifact.loadedBytes, total: p.artifact.totalBytes }, artifact: p.artifact.artifact, source: p.artifact.source } : {}),
      };
    }
    case "retrying":
      return { ...running, stage: "retrying", progress: record.progress };
    case "done":
      return { status: ProofStatus.COMPLETED, stage: "done", progress: 100 };
    case "failed":
      return { status: ProofStatus.FAILED, stage: "failed", progress: record.progress, errorCode: action.code };
    case "cancelled":
      return { status: ProofStatus.CANCELLED, stage: "cancelled", progress: record.progress, errorCode: action.code };
  }
}

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0;
}

/**
 * Apply one action. Returns undefined for a finished request (it never changes again);
 * otherwise the next state (the same record object when nothing changed, so views can compare
 * by identity) and the event to report.
 */
export function reduceRequest(
  state: RequestState,
  action: RequestAction,
  context: { readonly wallNow: number; readonly expectedMs?: number | undefined },
): { state: RequestState; event: ProgressEvent } | undefined {
  const { record } = state;
  if (isTerminalStatus(record.status)) return undefined;
  const { fraction, bytes, artifact, source, attempt, progress: wanted, ...fields } = stepOf(state, action);
  const progress = Math.round(Math.max(record.progress, clampProgress(wanted)) * 100) / 100;
  const circuitId = fields.circuitId ?? record.circuitId;
  const expected = context.expectedMs;
  const known = expected !== undefined && Number.isFinite(expected) && expected >= 0;
  const eta = action.type === "done" ? 0 : fraction !== undefined && known ? Math.round(expected * (1 - fraction)) : undefined;
  const { estimatedRemainingMs: _dropped, ...rest } = record;
  const next: RequestRecord = {
    ...rest,
    ...fields,
    circuitId,
    progress,
    ...(attempt !== undefined ? { attempt } : {}),
    ...(eta !== undefined ? { estimatedRemainingMs: eta } : {}),
    ...(record.startedAt === undefined && fields.status === ProofStatus.PROCESSING ? { startedAt: context.wallNow } : {}),
    ...(isTerminalStatus(fields.status) ? { finishedAt: context.wallNow } : {}),
  };
  const event: ProgressEvent = {
    requestId: record.id,
    status: next.status,
    progress,
    stage: next.stage,
    ...(fields.step !== undefined ? { step: fields.step } : {}),
    ...(eta !== undefined ? { estimatedRemainingMs: eta } : {}),
    ...(next.attempt !== undefined ? { attempt: next.attempt } : {}),
    ...(bytes ? { bytes, artifact, source } : {}),
    ...(action.type !== "queued" ? { circuitId } : {}),
    ...(fields.errorCode !== undefined ? { errorCode: fields.errorCode } : {}),
  } as ProgressEvent;
  const attemptBase = action.type === "attempt" ? Math.max(record.progress, PROCESSING_START) : state.attemptBase;
  return { state: { record: sameRecord(record, next) ? record : next, attemptBase }, event };
}

function sameRecord(a: RequestRecord, b: RequestRecord): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof RequestRecord>;
  for (const k of keys) if (!Object.is(a[k], b[k])) return false;
  return true;
}

export interface RequestRegistryOptions {
  /** Finished records kept (and listed by the jobs store), resolved by the facade's options. */
  readonly maxFinished: number;
  /** Wall-clock time of records (`wallNow` is the only part used). */
  readonly clock: Pick<Clock, "wallNow">;
  /** Where remaining-time estimates come from; none without it. */
  readonly prediction?: PredictionProvider | undefined;
}

export class RequestRegistry {
  /** Insertion order is creation order: the jobs store lists them so. */
  readonly #states = new Map<string, RequestState>();
  readonly #finishedOrder: string[] = [];
  readonly #o: RequestRegistryOptions;
  readonly #maxFinished: number;
  readonly #list = writable<readonly RequestRecord[]>([]);
  /** All kept records, oldest first, as a store: a new array only when a record changed. */
  readonly jobs: Readable<readonly RequestRecord[]> = { subscribe: this.#list.subscribe };

  constructor(options: RequestRegistryOptions) {
    this.#o = options;
    this.#maxFinished = options.maxFinished;
  }

  /** A request just accepted: queued, nothing done. */
  add(request: NewRequest): RequestRecord {
    const record: RequestRecord = { ...request, status: ProofStatus.QUEUED, progress: 0, stage: "queued", createdAt: this.#o.clock.wallNow() };
    this.#states.set(record.id, { record, attemptBase: PROCESSING_START });
    this.#publish();
    return record;
  }

  get(id: string): RequestRecord | undefined {
    return this.#states.get(id)?.record;
  }

  /** Records not yet finished. */
  active(): RequestRecord[] {
    return [...this.#states.values()].map((s) => s.record).filter((r) => !isTerminalStatus(r.status));
  }

  /** One job's record as a store (`undefined` until it exists or after it was dropped); re-runs only when that record changes. */
  job(id: string): Readable<RequestRecord | undefined> {
    return derived(this.jobs, (list) => list.find((r) => r.id === id));
  }

  /** Apply `action` to request `id`; the event to report, or undefined (unknown or finished request). */
  dispatch(id: string, action: RequestAction): ProgressEvent | undefined {
    const current = this.#states.get(id);
    if (!current) return undefined;
    const reduced = reduceRequest(current, action, { wallNow: this.#o.clock.wallNow(), expectedMs: this.#expected(current.record, action) });
    if (!reduced) return undefined;
    this.#states.set(id, reduced.state);
    if (reduced.state.record !== current.record) {
      if (isTerminalStatus(reduced.state.record.status)) this.#retire(id);
      this.#publish();
    }
    return reduced.event;
  }

  /** A throwing or nonsensical prediction gives no estimate rather than breaking the request. */
  #expected(record: RequestRecord, action: RequestAction): number | undefined {
    if (!this.#o.prediction || (action.type !== "attempt" && action.type !== "prover")) return undefined;
    const circuitId = "circuitId" in action ? action.circuitId : record.circuitId;
    try {
      return this.#o.prediction(circuitId);
    } catch {
      return undefined;
    }
  }

  #retire(id: string): void {
    this.#finishedOrder.push(id);
    while (this.#finishedOrder.length > this.#maxFinished) {
      const oldest = this.#finishedOrder.shift();
      if (oldest !== undefined) this.#states.delete(oldest);
    }
  }

  #publish(): void {
    this.#list.set([...this.#states.values()].map((s) => s.record));
  }
}
