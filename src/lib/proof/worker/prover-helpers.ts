/**
 * The helper threads a prover worker may spread a proof over (adaptive mode): a threaded curve
 * for snarkjs (threaded-curve.ts), or bn254 slice helpers (slice-helper-set.ts) that each keep a
 * slice of every MSM's bases. Helpers start on the first proof (or warm-up) that can use them,
 * never at start-up or load, and are held through a lease (helper-lease.ts) so that the pool can
 * hand one set of helpers from worker to worker.
 */
import type { WireError } from "../core/errors.js";
import { classifyError } from "../core/error-classification.js";
import { compiledBn254Module } from "./bn254/prover/groth16-prover.js";
import type { ZkeyRef } from "./bn254/readers/zkey-groth16.js";
import { SliceHelperDied } from "./bn254/split/slice-helper-client.js";
import { SliceHelperSet } from "./bn254/split/slice-helper-set.js";
import type { SplitProving } from "./bn254/split/split-prover.js";
import { HelperLease } from "./helper-lease.js";
import type { ProverCoreOptions } from "./prover-core-options.js";
import { HelperThreadDied, ThreadedCurve } from "./threaded-curve.js";

export class ProverHelpers {
  readonly threaded: ThreadedCurve | undefined;
  readonly split: SliceHelperSet | undefined;
  readonly #lease = new HelperLease();

  constructor(options: Pick<ProverCoreOptions, "helperThreads" | "sliceHelpers" | "helperStartTimeoutMs">) {
    const timeout = options.helperStartTimeoutMs === undefined ? {} : { startTimeoutMs: options.helperStartTimeoutMs };
    this.threaded = options.helperThreads ? new ThreadedCurve(options.helperThreads, timeout) : undefined;
    this.split = options.sliceHelpers ? new SliceHelperSet({ spawn: options.sliceHelpers, module: compiledBn254Module, ...timeout }) : undefined;
  }

  /** Whether the backend (bn254 or snarkjs) has helpers to start. */
  available(bn254: boolean): boolean {
    return (bn254 ? this.split : this.threaded) !== undefined;
  }

  /** Holds the helpers for a proof or warm-up (a release meanwhile waits for it); returns its end, to call when it ends. */
  hold(): () => void {
    this.#lease.take();
    return () => {
      if (this.#lease.end()) this.#stop();
    };
  }

  /** Stop the helpers now, or when the last proof holding them ends (they start again on the next proof that needs them). */
  release(): void {
    if (this.#lease.release()) this.#stop();
  }

  #stop(): void {
    this.split?.dispose();
    this.threaded?.dispose();
  }

  /**
   * The split prover for a bn254 proof granted `threads`, with `zkey` sliced. Undefined when the
   * proof runs on one thread (helpers that cannot start included).
   */
  splitFor(threads: number, zkey: ZkeyRef): Promise<SplitProving | undefined> {
    if (!this.split || threads < 2) return Promise.resolve(undefined);
    return this.split
      .get(threads - 1)
      .then(async (p) => (await p.warm(zkey), p))
      .catch(() => undefined);
  }
}

/**
 * The wire error of a helper's death during a proof; undefined for any other error. A helper
 * that ran out of memory is the same failure as the worker running out (RESOURCE_EXHAUSTED,
 * which callers fall back on); any other death is a crash. Either way this worker's helpers are
 * gone, and the pool replaces the worker on both codes.
 */
export function helperDeath(error: unknown, context: { circuitId: string; stage: string; threads: number }): WireError | undefined {
  if (!(error instanceof HelperThreadDied || error instanceof SliceHelperDied)) return undefined;
  const { circuitId, stage, threads } = context;
  const cause = error.cause === undefined ? undefined : classifyError(error.cause, { circuitId, stage }).toWire();
  if (cause?.code === "RESOURCE_EXHAUSTED") return { ...cause, details: { ...cause.details, threads } };
  return { code: "WORKER_CRASHED", message: "A helper thread of the prover worker died during the proof.", details: { circuitId, threads } };
}
