/**
 * What a prover worker core is built with (prover-core.ts): the entry files pass the platform's
 * parts, tests pass stand-ins.
 */
import type { ArtifactSource, Groth16Proof } from "../engine/types.js";
import type { SpawnedHelper } from "./bn254/split/slice-helper-client.js";
import type { Curve, HelperThreads } from "./threaded-curve.js";
import type { WarmWitness } from "./warm-witness.js";

/** The slice of snarkjs this worker uses (snarkjs ships no types). */
export interface Snarkjs {
  wtns: { calculate(input: unknown, wasm: Uint8Array, out: { type: "mem"; data?: Uint8Array }): Promise<void> };
  groth16: {
    prove(zkey: Uint8Array, wtns: Uint8Array, logger?: unknown, options?: unknown): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean>;
  };
}

export interface ProverCoreOptions {
  /** False where snarkjs's nested workers cannot start (Node worker_threads). */
  readonly nestedThreadsSupported: boolean;
  /** Injected for tests; defaults to dynamic imports of snarkjs and ffjavascript. */
  readonly importSnarkjs?: () => Promise<Snarkjs>;
  readonly buildSingleThreadCurve?: () => Promise<Curve>;
  /** Where helper threads start (adaptive mode); absent: every proof runs on one thread. */
  readonly helperThreads?: HelperThreads;
  /**
   * Starts one bn254 helper thread (adaptive mode, `backend: "bn254"`); absent: bn254 proofs run
   * on one thread.
   */
  readonly sliceHelpers?: () => SpawnedHelper;
  /**
   * Makes witnesses with circom's calculator kept built per circuit (warm-witness.ts); absent:
   * snarkjs's `wtns.calculate`, which rebuilds it every call.
   */
  readonly witness?: WarmWitness;
  /** Longest helper threads may take to start before this worker proves on one thread only. @default 10000 */
  readonly helperStartTimeoutMs?: number;
  readonly now?: () => number;
  /**
   * The worker's own artifact loader (fetch, SHA-256, persistent store), created on first
   * `loadPinned`. Absent: the worker only takes bytes through `load`.
   */
  readonly artifacts?: () => ArtifactSource;
  /**
   * With the bn254 backend, a zkey from `loadPinned` larger than this is let go once its prover
   * has decoded it, and read again from `artifacts` when needed (held-circuits.ts). Its buffer
   * is detached, so `artifacts` must hand such zkeys over (the artifact loader's
   * `handOverAboveBytes`, at most this). @default Infinity (kept)
   */
  readonly releaseZkeysAboveBytes?: number;
}
