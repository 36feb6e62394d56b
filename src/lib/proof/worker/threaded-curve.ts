/**
 * The prover worker's second curve: ffjavascript's threaded BN254 curve, whose helper threads run
 * nested in the prover worker. A proof granted more than one thread uses it; every other call
 * keeps the warm single-threaded curve.
 *
 * snarkjs never takes a curve argument: `groth16.prove` asks ffjavascript for the threaded curve,
 * and ffjavascript answers with `globalThis.curve_bn128` whenever it is set (and sets it when it
 * has built one). ffjavascript reads that global synchronously when a build starts, so it is
 * cleared for that instant only: calls on the warm curve go on while helpers start. The caller
 * installs whichever curve the next call should use right before it.
 *
 * Helpers that never answer (a page whose Content-Security-Policy has no `worker-src blob:`
 * leaves nested workers silent) must not stall proofs: a build that takes longer than
 * `startTimeoutMs` fails, and this worker stops asking for helpers.
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

/**
 * Build ffjavascript's threaded curve beside the installed one: `buildBn128(false)` returns the
 * global when one is set, so the global is cleared for the synchronous start of the build only,
 * and put back once ffjavascript has installed the curve it built. Platform `build`s call this.
 */
export function buildAside(buildBn128: (singleThread: boolean) => Promise<Curve>): Promise<Curve> {
  const g = globalThis as Global;
  const previous = g[CURVE_GLOBAL];
  g[CURVE_GLOBAL] = null;
  const building = buildBn128(false);
  g[CURVE_GLOBAL] = previous;
  return building.then((curve) => {
    if (g[CURVE_GLOBAL] === curve) g[CURVE_GLOBAL] = previous;
    return curve;
  });
}

/** Raised inside the worker when a helper died mid-proof; the core reports it as WORKER_CRASHED. */
export class HelperThreadDied extends Error {
  constructor(cause?: unknown) {
    super("A helper thread of the prover worker died.", cause === undefined ? undefined : { cause });
    this.name = "HelperThreadDied";
  }
}

export interface ThreadedCurveOptions {
  /** Longest a build may take before helpers count as unavailable here. @default 10000 */
  readonly startTimeoutMs?: number;
  /** @default globalThis.setTimeout */
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
}

/** Helpers did not start in time; this worker proves on one thread from now on. */
export class HelpersUnavailable extends Error {
  constructor() {
    super("Helper threads did not start in time.");
    this.name = "HelpersUnavailable";
  }
}

export class ThreadedCurve {
  readonly #helpers: HelperThreads;
  readonly #startTimeoutMs: number;
  readonly #setTimeout: (fn: () => void, ms: number) => unknown;
  #curve: Promise<Curve> | undefined;
  #threads = 0;
  #unavailable = false;
  readonly #waiting = new Set<(error: HelperThreadDied) => void>();

  constructor(helpers: HelperThreads, options: ThreadedCurveOptions = {}) {
    this.#helpers = helpers;
    this.#startTimeoutMs = options.startTimeoutMs ?? 10_000;
    this.#setTimeout = options.setTimeout ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
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
    if (this.#unavailable) return Promise.reject(new HelpersUnavailable());
    if (this.#curve && this.#threads === threads) return this.#curve;
    this.dispose();
    this.#threads = threads;
    const building = this.#helpers.build(threads);
    let settled = false;
    const built = new Promise<Curve>((resolve, reject) => {
      this.#setTimeout(() => {
        if (settled) return;
        this.#unavailable = true;
        reject(new HelpersUnavailable());
      }, this.#startTimeoutMs);
      building.then(resolve, reject).finally(() => (settled = true));
    });
    void building.then(
      (curve) => {
        if (this.#unavailable) void curve.terminate?.().catch(() => undefined);
      },
      () => undefined,
    );
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
