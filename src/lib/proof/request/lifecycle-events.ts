/**
 * Typed lifecycle events of proof requests: the seam for the trust layer (proof cache, metrics,
 * rate limiter, audit log, Sentry), which subscribes instead of being called by the pipeline.
 *
 * Events carry ids, circuit ids, attempt numbers, codes and timings only: never attestations,
 * circuit inputs or witnesses (typed unions through `subscribe`, never string-keyed emitters).
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { ProveTimings } from "../engine/types.js";
import type { PipelineStage } from "./request-types.js";
import type { ProofPriority } from "./priority-queue.js";

interface EventBase {
  readonly requestId: string;
  /** Wall-clock epoch ms (injected clock). */
  readonly at: number;
}

/** Rejected before queueing (validation, `beforeQueue` hook, queue full, disposed). */
export interface RequestRejectedEvent extends EventBase {
  readonly type: "rejected";
  readonly code: ProofErrorCode;
  readonly userId?: string;
}
/** Accepted into the queue. `circuitId` is the planned (first) variant. */
export interface RequestAcceptedEvent extends EventBase {
  readonly type: "accepted";
  readonly circuitId: string;
  readonly priority: ProofPriority;
  readonly kind: string;
  readonly userId?: string;
}
export interface StageChangedEvent extends EventBase {
  readonly type: "stage";
  readonly stage: PipelineStage;
  readonly circuitId: string;
  readonly attempt: number;
}
export interface AttemptFailedEvent extends EventBase {
  readonly type: "attempt-failed";
  readonly circuitId: string;
  readonly attempt: number;
  readonly code: ProofErrorCode;
  /** True when the same variant runs again after `delayMs`. */
  readonly willRetry: boolean;
  readonly delayMs?: number;
}
export interface FallbackEvent extends EventBase {
  readonly type: "fallback";
  readonly fromCircuitId: string;
  readonly toCircuitId: string;
  readonly code: ProofErrorCode;
}
export interface RequestCompletedEvent extends EventBase {
  readonly type: "completed";
  readonly circuitId: string;
  readonly attempts: number;
  readonly truncated: boolean;
  readonly hash: string;
  readonly queueWaitMs: number;
  readonly timings: ProveTimings;
  readonly totalMs: number;
  /** `hit`: served from the proof cache; `joined`: shared an identical request's job. Absent: proved for this request. */
  readonly cached?: "hit" | "joined";
  readonly userId?: string;
}
export interface RequestFailedEvent extends EventBase {
  readonly type: "failed";
  readonly circuitId?: string;
  readonly attempts: number;
  readonly code: ProofErrorCode;
  readonly totalMs: number;
  readonly userId?: string;
}
export interface RequestCancelledEvent extends EventBase {
  readonly type: "cancelled";
  readonly circuitId?: string;
  /** CANCELLED (caller) or DISPOSED (the API was disposed). */
  readonly code: "CANCELLED" | "DISPOSED";
  /** Where the request was when it stopped. */
  readonly stage: PipelineStage;
  readonly totalMs: number;
  readonly userId?: string;
}

export type ProofLifecycleEvent =
  | RequestRejectedEvent
  | RequestAcceptedEvent
  | StageChangedEvent
  | AttemptFailedEvent
  | FallbackEvent
  | RequestCompletedEvent
  | RequestFailedEvent
  | RequestCancelledEvent;

export type ProofLifecycleListener = (event: ProofLifecycleEvent) => void;

/** Distributes events to listeners; a throwing listener never breaks a request or other listeners. */
export class LifecycleEmitter {
  readonly #listeners = new Set<ProofLifecycleListener>();

  subscribe(listener: ProofLifecycleListener): () => void {
    // Wrapped so the same function subscribed twice gets two independent subscriptions.
    const entry: ProofLifecycleListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  emit(event: ProofLifecycleEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        /* a listener's failure is its own: the request goes on */
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
