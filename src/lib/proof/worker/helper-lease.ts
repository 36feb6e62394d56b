/**
 * When a prover worker may stop its helper threads. The pool keeps one set of helpers for all
 * its workers and asks a worker to stop its own when another worker's proof takes the set; it
 * asks only when this worker's proofs are not using them, but a message can cross a proof that
 * just started here, so a stop requested while a proof or warm-up holds the helpers waits for the
 * last of them to end. Stopping helpers under a proof would leave it waiting for answers that
 * never come (a terminated helper sends nothing, not even its death).
 *
 * The lease only counts: each method says whether the helpers should stop now, and its caller
 * stops them, so nothing here calls back into the code that owns the helpers.
 */
export class HelperLease {
  #holders = 0;
  #stopWhenFree = false;

  /** A proof or warm-up starts using the helpers; call {@link end} when it ends, failed or not. */
  take(): void {
    this.#holders += 1;
  }

  /** A holder ended. True when the helpers should stop now: a stop asked meanwhile waited for this last holder. */
  end(): boolean {
    this.#holders -= 1;
    return this.#holders === 0 && this.#due();
  }

  /** A stop is asked. True when the helpers may stop now; otherwise the last holder's {@link end} says so. */
  release(): boolean {
    this.#stopWhenFree = true;
    return this.#holders === 0 && this.#due();
  }

  #due(): boolean {
    const due = this.#stopWhenFree;
    this.#stopWhenFree = false;
    return due;
  }
}
