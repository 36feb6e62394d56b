/**
 * The proof queue: four priority levels, FIFO within a level, concurrency equal to the pool
 * size, a bound on waiting requests, removal on abort, and stats (also as a subscription for the
 * queue store).
 *
 * It grants turns and runs nothing: `enter` resolves with a turn when the request may start, and
 * the request ends its turn with `leave` when its work has settled. So the layer above keeps its
 * own control flow and this one never calls back into it.
 *
 * Abort semantics: a request aborted while QUEUED is removed and rejects at once. A request
 * aborted while RUNNING keeps its slot until it leaves, because the slot stands for a worker
 * that is still busy until the pool has terminated and replaced it.
 *
 * Hand-written rather than p-queue's: p-queue runs the function it is given and frees a running
 * slot as soon as the signal it watches aborts, so a turn that outlives an abort would need a
 * second, queued-only AbortController per request.
 */
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
  /** Waiting requests (an integer >= 1) accepted before `enter` throws QUEUE_FULL. Running ones do not count. */
  readonly maxQueued: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

export interface QueueEntryOptions {
  /** @default ProofPriority.NORMAL */
  readonly priority?: ProofPriority;
  /** Queued: removes the request. Running: the request must stop, settle and leave. */
  readonly signal?: AbortSignal;
}

/** A request's turn: it may run until it leaves. */
export interface QueueTurn {
  /** Time the request waited for its turn, by the injected clock. */
  readonly waitMs: number;
  /**
   * End the turn: the slot goes to the next request. `error` when the work failed (counted as
   * cancelled when the request's signal aborted or the error is CANCELLED). Only the first call counts.
   */
  leave(error?: unknown): void;
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

interface Waiter {
  readonly signal: AbortSignal | undefined;
  readonly enqueuedAt: number;
  readonly grant: (turn: QueueTurn) => void;
  readonly refuse: (error: ProofError) => void;
  readonly onAbort: () => void;
}

/** How a queued request names an untyped abort (a typed reason, e.g. DISPOSED, is kept as is). */
const QUEUED_ABORT = { message: ERROR_POLICY.CANCELLED.description, details: { stage: "queued" } } as const;
const LEVELS = [ProofPriority.CRITICAL, ProofPriority.HIGH, ProofPriority.NORMAL, ProofPriority.LOW] as const;

/**
 * A bounded priority queue of turns.
 *
 * @example
 * const queue = new ProofQueue({ concurrency: pool.size, maxQueued: 100 });
 * const turn = await queue.enter({ priority: ProofPriority.HIGH, signal });
 * try { await prove(); turn.leave(); } catch (error) { turn.leave(error); throw error; }
 */
export class ProofQueue {
  readonly #clock: Clock;
  readonly #maxQueued: number;
  #concurrency: number;
  readonly #listeners = new Set<StatsListener>();
  /** Waiting requests by priority level, FIFO within each. */
  readonly #waiting = new Map<ProofPriority, Waiter[]>(LEVELS.map((level) => [level, []]));
  readonly #idle = new Set<() => void>();
  readonly #counters: Counters = { completed: 0, failed: 0, cancelled: 0, started: 0, totalWaitMs: 0, ran: 0, totalProcessingMs: 0 };
  #running = 0;

  constructor(options: PriorityQueueOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#maxQueued = options.maxQueued;
    this.#concurrency = options.concurrency;
  }

  get concurrency(): number {
    return this.#concurrency;
  }

  /** Follow the pool: raising it starts waiting requests at once; lowering lets running ones finish. */
  set concurrency(value: number) {
    this.#concurrency = value;
    this.#pump();
    this.#emit();
  }

  get maxQueued(): number {
    return this.#maxQueued;
  }

  /** Throw `QueueFullError` when `maxQueued` requests are waiting: the one bound check (`enter` makes it too). */
  assertRoom(): void {
    const waiting = this.#size();
    if (waiting >= this.#maxQueued) throw new QueueFullError(undefined, { details: { bound: this.#maxQueued, size: waiting } });
  }

  /**
   * Wait for a turn. Throws `QueueFullError` synchronously (nothing is accepted) when
   * `maxQueued` requests are already waiting. Rejects with the signal's ProofError reason or
   * `CancelledError` when aborted while queued, and with the reason given to `clear`.
   */
  enter(options: QueueEntryOptions = {}): Promise<QueueTurn> {
    this.assertRoom();
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortError(signal, QUEUED_ABORT));
    const priority = options.priority ?? ProofPriority.NORMAL;
    return new Promise<QueueTurn>((grant, refuse) => {
      const waiter: Waiter = {
        signal,
        enqueuedAt: this.#clock.now(),
        grant,
        refuse,
        onAbort: () => this.#remove(waiter, abortError(signal as AbortSignal, QUEUED_ABORT)),
      };
      signal?.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiting.get(priority)!.push(waiter);
      this.#pump();
      this.#emit();
    });
  }

  /** A snapshot; cheap, safe to call often. */
  getStats(): QueueStats {
    const c = this.#counters;
    const finished = c.completed + c.failed + c.cancelled;
    return {
      queued: this.#size(),
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
    if (this.#running === 0 && this.#size() === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.add(resolve));
  }

  /** Reject every queued request (default `DisposedError`); running ones are left to their signals. */
  clear(reason: ProofError = new DisposedError()): void {
    for (const level of LEVELS) for (const waiter of [...this.#waiting.get(level)!]) this.#remove(waiter, reason);
  }

  #size(): number {
    let n = 0;
    for (const waiters of this.#waiting.values()) n += waiters.length;
    return n;
  }

  #remove(waiter: Waiter, error: ProofError): void {
    for (const waiters of this.#waiting.values()) {
      const i = waiters.indexOf(waiter);
      if (i < 0) continue;
      waiters.splice(i, 1);
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      this.#counters.cancelled++;
      waiter.refuse(error);
      this.#settled();
      return;
    }
  }

  /** Grant turns while slots are free, highest priority first. */
  #pump(): void {
    while (this.#running < this.#concurrency) {
      const waiter = LEVELS.map((level) => this.#waiting.get(level)!).find((w) => w.length > 0)?.shift();
      if (!waiter) return;
      waiter.signal?.removeEventListener("abort", waiter.onAbort);
      const startedAt = this.#clock.now();
      const waitMs = Math.max(0, startedAt - waiter.enqueuedAt);
      this.#counters.started++;
      this.#counters.totalWaitMs += waitMs;
      this.#running++;
      let left = false;
      waiter.grant({
        waitMs,
        leave: (error?: unknown) => {
          if (left) return;
          left = true;
          const c = this.#counters;
          const cancelled = waiter.signal?.aborted === true || (error instanceof ProofError && error.code === "CANCELLED");
          c[error === undefined ? "completed" : cancelled ? "cancelled" : "failed"]++;
          c.ran++;
          c.totalProcessingMs += Math.max(0, this.#clock.now() - startedAt);
          this.#running--;
          this.#pump();
          this.#settled();
        },
      });
    }
  }

  #settled(): void {
    this.#emit();
    if (this.#running > 0 || this.#size() > 0) return;
    for (const resolve of [...this.#idle]) resolve();
    this.#idle.clear();
  }

  #emit(): void {
    if (this.#listeners.size === 0) return;
    const stats = this.getStats();
    for (const listener of [...this.#listeners]) listener(stats);
  }
}
