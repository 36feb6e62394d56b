/**
 * The pool's bookkeeping of the machine's cores: which cores its running jobs hold, how many
 * threads one proof may use, and which worker holds the one set of helper threads a wide proof
 * runs on.
 *
 * Every job holds one core from the moment it is given a worker. A proof may widen, at the moment
 * it starts proving, to every core no other job holds, but only when no job is waiting: a lone
 * proof then runs on all idle cores (snarkjs's threads beat one thread on an idle machine:
 * ebsl-16 1,007 against 1,877 ms in Node on 2 cores), while under a burst every job stays on one
 * core (one single-threaded proof per core beats threads on a busy machine, where threads only add
 * synchronisation). The decision waits until proving starts because a burst submitted in one tick
 * is only fully queued after the first job was already handed a worker.
 *
 * A job that widened keeps its cores until it ends; a job that arrives meanwhile waits for a core
 * rather than oversubscribe the machine. The sum of held cores never exceeds `capacity`.
 */

export interface WidenQuery {
  /** Cores of the machine (threads one proof may use at most). */
  readonly cores: number;
  /** Cores held by every running job, this one included. */
  readonly held: number;
  /** Jobs waiting for a worker or a core. */
  readonly waiting: number;
}

/**
 * Threads for a proof about to start, given that it already holds one core: 1 plus every core
 * nobody holds, or 1 while others wait.
 */
export function threadsForProof(q: WidenQuery): number {
  if (q.waiting > 0) return 1;
  return Math.max(1, 1 + q.cores - q.held);
}

/** The cores one job holds, from the moment it is given a worker until it ends. */
export interface CoreGrant {
  /**
   * Threads this job's proof may use, decided on the first call (the extra cores are taken then
   * and held until release): `waiting` is the number of jobs waiting for a worker or a core;
   * `mayWiden` false keeps the job on its one core whatever is idle.
   */
  threads(waiting: number, mayWiden?: boolean): number;
  /** Give every core of the job back; later calls do nothing. */
  release(): void;
}

/** A job outside adaptive mode (or a warm-up): no core held, one thread. */
export const ONE_THREAD: CoreGrant = { threads: () => 1, release: () => undefined };

export class CoreLedger {
  /** Cores jobs may hold at once: the machine's, or more when the pool was sized beyond them. */
  readonly capacity: number;
  readonly cores: number;
  #held = 0;

  constructor(cores: number, poolSize: number) {
    this.cores = Math.max(1, cores);
    this.capacity = Math.max(this.cores, poolSize);
  }

  get held(): number {
    return this.#held;
  }

  get free(): number {
    return this.capacity - this.#held;
  }

  /** Take one core for a job that was just given a worker; false when none is free. */
  take(): boolean {
    if (this.free < 1) return false;
    this.#held += 1;
    return true;
  }

  /**
   * Widen a job holding one core to the threads `threadsForProof` allows; returns the threads.
   * The extra cores are held until `give` returns them with the job's total.
   */
  widen(waiting: number): number {
    const threads = Math.min(this.cores, threadsForProof({ cores: this.cores, held: this.#held, waiting }), 1 + this.free);
    this.#held += threads - 1;
    return threads;
  }

  /** Return the cores a job held. */
  give(count: number): void {
    this.#held = Math.max(0, this.#held - count);
  }

  /** Whether a job may be given a worker now: a warm-up needs no core, any other job one. */
  admits(warmup: boolean): boolean {
    return warmup || this.free >= 1;
  }

  /** The grant of a job just given a worker (one core, or none for a warm-up or when none is free). */
  grant(warmup: boolean): CoreGrant {
    if (warmup || !this.take()) return ONE_THREAD;
    let cores = 1;
    let threads: number | undefined;
    return {
      threads: (waiting, mayWiden = true) => {
        if (threads === undefined) {
          threads = cores === 1 && mayWiden ? this.widen(waiting) : 1;
          cores = threads;
        }
        return threads;
      },
      release: () => {
        this.give(cores);
        cores = 0;
      },
    };
  }
}

/**
 * Which worker of the pool holds the pool's one set of helper threads.
 *
 * A proof granted t threads runs on its worker and t - 1 helper threads nested in it, each
 * keeping a slice of every circuit the worker proved wide (bn254) or a threaded curve (snarkjs).
 * The ledger above lets one proof at a time widen to the idle cores (a job that arrives meanwhile
 * waits for a core), so the pool needs one set of helpers, not one per worker: on a 16-core
 * machine with four workers, four sets would be 60 threads and four copies of every circuit's
 * bases. So the pool names one holder: a lone proof goes to the holder when it is idle (its
 * helpers and slices are warm), a wide proof on another worker (the holder was busy on one
 * thread) takes the set over and the old holder stops its helpers, and while the holder uses its
 * helpers no other proof widens.
 *
 * Generic over the pool's slot type; the pool tells it what happens.
 */
export class HelperHolder<S> {
  #holder: S | undefined;
  /** Slots running a job that uses helpers now (a wide proof, a warm-up preparing them). */
  readonly #using = new Set<S>();

  /** The holder, if any. */
  get holder(): S | undefined {
    return this.#holder;
  }

  /** Whether a job on `slot` may use helpers now: no other worker's helpers are in use. */
  mayUse(slot: S): boolean {
    return this.#holder === undefined || this.#holder === slot || !this.#using.has(this.#holder);
  }

  /**
   * A job on `slot` uses helpers from now until `ended(slot)`: `slot` holds the set. Returns the
   * previous holder, whose helpers are to be stopped, if it was another slot.
   */
  take(slot: S): S | undefined {
    const previous = this.#holder;
    this.#holder = slot;
    this.#using.add(slot);
    return previous !== undefined && previous !== slot ? previous : undefined;
  }

  /** The job on `slot` ended (its helpers stay, idle). */
  ended(slot: S): void {
    this.#using.delete(slot);
  }

  /** `slot` is gone (terminated with its nested helpers). */
  retired(slot: S): void {
    this.#using.delete(slot);
    if (this.#holder === slot) this.#holder = undefined;
  }

  /** `slots` with the holder first: an idle holder takes the next job, whose proof may be lone. */
  holderFirst(slots: Iterable<S>): S[] {
    const list = [...slots];
    const i = this.#holder === undefined ? -1 : list.indexOf(this.#holder);
    if (i > 0) list.unshift(...list.splice(i, 1));
    return list;
  }
}
