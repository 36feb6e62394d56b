/**
 * Request records: what `getRequestStatus(id)` answers and what the jobs store shows. Holds
 * no inputs. Finished records are kept up to a bound (oldest dropped first) so a long-lived
 * page does not grow without limit; active records are never dropped.
 */
import type { ProofErrorCode } from "../core/errors.js";
import { isTerminalStatus, ProofStatus } from "./request-types.js";
import type { PipelineStage, ProgressEvent } from "./request-types.js";
import type { ProofPriority } from "./priority-queue.js";
import { createJobsStore } from "../core/store.js";
import type { JobsStore } from "../core/store.js";

/** One request as `getRequestStatus` reports it. */
export interface RequestRecord {
  readonly id: string;
  readonly kind: string;
  readonly status: ProofStatus;
  /** 0..100, never decreasing. */
  readonly progress: number;
  readonly stage: PipelineStage;
  readonly priority: ProofPriority;
  /** The variant being (or last) proved; the planned one while queued. */
  readonly circuitId: string;
  readonly attempt?: number;
  readonly errorCode?: ProofErrorCode;
  readonly estimatedRemainingMs?: number;
  /** Wall-clock epoch ms. */
  readonly createdAt: number;
  readonly startedAt?: number;
  readonly finishedAt?: number;
}

export interface RequestRegistryOptions {
  /** Finished records kept (also the jobs store's finished list). @default 100 */
  readonly maxFinished?: number;
  readonly wallNow: () => number;
}

export class RequestRegistry {
  readonly #records = new Map<string, RequestRecord>();
  readonly #finishedOrder: string[] = [];
  readonly #maxFinished: number;
  readonly #wallNow: () => number;
  readonly jobs: JobsStore;

  constructor(options: RequestRegistryOptions) {
    this.#maxFinished = options.maxFinished ?? 100;
    this.#wallNow = options.wallNow;
    this.jobs = createJobsStore({ maxFinished: this.#maxFinished });
  }

  add(record: { id: string; kind: string; priority: ProofPriority; circuitId: string }): RequestRecord {
    const full: RequestRecord = { ...record, status: ProofStatus.QUEUED, progress: 0, stage: "queued", createdAt: this.#wallNow() };
    this.#records.set(record.id, full);
    this.jobs.add({ id: full.id, status: full.status, progress: 0, stage: "queued", priority: full.priority, circuitId: full.circuitId });
    return full;
  }

  get(id: string): RequestRecord | undefined {
    return this.#records.get(id);
  }

  /** Records not yet finished. */
  active(): RequestRecord[] {
    return [...this.#records.values()].filter((r) => !isTerminalStatus(r.status));
  }

  /** Apply one progress event to its record and to the jobs store. */
  apply(event: ProgressEvent): void {
    const current = this.#records.get(event.requestId);
    if (!current || isTerminalStatus(current.status)) return;
    const now = this.#wallNow();
    const next: RequestRecord = {
      ...current,
      status: event.status,
      stage: event.stage,
      progress: Math.max(current.progress, event.progress),
      ...(event.circuitId !== undefined ? { circuitId: event.circuitId } : {}),
      ...(event.attempt !== undefined ? { attempt: event.attempt } : {}),
      ...(event.errorCode !== undefined ? { errorCode: event.errorCode } : {}),
      ...(current.startedAt === undefined && event.status === ProofStatus.PROCESSING ? { startedAt: now } : {}),
      ...(isTerminalStatus(event.status) ? { finishedAt: now } : {}),
    };
    if (event.estimatedRemainingMs === undefined) delete (next as { estimatedRemainingMs?: number }).estimatedRemainingMs;
    else (next as { estimatedRemainingMs?: number }).estimatedRemainingMs = event.estimatedRemainingMs;
    this.#records.set(event.requestId, next);
    this.jobs.applyProgress(event);
    if (isTerminalStatus(next.status)) this.#retire(next.id);
  }

  #retire(id: string): void {
    this.#finishedOrder.push(id);
    while (this.#finishedOrder.length > this.#maxFinished) {
      const oldest = this.#finishedOrder.shift();
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }
}
