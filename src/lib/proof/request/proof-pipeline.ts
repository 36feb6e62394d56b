/**
 * The pipeline for one accepted request: queue (priority, signal) → for each circuit variant in
 * plan order: prove + verify against the pinned vkey + check public signals, retrying only
 * retryable codes → on a fallback-class failure (RESOURCE_EXHAUSTED, WORKER_CRASHED, TIMEOUT)
 * the next smaller variant, unless fallback is forbidden → the decorated result.
 *
 * Every accepted request settles: with the result, or with a typed ProofError (the caller's
 * CANCELLED / DISPOSED reason when its signal aborted). The pipeline is generic: circuit
 * knowledge lives in the plan.
 *
 * The request on its way down is a `ProofJob`, which the pipeline creates and every step reads
 * and writes, so the request's state has one holder: its signal (linked once, by the facade),
 * its current circuit and attempts, its queue wait, and its record, which every change reaches
 * through the registry's reducer (the one place progress is computed). A job reports; it
 * decides nothing: retry, fallback and verification stay with the pipeline and the proving port.
 */
import { abortError, raceSignal } from "../core/abort.js";
import { sleep, type Clock } from "../core/clock.js";
import { classifyError } from "../core/error-classification.js";
import { ArtifactInvalidError, CancelledError, ProofError } from "../core/errors.js";
import type { ProofErrorCode } from "../core/errors.js";
import type { ProofPriority, ProofQueue } from "./priority-queue.js";
import { retryDecision } from "../core/retry-policy.js";
import type { RetryPolicy } from "../core/retry-policy.js";
import type { ProvingCallOptions, SourcedProof } from "../cache/cached-proving.js";
import type { LifecycleEmitter, ProofLifecycleEvent } from "./lifecycle-events.js";
import type { RequestAction, RequestRegistry } from "./request-state.js";
import type { PreparedVariant, RequestPlan } from "./request-plan.js";
import type { ProveProgress } from "../engine/types.js";
import type { PipelineStage, ProgressEvent } from "./request-types.js";

/**
 * The one call the pipeline makes per attempt: a proof of `prepared`, verified against the
 * pinned vkey and checked against the request's public signals, or a typed error
 * (verified-proving.ts). Time budgets, the cache and sharing are bound behind it by the
 * composition root.
 */
export interface ProvingPort {
  prove(circuitId: string, prepared: PreparedVariant, options: ProvingCallOptions): Promise<SourcedProof>;
}

export interface ProofPipelineDeps {
  readonly proving: ProvingPort;
  readonly queue: ProofQueue;
  readonly registry: RequestRegistry;
  readonly events: LifecycleEmitter;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryPolicy;
}

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

/** One accepted request on its way down: the pipeline creates it and every step reports through it. */
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

const isCancellation = (code: ProofErrorCode): code is "CANCELLED" | "DISPOSED" => code === "CANCELLED" || code === "DISPOSED";

/**
 * A plan's input is, by the RequestPlan contract, exactly the circuit's input signals (names,
 * sizes, field ranges all checked before proving). When the witness runtime still rejects it,
 * the wasm is not this circuit's (e.g. a manifest pinning another circuit's wasm): say so,
 * instead of blaming an input the caller never wrote. Errors raised before the witness
 * (canonical-input checks) carry no `stage` and are left alone.
 */
function artifactMismatch(error: unknown, circuitId: string): unknown {
  if (!(error instanceof ProofError) || error.code !== "WITNESS_INPUT_INVALID" || error.details["stage"] !== "witness") return error;
  return new ArtifactInvalidError(`The wasm of ${circuitId} does not accept the circuit's own input signals: it belongs to another circuit.`, {
    cause: error,
    details: { ...error.details, circuitId, artifact: "wasm" },
  });
}

/** How this layer names an untyped abort (a typed reason, e.g. DISPOSED, is kept as is). */
const CANCELLED = { message: "The request was cancelled." } as const;

export class ProofPipeline {
  readonly #d: ProofPipelineDeps;

  constructor(deps: ProofPipelineDeps) {
    this.#d = deps;
  }

  /**
   * Register and queue a request. Throws synchronously (QueueFullError) when the queue is at
   * its bound: then nothing was registered. Otherwise the promise always settles.
   */
  submit<V extends PreparedVariant, R>(request: PipelineRequest<V, R>): Promise<R> {
    // Bound first: a refused request must leave no record behind.
    this.#d.queue.assertRoom();
    const job = new ProofJob(request, this.#d);
    return this.#run(job).catch((thrown: unknown) => {
      const { signal } = job;
      const error = signal.aborted ? abortError(signal, CANCELLED) : thrown instanceof ProofError ? thrown : classifyError(thrown, { circuitId: job.circuitId });
      if (isCancellation(error.code)) {
        const stage = job.stage();
        job.report({ type: "cancelled", code: error.code });
        job.emit({ type: "cancelled", circuitId: job.circuitId, code: error.code, stage, totalMs: job.totalMs() });
      } else {
        job.report({ type: "failed", code: error.code });
        job.emit({ type: "failed", circuitId: job.circuitId, attempts: job.attempts, code: error.code, totalMs: job.totalMs() });
      }
      throw error;
    });
  }

  /** The job's turn in the queue: it leaves when its proof has settled, proved or not. */
  async #run<V extends PreparedVariant, R>(job: ProofJob<V, R>): Promise<R> {
    const turn = await this.#d.queue.enter({ priority: job.request.priority, signal: job.signal });
    job.queueWaitMs = turn.waitMs;
    try {
      const result = await this.#prove(job);
      turn.leave();
      return result;
    } catch (error) {
      turn.leave(error);
      throw error;
    }
  }

  /** Each planned variant in turn (retrying what may be retried) until one proves. */
  async #prove<V extends PreparedVariant, R>(job: ProofJob<V, R>): Promise<R> {
    const { plan, allowFallback } = job.request;
    for (let index = 0; index < plan.variants.length; index++) {
      const circuitId = plan.variants[index]!;
      const before = job.attempts;
      try {
        return await this.#variant(job, circuitId);
      } catch (thrown) {
        if (job.signal.aborted) throw abortError(job.signal, CANCELLED);
        const error = thrown instanceof ProofError ? thrown : classifyError(thrown, { circuitId });
        // 0: it failed before its first attempt (preparing).
        job.emit({ type: "attempt-failed", circuitId, attempt: job.attempts > before ? job.attempts : 0, code: error.code, willRetry: false });
        const next = plan.variants[index + 1];
        if (error.recoverability !== "fallback" || !allowFallback || next === undefined) throw error;
        job.fallbackReason = error.code;
        job.emit({ type: "fallback", fromCircuitId: circuitId, toCircuitId: next, code: error.code });
        job.report({ type: "retrying" });
      }
    }
    // Unreachable: the loop returns or throws on its last variant.
    throw new CancelledError("No circuit variant left to try.");
  }

  /**
   * The attempts at one prepared variant: the port proves (verified and checked); a failure is
   * retried when the retry policy says so, after its backoff, until it proves or the policy says stop.
   */
  async #attempts<V extends PreparedVariant, R>(job: ProofJob<V, R>, circuitId: string, prepared: V): Promise<SourcedProof> {
    const d = this.#d;
    const { signal } = job;
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      job.attempt(circuitId);
      try {
        return await d.proving.prove(circuitId, prepared, { signal, onProgress: job.onProverProgress });
      } catch (thrown) {
        // A job that failed because the caller aborted ends with the caller's reason.
        if (signal.aborted) throw signal.reason;
        const next = retryDecision(artifactMismatch(thrown, circuitId), attempt, { policy: d.retry, random: d.random, context: { circuitId, stage: "proving", signal } });
        if (!next.retry) throw next.error;
        job.emit({ type: "attempt-failed", circuitId, attempt: job.attempts, code: next.error.code, willRetry: true, delayMs: next.delayMs });
        job.report({ type: "retrying" });
        await sleep(next.delayMs, signal, d.clock);
      }
    }
  }

  /** One variant: prepared, then proved (verified and checked by the port) with retries, then decorated. */
  async #variant<V extends PreparedVariant, R>(job: ProofJob<V, R>, circuitId: string): Promise<R> {
    const { signal } = job;
    const { plan, requestId } = job.request;
    // The job is running from here: preparing may take several (short) tasks.
    job.report({ type: "preparing", circuitId });
    // Raced as well as passed: a plan that does not watch the signal still ends at once.
    const prepared = await raceSignal(plan.prepare(circuitId, signal), signal, CANCELLED);
    const { proved, source } = await this.#attempts(job, circuitId, prepared);
    const cached = source !== "proved" ? { cached: source } : {};
    const { result, hash, truncated } = plan.decorate(proved, prepared, {
      requestId,
      attempts: job.attempts,
      queueWaitMs: job.queueWaitMs,
      totalMs: job.totalMs(),
      ...(job.fallbackReason ? { fallbackReason: job.fallbackReason } : {}),
      ...cached,
    });
    job.report({ type: "done" });
    job.emit({ type: "completed", circuitId, attempts: job.attempts, truncated, hash, queueWaitMs: job.queueWaitMs, timings: proved.timings, totalMs: job.totalMs(), ...cached });
    return result;
  }
}
