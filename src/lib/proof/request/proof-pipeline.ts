/**
 * The pipeline for one accepted request: queue (priority, signal) → for each circuit variant in
 * plan order: prove + verify against the pinned vkey + check public signals, retrying only
 * retryable codes → on a fallback-class failure (RESOURCE_EXHAUSTED, WORKER_CRASHED, TIMEOUT)
 * the next smaller variant, unless fallback is forbidden → the decorated result.
 *
 * Every accepted request settles: with the result, or with a typed ProofError (the caller's
 * CANCELLED / DISPOSED reason when its signal aborted). The pipeline is generic: circuit
 * knowledge lives in the plan.
 */
import { abortError, raceSignal } from "../core/abort.js";
import type { Clock } from "../core/clock.js";
import { classifyError } from "../core/error-classification.js";
import { ArtifactInvalidError, CancelledError, ProofError } from "../core/errors.js";
import type { ProofErrorCode } from "../core/errors.js";
import type { ProgressEvent } from "./request-types.js";
import type { ProofPriority, ProofQueue } from "./priority-queue.js";
import { runWithRetry } from "../core/retry-policy.js";
import type { RetryPolicy } from "../core/retry-policy.js";
import type { ProofSource, ProvingCallOptions, SourcedProof } from "../cache/cached-proving.js";
import type { LifecycleEmitter } from "./lifecycle-events.js";
import type { RequestAction, RequestRegistry } from "./request-state.js";
import type { PreparedVariant, RequestPlan } from "./request-plan.js";

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
    const d = this.#d;
    const { requestId, plan, signal } = request;
    const firstCircuit = plan.variants[0]!;
    const wall = () => d.clock.wallNow();
    let lastStage = "";
    // Every change of this request goes through the registry's reducer; its event is reported.
    const report = (action: RequestAction): void => {
      const event = d.registry.dispatch(requestId, action);
      if (!event) return;
      if (event.stage !== lastStage) {
        lastStage = event.stage;
        d.events.emit({ type: "stage", requestId, stage: event.stage, circuitId: event.circuitId ?? firstCircuit, attempt: event.attempt ?? 0, at: wall() });
      }
      try {
        request.onProgress?.(event);
      } catch {
        /* the caller's callback must not break its own proof */
      }
    };

    // Bound first: a refused request must leave no record behind.
    d.queue.assertRoom();
    // Registered before queue.add: p-queue may start the job synchronously inside add().
    d.registry.add({ id: requestId, kind: plan.kind, priority: request.priority, circuitId: firstCircuit });
    d.events.emit({
      type: "accepted",
      requestId,
      circuitId: firstCircuit,
      priority: request.priority,
      kind: plan.kind,
      at: wall(),
      ...(request.userId !== undefined ? { userId: request.userId } : {}),
    });
    report({ type: "queued" });

    let queueWaitMs = 0;
    let attempts = 0;
    let circuitId = firstCircuit;
    let run: Promise<R>;
    try {
      run = d.queue.add(
        async ({ waitMs }) => {
          queueWaitMs = waitMs;
          return this.#prove(request, report, {
            onAttempt: (id) => {
              circuitId = id;
              return ++attempts;
            },
            attempts: () => attempts,
            queueWaitMs: () => queueWaitMs,
          });
        },
        { priority: request.priority, signal },
      );
    } catch (error) {
      run = Promise.reject(error);
    }

    const user = request.userId !== undefined ? { userId: request.userId } : {};
    return run.then(
      (result) => result,
      (thrown: unknown) => {
        const error = signal.aborted ? abortError(signal, CANCELLED) : thrown instanceof ProofError ? thrown : classifyError(thrown, { circuitId });
        const totalMs = Math.max(0, d.clock.now() - request.submittedAt);
        if (isCancellation(error.code)) {
          const stage = d.registry.get(requestId)?.stage ?? "queued";
          report({ type: "cancelled", code: error.code });
          d.events.emit({ type: "cancelled", requestId, circuitId, code: error.code, stage, totalMs, at: wall(), ...user });
        } else {
          report({ type: "failed", code: error.code });
          d.events.emit({ type: "failed", requestId, circuitId, attempts, code: error.code, totalMs, at: wall(), ...user });
        }
        throw error;
      },
    );
  }

  async #prove<V extends PreparedVariant, R>(
    request: PipelineRequest<V, R>,
    report: (action: RequestAction) => void,
    counter: { onAttempt: (circuitId: string) => number; attempts: () => number; queueWaitMs: () => number },
  ): Promise<R> {
    const d = this.#d;
    const { requestId, plan, signal } = request;
    const wall = () => d.clock.wallNow();
    let fallbackReason: ProofErrorCode | undefined;

    for (let index = 0; index < plan.variants.length; index++) {
      const circuitId = plan.variants[index]!;
      // The job is running from here: preparing may take several (short) tasks.
      report({ type: "preparing", circuitId });
      // Raced as well as passed: a plan that does not watch the signal still ends at once.
      const prepared = await raceSignal(plan.prepare(circuitId, signal), signal, CANCELLED);
      let attempt = 0;
      let source: ProofSource = "proved";
      try {
        const { value: proved } = await runWithRetry(
          async () => {
            attempt = counter.onAttempt(circuitId);
            report({ type: "attempt", circuitId, attempt });
            // Verified against the pinned vkey and checked against the request, or a typed error.
            const sourced = await d.proving
              .prove(circuitId, prepared, { signal, onProgress: (p) => report({ type: "prover", report: p }) })
              .catch((error: unknown) => {
                throw artifactMismatch(error, circuitId);
              });
            source = sourced.source;
            return sourced.proved;
          },
          {
            policy: d.retry,
            signal,
            clock: d.clock,
            random: d.random,
            context: { circuitId, stage: "proving" },
            onRetry: (e) => {
              d.events.emit({ type: "attempt-failed", requestId, circuitId, attempt, code: e.error.code, willRetry: true, delayMs: e.delayMs, at: wall() });
              report({ type: "retrying" });
            },
          },
        );
        const { result, hash, truncated } = plan.decorate(proved, prepared, {
          requestId,
          attempts: counter.attempts(),
          queueWaitMs: counter.queueWaitMs(),
          totalMs: Math.max(0, d.clock.now() - request.submittedAt),
          ...(fallbackReason ? { fallbackReason } : {}),
          ...(source !== "proved" ? { cached: source } : {}),
        });
        report({ type: "done" });
        d.events.emit({
          type: "completed",
          requestId,
          circuitId,
          attempts: counter.attempts(),
          truncated,
          hash,
          queueWaitMs: counter.queueWaitMs(),
          timings: proved.timings,
          totalMs: Math.max(0, d.clock.now() - request.submittedAt),
          at: wall(),
          ...(source !== "proved" ? { cached: source } : {}),
          ...(request.userId !== undefined ? { userId: request.userId } : {}),
        });
        return result;
      } catch (thrown) {
        if (signal.aborted) throw abortError(signal, CANCELLED);
        const error = thrown instanceof ProofError ? thrown : classifyError(thrown, { circuitId });
        d.events.emit({ type: "attempt-failed", requestId, circuitId, attempt, code: error.code, willRetry: false, at: wall() });
        const next = plan.variants[index + 1];
        if (error.recoverability !== "fallback" || !request.allowFallback || next === undefined) throw error;
        fallbackReason = error.code;
        d.events.emit({ type: "fallback", requestId, fromCircuitId: circuitId, toCircuitId: next, code: error.code, at: wall() });
        report({ type: "retrying" });
      }
    }
    // Unreachable: the loop returns or throws on its last variant.
    throw new CancelledError("No circuit variant left to try.");
  }
}
