/**
 * Which worker of the pool holds the pool's one set of helper threads.
 *
 * A proof granted t threads runs on its worker and t - 1 helper threads nested in it, each
 * keeping a slice of every circuit the worker proved wide (bn254) or a threaded curve (snarkjs).
 * The core ledger lets one proof at a time widen to the idle cores (a job that arrives meanwhile
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
