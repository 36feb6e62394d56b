/**
 * The proof queue: four priority levels, FIFO within a level, concurrency equal to the pool
 * size, a bound on waiting jobs, removal on abort, and stats (also as a subscription for the
 * queue store). Ordering and concurrency are p-queue@9's; this file adds the bound, typed
 * errors, injected-clock timings and stats.
 *
 * Abort semantics: a job aborted while QUEUED is removed and rejects at once. A job aborted
 * while RUNNING keeps its slot until its function settles, because the slot stands for a
 * worker that is still busy until the pool has terminated and replaced it (p-queue would free
 * the slot at once if given the caller's signal, so it only ever sees a queued-only signal).
 */
import PQueue from "p-queue";
import { systemClock } from "../core/clock.js";
import type { Clock } from "../core/clock.js";
import { abortError } from "../core/abort.js";
import { DisposedError, ERROR_POLICY, ProofError, QueueFullError } from "../core/errors.js";
import { readable, type Readable } from "../core/store.js";

/**
 * Request priorities. Numeric so they order directly (higher runs first) and match the
 * Shadowgraph API (`ProofPriority.HIGH === 2`).
 */
export const ProofPriority = {
  LOW: 0,
  NORMAL: 1,
  HIGH: 2,
  CRITICAL: 3,
} as const;
export type ProofPriority = (typeof ProofPriority)[keyof typeof ProofPriority];

export function isProofPriority(value: unknown): value is ProofPriority {
  return value === 0 || value === 1 || value === 2 || value === 3;
}

export interface QueueStats {
  /** Jobs waiting to start. */
  readonly queued: number;
  /** Jobs running now (≤ concurrency). */
  readonly processing: number;
  readonly completed: number;
  readonly failed: number;
  /** Removed while queued, or settled with CANCELLED while running. */
  readonly cancelled: number;
  /** Mean time from `add` to start over every started job; 0 before the first. */
  readonly averageWaitMs: number;
  /** Mean run time over every job that ran to an end; 0 before the first. */
  readonly averageProcessingMs: number;
  /** completed / (completed + failed + cancelled); 0 before anything finished. */
  readonly completionRate: number;
}

/** Resolved where the caller handed them in (the facade's options): trusted here. */
export interface PriorityQueueOptions {
  /** Jobs run at once (an integer >= 1); set it to the worker pool size. */
  readonly concurrency: number;
  /** Waiting jobs (an integer >= 1) accepted before `add` throws QUEUE_FULL. Running jobs do not count. */
  readonly maxQueued: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

export interface QueueTaskOptions {
  /** @default ProofPriority.NORMAL */
  readonly priority?: ProofPriority;
  /** Queued: removes the job. Running: passed to the job, which must stop and settle. */
  readonly signal?: AbortSignal;
}

export interface QueueTaskContext {
  /** The caller's signal (or a never-aborting one). */
  readonly signal: AbortSignal;
  /** Time the job waited in the queue, by the injected clock. */
  readonly waitMs: number;
}

type StatsListener = (stats: QueueStats) => void;

interface Counters {
  completed: number;
  failed: number;
  cancelled: number;
  started: number;
  totalWaitMs: number;
  ran: number;
  totalProcessingMs: number;
}

const NEVER_ABORTED = new AbortController().signal;

/** How a queued job names an untyped abort (a typed reason, e.g. DISPOSED, is kept as is). */
const QUEUED_ABORT = { message: ERROR_POLICY.CANCELLED.description, details: { stage: "queued" } } as const;

/**
 * A bounded priority queue of async jobs.
 *
 * @example
 * const queue = new ProofQueue({ concurrency: pool.size, maxQueued: 100 });
 * const result = await queue.add(({ signal }) => pool.prove(job, { signal }), { priority: ProofPriority.HIGH, signal });
 */
export class ProofQueue {
  readonly #queue: PQueue;
  readonly #clock: Clock;
  readonly #maxQueued: number;
  readonly #listeners = new Set<StatsListener>();
  /** Queued jobs' private controllers, so `clear` can reject them (p-queue's clear() would strand them). */
  readonly #queued = new Set<AbortController>();
  readonly #counters: Counters = { completed: 0, failed: 0, cancelled: 0, started: 0, totalWaitMs: 0, ran: 0, totalProcessingMs: 0 };
  #running = 0;

  constructor(options: PriorityQueueOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#maxQueued = options.maxQueued;
    this.#queue = new PQueue({ concurrency: options.concurrency });
  }

  get concurrency(): number {
    return this.#queue.concurrency;
  }

  /** Follow the pool: raising it starts waiting jobs at once; lowering lets running ones finish. */
  set concurrency(value: number) {
    this.#queue.concurrency = value;
    this.#emit();
  }

  get maxQueued(): number {
    return this.#maxQueued;
  }

  /** Throw `QueueFullError` when `maxQueued` jobs are waiting: the one bound check (`add` makes it too). */
  assertRoom(): void {
    const waiting = this.#queue.size;
    if (waiting >= this.#maxQueued) throw new QueueFullError(undefined, { details: { bound: this.#maxQueued, size: waiting } });
  }

  /**
   * Queue a job. Throws `QueueFullError` synchronously (nothing is accepted) when `maxQueued`
   * jobs are already waiting. Rejects with the signal's ProofError reason or `CancelledError`
   * when aborted while queued; otherwise settles as the job does.
   */
  add<T>(fn: (context: QueueTaskContext) => Promise<T>, options: QueueTaskOptions = {}): Promise<T> {
    this.assertRoom();
    const priority = options.priority ?? ProofPriority.NORMAL;
    const callerSignal = options.signal ?? NEVER_ABORTED;
    if (callerSignal.aborted) return Promise.reject(abortError(callerSignal, QUEUED_ABORT));

    const enqueuedAt = this.#clock.now();
    const queuedOnly = new AbortController();
    const onCallerAbort = () => queuedOnly.abort(abortError(callerSignal, QUEUED_ABORT));
    callerSignal.addEventListener("abort", onCallerAbort, { once: true });
    this.#queued.add(queuedOnly);
    let started = false;

    const run = async (): Promise<T> => {
      started = true;
      callerSignal.removeEventListener("abort", onCallerAbort);
      this.#queued.delete(queuedOnly);
      const startedAt = this.#clock.now();
      const waitMs = Math.max(0, startedAt - enqueuedAt);
      this.#counters.started++;
      this.#counters.totalWaitMs += waitMs;
      this.#running++;
      this.#emit();
      let outcome: "completed" | "failed" | "cancelled" = "failed";
      try {
        const value = await fn({ signal: callerSignal, waitMs });
        outcome = "completed";
        return value;
      } catch (error) {
        outcome = callerSignal.aborted || (error instanceof ProofError && error.code === "CANCELLED") ? "cancelled" : "failed";
        throw error;
      } finally {
        this.#running--;
        this.#counters.ran++;
        this.#counters.totalProcessingMs += Math.max(0, this.#clock.now() - startedAt);
        this.#counters[outcome]++;
        this.#emit();
      }
    };

    const promise = this.#queue.add(run, { priority, signal: queuedOnly.signal }) as Promise<T>;
    // p-queue enqueues synchronously, so the bound check above saw the true size.
    this.#emit();
    return promise.catch((error: unknown) => {
      if (!started) {
        // Removed while queued (abort or clear): p-queue rejected with our reason.
        callerSignal.removeEventListener("abort", onCallerAbort);
        this.#queued.delete(queuedOnly);
        this.#counters.cancelled++;
        this.#emit();
      }
      throw error;
    });
  }

  /** A snapshot; cheap, safe to call often. */
  getStats(): QueueStats {
    const c = this.#counters;
    const finished = c.completed + c.failed + c.cancelled;
    return {
      queued: this.#queue.size,
      processing: this.#running,
      completed: c.completed,
      failed: c.failed,
      cancelled: c.cancelled,
      averageWaitMs: c.started === 0 ? 0 : c.totalWaitMs / c.started,
      averageProcessingMs: c.ran === 0 ? 0 : c.totalProcessingMs / c.ran,
      completionRate: finished === 0 ? 0 : c.completed / finished,
    };
  }

  /** Listen to stats changes (every add, start, settle, removal). Returns an unsubscribe. */
  subscribe(listener: StatsListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The stats as a Svelte-contract store; it listens to the queue only while subscribed. */
  get store(): Readable<QueueStats> {
    return readable(this.getStats(), (set) => {
      set(this.getStats());
      return this.subscribe(set);
    });
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    return this.#queue.onIdle();
  }

  /** Reject every queued job (default `DisposedError`); running jobs are left to their signals. */
  clear(reason: ProofError = new DisposedError()): void {
    for (const controller of [...this.#queued]) controller.abort(reason);
  }

  #emit(): void {
    if (this.#listeners.size === 0) return;
    const stats = this.getStats();
    for (const listener of [...this.#listeners]) listener(stats);
  }
}
