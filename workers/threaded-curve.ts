/**
 * The prover worker's second curve: ffjavascript's threaded BN254 curve, whose helper threads run
 * nested in the prover worker. A proof granted more than one thread uses it; every other call
 * keeps the warm single-threaded curve.
 *
 * snarkjs never takes a curve argument: `groth16.prove` asks ffjavascript for the threaded curve,
 * and ffjavascript answers with `globalThis.curve_bn128` whenever it is set (and sets it when it
 * builds one). So the curve is built with that global cleared, and the caller installs whichever
 * curve the next call should use right before it.
 *
 * The number of helper threads is fixed when the curve is built; a proof granted a different
 * number rebuilds it (a few hundred ms; on a machine whose load changes rarely, rare). Helpers
 * hold grown WebAssembly memory after a proof, bounded by one curve per prover worker.
 */

/** What the prover core needs of a built curve. */
export interface Curve {
  terminate?: () => Promise<void>;
}

/** The platform part: how helper threads start (browser: nested Web Workers; Node: worker_threads). */
export interface HelperThreads {
  /** Build ffjavascript's threaded curve with exactly `threads` helper threads. */
  build(threads: number): Promise<Curve>;
  /**
   * `listener` runs when a helper thread dies without being asked to (error, crash, out of
   * memory), with the helper's uncaught error when there was one.
   */
  onDeath(listener: (cause?: unknown) => void): void;
}

const CURVE_GLOBAL = "curve_bn128";
type Global = typeof globalThis & { [CURVE_GLOBAL]?: Curve | null };

/** Raised inside the worker when a helper died mid-proof; the core reports it as WORKER_CRASHED. */
export class HelperThreadDied extends Error {
  constructor(cause?: unknown) {
    super("A helper thread of the prover worker died.", cause === undefined ? undefined : { cause });
    this.name = "HelperThreadDied";
  }
}

export class ThreadedCurve {
  readonly #helpers: HelperThreads;
  #curve: Promise<Curve> | undefined;
  #threads = 0;
  readonly #waiting = new Set<(error: HelperThreadDied) => void>();

  constructor(helpers: HelperThreads) {
    this.#helpers = helpers;
    helpers.onDeath((cause) => {
      // The curve's task queue now waits for a thread that will never answer: fail whoever
      // waits, and build afresh next time (the pool replaces this worker anyway).
      this.#forget();
      for (const fail of [...this.#waiting]) fail(new HelperThreadDied(cause));
    });
  }

  /** Threads of the curve built or being built (0: none). */
  get threads(): number {
    return this.#threads;
  }

  /** The curve with `threads` helpers, built now if needed. Leaves `globalThis.curve_bn128` as it found it. */
  get(threads: number): Promise<Curve> {
    if (this.#curve && this.#threads === threads) return this.#curve;
    this.dispose();
    this.#threads = threads;
    const g = globalThis as Global;
    const built = (async () => {
      const previous = g[CURVE_GLOBAL];
      g[CURVE_GLOBAL] = null;
      try {
        return await this.#helpers.build(threads);
      } finally {
        g[CURVE_GLOBAL] = previous;
      }
    })();
    this.#curve = built;
    built.catch(() => {
      if (this.#curve === built) this.#forget();
    });
    return built;
  }

  /** Settle with `work`, or reject with HelperThreadDied as soon as a helper dies. */
  async race<T>(work: Promise<T>): Promise<T> {
    let fail: ((error: HelperThreadDied) => void) | undefined;
    const died = new Promise<never>((_, reject) => {
      fail = reject;
      this.#waiting.add(reject);
    });
    try {
      return await Promise.race([work, died]);
    } finally {
      if (fail) this.#waiting.delete(fail);
    }
  }

  /** Stop the helper threads (the prover worker's own termination stops them too). */
  dispose(): void {
    const curve = this.#curve;
    this.#forget();
    void curve?.then((c) => c.terminate?.()).catch(() => undefined);
  }

  #forget(): void {
    this.#curve = undefined;
    this.#threads = 0;
  }
}
