/**
 * The worker pool's contract: its options, what a job sees of its worker and of its cores, and
 * the pool's counters. Types only.
 */
import type { Clock } from "../../core/clock.js";
import type { ProofError } from "../../core/errors.js";
import type { WorkerFactory } from "./worker-handle.js";
import type { ProverWorkerApi, ProvingBackend, ThreadMode, WorkerResult } from "./worker-protocol.js";

export interface WorkerPoolOptions {
  readonly factory: WorkerFactory;
  readonly size: number;
  readonly maxProofsPerWorker: number;
  /** Consecutive start-up failures after which the pool stops respawning. */
  readonly maxStartFailures: number;
  readonly startTimeoutMs: number;
  readonly threads: ThreadMode;
  /** What proves from the witness in each worker. @default "snarkjs" */
  readonly backend?: ProvingBackend;
  /**
   * Cores of the machine. With `threads: "adaptive"` a lone proof widens to every core no job
   * holds and jobs wait for a free core (see core-ledger.ts); other modes ignore it.
   * @default 1
   */
  readonly cores?: number;
  /** Handed to each worker at start-up (see WorkerInitOptions). */
  readonly memoryBudgetMB?: number;
  readonly clock: Clock;
}

/** What a job holds besides its worker. */
export interface JobCores {
  /**
   * Call right before proving: the threads this proof may use (1 unless the pool is adaptive,
   * nobody waits and cores are idle). The first call decides; later calls return the same.
   */
  threads(): number;
  /**
   * For a warm-up (preload): the threads the next lone proof will get, which the warm-up should
   * prepare helpers for (every core, adaptive mode), or 1 when it should start none (another
   * worker's helpers are in use). A warm-up that gets more than 1 takes the pool's helper set.
   */
  warmThreads(): number;
}

/** What a job sees of its worker. */
export interface PooledWorker {
  readonly id: number;
  /** Circuits whose bytes this worker already holds (artifacts are transferred once per worker). */
  readonly circuits: Set<string>;
  /** Call the worker; an `{ ok: false }` answer becomes the typed ProofError. */
  call<T>(fn: (api: ProverWorkerApi) => Promise<WorkerResult<T>>): Promise<T>;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Count this job against `maxProofsPerWorker`. @default true */
  readonly countsAsProof?: boolean;
  /**
   * A warm-up (preload): while it runs, its worker counts as starting, so a job that arrives
   * meanwhile waits for that worker (soon warm) instead of starting a second, cold one.
   */
  readonly warmup?: boolean;
  /**
   * The job's time budget from the request on: when it runs out, the job fails with `error()`
   * (taken out of the line while it waits; its worker terminated while it works).
   */
  readonly deadline?: { readonly ms: number; readonly error: () => ProofError };
}

/** A worker of its own for one job, until `end`. */
export interface WorkerLease {
  readonly worker: PooledWorker;
  readonly cores: JobCores;
  /**
   * Rejects when the job must stop at once: its signal aborted (the worker is terminated), the
   * worker died, or the pool was disposed. Race every call on the worker against it.
   */
  readonly failed: Promise<never>;
  /**
   * Give the worker back (only the first call counts). `error` when the job failed: a worker
   * that ran out of memory or lost a helper thread is replaced rather than reused.
   */
  end(error?: unknown): void;
}

/** What `request` answers at once: the lease to come, and the worker started for it, if any. */
export interface PoolTicket {
  readonly starting: PooledWorker | undefined;
  readonly lease: Promise<WorkerLease>;
}

export interface WorkerPoolStats {
  readonly starting: number;
  readonly idle: number;
  readonly busy: number;
  readonly waiting: number;
  readonly spawned: number;
}

