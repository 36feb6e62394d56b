/**
 * One accepted request on its way down: the pipeline creates it and every step of the request
 * reads and writes it, so the request's state has one holder: its signal (linked once, by the
 * facade), its current circuit and attempts, its queue wait, and its record, which every change
 * reaches through the registry's reducer (the one place progress is computed).
 *
 * A job reports; it decides nothing: retry, fallback and verification stay with the pipeline
 * and the proving port.
 */
import type { Clock } from "../core/clock.js";
import type { ProofErrorCode } from "../core/errors.js";
import type { ProveProgress } from "../engine/types.js";
import type { LifecycleEmitter, ProofLifecycleEvent } from "./lifecycle-events.js";
import type { ProofPriority } from "./priority-queue.js";
import type { RequestAction, RequestRegistry } from "./request-state.js";
import type { PipelineStage, ProgressEvent } from "./request-types.js";
import type { PreparedVariant, RequestPlan } from "./request-plan.js";

export interface PipelineRequest<V extends PreparedVariant, R> {
  readonly requestId: string;
  readonly plan: RequestPlan<V, R>;
  readonly priority: ProofPriority;
  /** Aborts with the caller's CancelledError, or DisposedError on dispose. */
  readonly signal: AbortSignal;
  readonly allowFallback: boolean;
  readonly userId?: string | undefined;
  readonly onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** `clock.now()` at submission. */
  readonly submittedAt: number;
}

export interface ProofJobDeps {
  readonly registry: RequestRegistry;
  readonly events: LifecycleEmitter;
  readonly clock: Clock;
}

/** An event as a job emits it: the job adds its id and the time (and its user to the events that name one). */
type JobEvent = ProofLifecycleEvent extends infer E ? (E extends ProofLifecycleEvent ? Omit<E, "requestId" | "at" | "userId"> : never) : never;
const NAMES_USER: ReadonlySet<ProofLifecycleEvent["type"]> = new Set(["accepted", "completed", "failed", "cancelled"]);

export class ProofJob<V extends PreparedVariant, R> {
  readonly request: PipelineRequest<V, R>;
  readonly #d: ProofJobDeps;
  /** The variant being proved (the first planned one until the job runs). */
  circuitId: string;
  /** Attempts over every variant so far. */
  attempts = 0;
  queueWaitMs = 0;
  /** The code that made the job fall back to a smaller variant, if it did. */
  fallbackReason: ProofErrorCode | undefined;
  #lastStage = "";

  /** Registers the request (its record starts queued) and announces it. */
  constructor(request: PipelineRequest<V, R>, deps: ProofJobDeps) {
    this.request = request;
    this.#d = deps;
    this.circuitId = request.plan.variants[0]!;
    deps.registry.add({ id: request.requestId, kind: request.plan.kind, priority: request.priority, circuitId: this.circuitId });
    this.emit({ type: "accepted", circuitId: this.circuitId, priority: request.priority, kind: request.plan.kind });
    this.report({ type: "queued" });
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }

  /** Milliseconds since submission, by the injected clock. */
  totalMs(): number {
    return Math.max(0, this.#d.clock.now() - this.request.submittedAt);
  }

  /** The stage the record is in now. */
  stage(): PipelineStage {
    return this.#d.registry.get(this.request.requestId)?.stage ?? "queued";
  }

  /** Start an attempt on `circuitId`; returns its number over the whole request. */
  attempt(circuitId: string): number {
    this.circuitId = circuitId;
    this.attempts += 1;
    this.report({ type: "attempt", circuitId, attempt: this.attempts });
    return this.attempts;
  }

  /** The prover's progress, for the proving port. */
  readonly onProverProgress = (report: ProveProgress): void => this.report({ type: "prover", report });

  /** Apply a change to the record; a new stage is announced, the caller's callback hears every change. */
  report(action: RequestAction): void {
    const { requestId, onProgress } = this.request;
    const event = this.#d.registry.dispatch(requestId, action);
    if (!event) return;
    if (event.stage !== this.#lastStage) {
      this.#lastStage = event.stage;
      this.emit({ type: "stage", stage: event.stage, circuitId: event.circuitId ?? this.circuitId, attempt: event.attempt ?? 0 });
    }
    try {
      onProgress?.(event);
    } catch {
      /* the caller's callback must not break its own proof */
    }
  }

  emit(event: JobEvent): void {
    const { requestId, userId } = this.request;
    const user = userId !== undefined && NAMES_USER.has(event.type) ? { userId } : {};
    this.#d.events.emit({ ...event, requestId, at: this.#d.clock.wallNow(), ...user } as ProofLifecycleEvent);
  }
}
