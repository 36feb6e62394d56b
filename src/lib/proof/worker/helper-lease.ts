/**
 * When a prover worker may stop its helper threads. The pool keeps one set of helpers for all
 * its workers and asks a worker to stop its own when another worker's proof takes the set; it
 * asks only when this worker's proofs are not using them, but a message can cross a proof that
 * just started here, so a stop requested while a proof or warm-up holds the helpers waits for the
 * last of them to end. Stopping helpers under a proof would leave it waiting for answers that
 * never come (a terminated helper sends nothing, not even its death).
 */
export class HelperLease {
  readonly #stop: () => void;
  #holders = 0;
  #stopWhenFree = false;

  /** `stop`: terminate the helpers (they start again on the next proof that needs them). */
  constructor(stop: () => void) {
    this.#stop = stop;
  }

  /** Stop the helpers now, or when the last proof holding them ends. */
  release(): void {
    if (this.#holders > 0) this.#stopWhenFree = true;
    else this.#stopNow();
  }

  /** Run `work` (a proof or warm-up) with the helpers held. */
  async hold<T>(work: () => Promise<T>): Promise<T> {
    this.#holders += 1;
    try {
      return await work();
    } finally {
      this.#holders -= 1;
      if (this.#holders === 0 && this.#stopWhenFree) this.#stopNow();
    }
  }

  #stopNow(): void {
    this.#stopWhenFree = false;
    this.#stop();
  }
}
