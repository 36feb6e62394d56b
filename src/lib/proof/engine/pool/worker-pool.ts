/**
 * A pool of prover workers: one job per worker, created lazily, kept warm, replaced when they
 * die, are aborted or reach their proof budget. Environment-agnostic: a `WorkerFactory` makes
 * the actual worker (browser module Worker or Node worker_threads).
 *
 * Every job is raced against worker death, its AbortSignal and pool disposal, because a comlink
 * call to a dead worker never settles. Abort of a running job terminates its worker (snarkjs
 * cannot be interrupted otherwise) and settles at once; a replacement starts in the background.
 */
import { abortError } from "../../core/abort.js";
import { DisposedError, ProofError, WorkerCrashedError, WorkerStartError } from "../../core/errors.js";
import type { Clock, TimerHandle } from "../../core/clock.js";
import { CoreLedger, HelperHolder, ONE_THREAD, type CoreGrant } from "./core-ledger.js";
import type { JobCores, PooledWorker, PoolTicket, RunOptions, WorkerLease, WorkerPoolOptions, WorkerPoolStats } from "./pool-types.js";
import { pooledWorker } from "./pooled-worker.js";
import type { WorkerDeath, WorkerHandle } from "./worker-handle.js";

export type { WorkerDeath, WorkerFactory, WorkerHandle } from "./worker-handle.js";
export type { JobCores, PooledWorker, PoolTicket, RunOptions, WorkerLease, WorkerPoolOptions, WorkerPoolStats } from "./pool-types.js";

type SlotState = "starting" | "idle" | "busy" | "gone";

interface Slot {
  readonly worker: PooledWorker;
  readonly handle: WorkerHandle;
  state: SlotState;
  proofs: number;
  /** Busy with a warm-up job (counts as starting for `#fill`). */
  warming: boolean;
  /** Set while a job runs: fails that job (death, abort, dispose). */
  failJob?: (error: ProofError) => void;
  /** Set while starting: fails the start-up. */
  failStart?: (error: ProofError) => void;
  /** The cores the running job holds (none for a warm-up or outside adaptive mode). */
  grant: CoreGrant;
}

interface Waiter {
  readonly warmup: boolean;
  resolve(slot: Slot): void;
  reject(error: ProofError): void;
}

/** How a job names an untyped abort (a typed reason, e.g. TIMEOUT, is kept as is). */
const CANCELLED = { message: "The proof was cancelled." } as const;

export class WorkerPool {
  readonly #o: WorkerPoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #waiters: Waiter[] = [];
  #nextId = 1;
  #startFailures = 0;
  #broken: ProofError | undefined;
  #disposed = false;
  #lastStartMs: number | undefined;
  /** Held cores; absent unless threads are adaptive (other modes never widen, so never wait for cores). */
  readonly #ledger: CoreLedger | undefined;
  /** The worker whose helper threads are the pool's one set (adaptive mode). */
  readonly #helpers = new HelperHolder<Slot>();

  constructor(options: WorkerPoolOptions) {
    this.#o = options;
    this.#ledger = options.threads === "adaptive" ? new CoreLedger(options.cores ?? 1, options.size) : undefined;
  }

  /** Cores held by running jobs (adaptive mode; 0 otherwise). */
  get heldCores(): number {
    return this.#ledger?.held ?? 0;
  }

  get stats(): WorkerPoolStats {
    const count = (s: SlotState) => [...this.#slots].filter((slot) => slot.state === s).length;
    return { starting: count("starting"), idle: count("idle"), busy: count("busy"), waiting: this.#waiters.length, spawned: this.#nextId - 1 };
  }

  /** How long the last worker took to start (import the prover, build the curve), if one did. */
  get lastStartMs(): number | undefined {
    return this.#lastStartMs;
  }

  /** True when a job submitted now would have to start a worker first. */
  get wouldStart(): boolean {
    const live = [...this.#slots].filter((s) => s.state !== "gone");
    return !live.some((s) => s.state === "idle") && live.length < this.#o.size;
  }

  /** Workers free right now (what a job submitted now would get). */
  idleWorkers(): PooledWorker[] {
    return [...this.#slots].filter((s) => s.state === "idle").map((s) => s.worker);
  }

  /**
   * Ask for a worker of its own for one job. The pool hands out workers and runs nothing: the
   * caller does its work on `lease.worker`, races it against `lease.failed` (abort, the worker's
   * death, disposal: a call to a dead worker never settles) and ends the lease. When a worker
   * is started for this job's turn, `starting` is that worker while it starts: calls made on it
   * now run alongside its start-up (e.g. loading the job's artifacts while the prover is
   * imported); the lease may still be another worker that frees first.
   */
  request(options: RunOptions = {}): PoolTicket {
    const { signal, deadline } = options;
    const refused = (error: ProofError): PoolTicket => ({ starting: undefined, lease: Promise.reject(error) });
    if (this.#disposed) return refused(new DisposedError("The prover was disposed."));
    if (this.#broken) return refused(this.#broken);
    if (signal?.aborted) return refused(abortError(signal, CANCELLED));
    let starting: PooledWorker | undefined;
    const waiting = this.#acquire(signal, options.warmup === true, (worker) => (starting = worker));
    // The job's time budget runs from now: waiting, then working. Spent while it waits, the job
    // leaves the queue; spent while it works, its worker is terminated, as on an abort.
    let leased: Slot | undefined;
    const timer = deadline
      ? this.#o.clock.setTimeout(() => {
          const error = deadline.error();
          if (!leased) return waiting.cancel(error);
          leased.failJob?.(error);
          this.#retire(leased, true);
        }, deadline.ms)
      : undefined;
    const lease = waiting.slot.then(
      (granted) => ((leased = granted), this.#lease(granted, options, timer)),
      (error: unknown) => {
        this.#o.clock.clearTimeout(timer);
        throw error;
      },
    );
    return { starting, lease };
  }

  #lease(slot: Slot, options: RunOptions, timer: TimerHandle | undefined): WorkerLease {
    const { signal } = options;
    let onAbort: (() => void) | undefined;
    const failed = new Promise<never>((_, reject) => {
      slot.failJob = reject;
      if (signal) {
        onAbort = () => {
          reject(abortError(signal, CANCELLED));
          this.#retire(slot, true);
        };
        signal.addEventListener("abort", onAbort, { once: true });
      }
    });
    failed.catch(() => undefined); // raced by the holder; observed here for the moments it is not
    const grant = slot.grant;
    const cores: JobCores = {
      threads: () => {
        const threads = grant.threads(this.#waiters.length, this.#helpers.mayUse(slot));
        if (threads > 1) this.#takeHelpers(slot);
        return threads;
      },
      warmThreads: () => {
        const cores = this.#ledger?.cores ?? 1;
        if (cores < 2 || !this.#helpers.mayUse(slot)) return 1;
        this.#takeHelpers(slot);
        return cores;
      },
    };
    let ended = false;
    const end = (error?: unknown): void => {
      if (ended) return;
      ended = true;
      this.#o.clock.clearTimeout(timer);
      // A worker that ran out of memory keeps its grown (or half-grown) WebAssembly heaps and
      // fails the next job too, even a smaller circuit: replace it, as after a crash. A worker
      // whose helper thread died reports WORKER_CRASHED itself: its threads are gone too.
      const poisoned = error instanceof ProofError && (error.code === "RESOURCE_EXHAUSTED" || error.code === "WORKER_CRASHED");
      if (onAbort) signal?.removeEventListener("abort", onAbort);
      slot.failJob = undefined;
      slot.warming = false;
      this.#helpers.ended(slot);
      grant.release();
      slot.grant = ONE_THREAD;
      if (slot.state === "busy") {
        if (options.countsAsProof !== false) slot.proofs += 1;
        if (poisoned || slot.proofs >= this.#o.maxProofsPerWorker) this.#retire(slot, true);
        else this.#release(slot);
      }
      // Retired (aborted, crashed, recycled): its cores are free now for a job waiting on another idle worker.
      if (slot.state === "gone" && this.#ledger) this.#dispatch();
    };
    return { worker: slot.worker, cores, failed, end };
  }

  /** Terminate every worker; pending and running jobs reject with DISPOSED. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const error = new DisposedError("The prover was disposed.");
    for (const waiter of this.#waiters.splice(0)) waiter.reject(error);
    for (const slot of [...this.#slots]) {
      slot.failJob?.(error);
      slot.failStart?.(error);
      this.#retire(slot, false);
    }
  }

  /** A slot for a job, now or when one frees; `cancel` takes a job still waiting out of the line. */
  #acquire(signal: AbortSignal | undefined, warmup: boolean, onStarting: (worker: PooledWorker) => void): { slot: Promise<Slot>; cancel(error: ProofError): void } {
    const idle = this.#helpers.holderFirst(this.#slots).find((s) => s.state === "idle");
    if (idle && this.#hasCoreFor(warmup)) {
      this.#assign(idle, warmup);
      return { slot: Promise.resolve(idle), cancel: () => undefined };
    }
    let cancel: (error: ProofError) => void = () => undefined;
    const slot = new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = {
        warmup,
        resolve: (slot) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(slot);
        },
        reject: (error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      cancel = (error) => {
        const i = this.#waiters.indexOf(waiter);
        if (i < 0) return;
        this.#waiters.splice(i, 1);
        waiter.reject(error);
      };
      const onAbort = () => cancel(abortError(signal as AbortSignal, CANCELLED));
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
      const started = this.#fill();
      if (started[0]) onStarting(started[0]);
    });
    return { slot, cancel: (error) => cancel(error) };
  }

  /**
   * Start workers while jobs wait for them and the pool has room; returns the workers started.
   * A warm-up needs a worker of its own, but hands it on warm to the next job, so jobs first
   * count on the workers that warm-ups are starting or warming.
   */
  #fill(): PooledWorker[] {
    if (this.#disposed || this.#broken) return [];
    const live = [...this.#slots].filter((s) => s.state !== "gone");
    const starting = live.filter((s) => s.state === "starting").length;
    const warming = live.filter((s) => s.state === "busy" && s.warming).length;
    const warmupsWaiting = this.#waiters.filter((w) => w.warmup).length;
    const jobsWaiting = this.#waiters.length - warmupsWaiting;
    let room = this.#o.size - live.length;
    let unmet = warmupsWaiting + Math.max(0, jobsWaiting - warmupsWaiting - warming) - starting;
    const started: PooledWorker[] = [];
    while (room > 0 && unmet > 0) {
      const worker = this.#spawn();
      if (worker) started.push(worker);
      room -= 1;
      unmet -= 1;
    }
    return started;
  }

  #dispatch(): void {
    for (const slot of this.#helpers.holderFirst(this.#slots)) {
      if (slot.state !== "idle") continue;
      // First come first served; a warm-up needs no core, so it may pass jobs waiting for one.
      const i = this.#waiters.findIndex((w) => this.#hasCoreFor(w.warmup));
      if (i < 0) break;
      const [waiter] = this.#waiters.splice(i, 1) as [Waiter];
      this.#assign(slot, waiter.warmup);
      waiter.resolve(slot);
    }
    this.#fill();
  }

  /** `slot`'s job uses helpers: it holds the pool's set, and the previous holder stops its own. */
  #takeHelpers(slot: Slot): void {
    const previous = this.#helpers.take(slot);
    if (previous?.state === "idle" || previous?.state === "busy") {
      if (previous.worker.has("releaseHelpers")) void previous.worker.call("releaseHelpers").catch(() => undefined);
    }
  }

  #hasCoreFor(warmup: boolean): boolean {
    return this.#ledger?.admits(warmup) ?? true;
  }

  #assign(slot: Slot, warmup: boolean): void {
    slot.state = "busy";
    slot.warming = warmup;
    slot.grant = this.#ledger?.grant(warmup) ?? ONE_THREAD;
  }

  #release(slot: Slot): void {
    slot.state = "idle";
    this.#dispatch();
  }

  /** Take a worker out of the pool for good; optionally start a warm replacement. */
  #retire(slot: Slot, replace: boolean): void {
    if (slot.state === "gone") return;
    slot.state = "gone";
    this.#slots.delete(slot);
    this.#helpers.retired(slot);
    try {
      slot.handle.terminate();
    } catch {
      /* already dead */
    }
    // The replacement starts on the next timer turn: creating a worker costs milliseconds of
    // this thread, and the job that ended (aborted, crashed, recycled) settles first.
    if (replace && !this.#disposed && !this.#broken) {
      this.#o.clock.setTimeout(() => {
        const live = [...this.#slots].filter((s) => s.state !== "gone").length;
        if (!this.#disposed && !this.#broken && live < this.#o.size) this.#spawn();
      }, 0);
    }
  }

  #spawn(): PooledWorker | undefined {
    const id = this.#nextId++;
    let handle: WorkerHandle;
    try {
      handle = this.#o.factory();
    } catch (cause) {
      // A factory's own typed error says why (e.g. "no Web Worker here: use proofline/node").
      const why = cause instanceof ProofError ? ` ${cause.message}` : "";
      this.#startFailed(new WorkerStartError(`The prover worker could not be created.${why}`, { cause, details: { workerId: id } }));
      return undefined;
    }
    const worker = pooledWorker(id, handle);
    const slot: Slot = { worker, handle, state: "starting", proofs: 0, warming: false, grant: ONE_THREAD };
    this.#slots.add(slot);
    handle.onDeath((death) => this.#onDeath(slot, death));
    void this.#start(slot);
    return worker;
  }

  async #start(slot: Slot): Promise<void> {
    const t0 = this.#o.clock.now();
    let timer: TimerHandle | undefined;
    const failed = new Promise<never>((_, reject) => {
      slot.failStart = reject;
      timer = this.#o.clock.setTimeout(
        () => reject(new WorkerStartError("The prover worker did not start in time.", { details: { workerId: slot.worker.id, timeoutMs: this.#o.startTimeoutMs } })),
        this.#o.startTimeoutMs,
      );
    });
    try {
      await Promise.race([slot.worker.call("init", { threads: this.#o.threads, ...(this.#ledger ? { cores: this.#ledger.cores } : {}), ...(this.#o.backend ? { backend: this.#o.backend } : {}), ...(this.#o.memoryBudgetMB ? { memoryBudgetMB: this.#o.memoryBudgetMB } : {}) }), failed]);
    } catch (cause) {
      if (this.#disposed) return;
      this.#retire(slot, false);
      const error = cause instanceof WorkerStartError ? cause : new WorkerStartError("The prover worker failed to start.", { cause, details: { workerId: slot.worker.id } });
      this.#startFailed(error);
      return;
    } finally {
      this.#o.clock.clearTimeout(timer);
      slot.failStart = undefined;
    }
    if (slot.state !== "starting") return; // disposed or died meanwhile
    this.#startFailures = 0;
    this.#lastStartMs = this.#o.clock.now() - t0;
    this.#release(slot);
  }

  #startFailed(error: ProofError): void {
    this.#startFailures += 1;
    if (this.#startFailures >= this.#o.maxStartFailures) {
      this.#broken = new WorkerStartError(`Prover workers failed to start ${this.#startFailures} times in a row; respawning stopped. Last: ${error.message}`, {
        cause: error,
        details: { attempts: this.#startFailures },
      });
      for (const waiter of this.#waiters.splice(0)) waiter.reject(this.#broken);
      return;
    }
    this.#fill();
  }

  #onDeath(slot: Slot, death: WorkerDeath): void {
    if (slot.state === "gone") return; // a termination we asked for
    if (slot.state === "starting") {
      // No input has reached a starting worker, so its own error is safe to pass on, and it is
      // the only clue to why (a module that failed to load, an option the worker refused).
      const why = death.error ? ` ${death.error.code ? `${death.error.code}: ` : ""}${death.error.message}` : "";
      slot.failStart?.(
        new WorkerStartError(`The prover worker died while starting.${why}`, {
          details: { workerId: slot.worker.id, kind: death.kind, exitCode: death.exitCode, ...(death.error?.code ? { workerErrorCode: death.error.code } : {}) },
        }),
      );
      return;
    }
    const hadJob = slot.state === "busy";
    slot.failJob?.(
      new WorkerCrashedError("The prover worker died during the job.", { details: { workerId: slot.worker.id, kind: death.kind, exitCode: death.exitCode } }),
    );
    // A busy slot is retired by run()'s finally only if still busy; retire here in every case.
    this.#retire(slot, hadJob || this.#waiters.length > 0);
  }
}
