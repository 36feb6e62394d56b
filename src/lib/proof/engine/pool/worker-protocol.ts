/**
 * The wire protocol between the pool (caller's thread) and a prover worker. Types only: the
 * worker implements `ProverWorkerApi` (src/lib/proof/worker/prover-core.ts), the pool calls it through a
 * comlink `Remote`. Nothing here throws across the boundary: every method resolves to a
 * `WorkerResult`, because comlink drops custom error fields and codes are what callers need.
 */
import type { WireError } from "../../core/errors.js";
import type { ArtifactProgress, CircuitDefinition, Groth16Proof } from "../types.js";

/** A worker's answer: a value, or a typed error (code + safe message + safe details). */
export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: WireError };

/**
 * How snarkjs uses threads inside a prover worker.
 * - `adaptive`: a warm single-threaded curve, plus a threaded curve (helper threads nested in the
 *   prover worker) that a proof uses when the pool grants it idle cores (`ProveCallOptions`).
 * - `single`: snarkjs single-threaded, one curve built once per worker and kept warm.
 * - `snarkjs`: snarkjs's own nested workers (one per core) for every proof. Browsers only: Node
 *   workers reject this mode at start-up.
 */
export type ThreadMode = "adaptive" | "single" | "snarkjs";

/**
 * What computes a proof from the witness inside a prover worker.
 * - `snarkjs`: snarkjs's `groth16.prove` (the reference).
 * - `bn254`: proofline's BN254 WebAssembly prover (worker/bn254/), which keeps each zkey's points
 *   decoded between proofs; in adaptive mode a proof granted t threads is split across the
 *   worker and t - 1 bn254 helper threads nested in it. The prover's default.
 * Either way circom's witness calculator computes the witness and snarkjs verifies the proof.
 */
export type ProvingBackend = "snarkjs" | "bn254";

/** Per-proof options of `prove`. */
export interface ProveCallOptions {
  /** Threads this proof may use (helper threads when > 1, adaptive mode; either backend). @default 1 */
  readonly threads?: number;
}

/** Options of `warm`: what the next proof will run on, and what a rehearsal of it may use. */
export interface WarmCallOptions extends ProveCallOptions {
  /**
   * A valid, non-secret input of the circuit (e.g. an empty statement): the warm-up computes its
   * witness once, and proves and verifies it once, all thrown away, so the first real proof finds
   * the witness calculator's and the prover's code optimised. Absent: the rehearsal proof uses a
   * stand-in witness and the calculator is only built.
   */
  readonly input?: WireInput;
  /** The pinned vkey: the rehearsal verifies its throwaway proof too (warming the pairing code). */
  readonly vkey?: Record<string, unknown>;
  /** False: build only, no rehearsal (a job waiting for this worker had better run cold than wait). @default true */
  readonly rehearse?: boolean;
}

export interface WorkerInitOptions {
  readonly threads: ThreadMode;
  /** Absent: `snarkjs` (the prover's options always say which; their default is `bn254`). */
  readonly backend?: ProvingBackend;
  /** Cores of the machine: adaptive workers warm a threaded curve with this many threads. */
  readonly cores?: number;
  /** Memory a circuit may take (MB): `load` refuses a zkey whose header says it needs more (RESOURCE_EXHAUSTED). */
  readonly memoryBudgetMB?: number;
}

export interface WorkerInfo {
  readonly threads: ThreadMode;
  readonly backend?: ProvingBackend;
  /** Time to import snarkjs and build the curve. */
  readonly initMs: number;
  /** Adaptive mode: whether this worker can start helper threads (false: every proof runs on one). */
  readonly helpers?: boolean;
}

/** Values already in canonical form (decimal strings), see canonical-input.ts. */
export type WireSignal = string | WireSignal[];
export type WireInput = Record<string, WireSignal>;

/** A step reported by the worker while proving. */
export type WorkerProgress =
  | { readonly kind: "witness-start" }
  | { readonly kind: "witness-done"; readonly witnessMs: number }
  /**
   * A step of the proof, with the fraction (0..1) of the proving phase it marks: yielded by the
   * bn254 prover, or read by the worker from snarkjs's debug log (snarkjs-steps.ts).
   */
  | { readonly kind: "prover-step"; readonly step: string; readonly fraction: number };

export interface WorkerProof {
  readonly proof: Groth16Proof;
  readonly publicSignals: string[];
  readonly witnessMs: number;
  readonly proveMs: number;
  /** Threads the proof ran on (1: the warm single-threaded curve). */
  readonly threads?: number;
}

export interface WorkerVerification {
  readonly valid: boolean;
  readonly verifyMs: number;
}

export interface WorkerRerandomized {
  readonly proof: Groth16Proof;
  /** Set when public signals were given: the new proof checked against the same vkey. */
  readonly valid?: boolean;
  readonly rerandomizeMs: number;
}

/** What `warm` built, and how long it took. */
export interface WorkerWarmed {
  readonly circuitId: string;
  /** Threads the next proof will find warm (1 when helpers could not start). */
  readonly threads: number;
  readonly warmMs: number;
  /** Time of the throwaway witness, proof and verification (bn254 backend), part of `warmMs`. */
  readonly rehearsalMs?: number;
}

/** A circuit a worker fetched (or read from its store) and checked against the pins itself. */
export interface WorkerLoaded {
  readonly circuitId: string;
  /** The pinned verification key, parsed. */
  readonly vkey: Record<string, unknown>;
  /** Bytes that came over the network (0 from the store or memory). */
  readonly networkBytes: number;
  readonly loadMs: number;
}

export interface ProverWorkerApi {
  /** Import snarkjs and warm the curve. Must succeed before any other call. */
  init(options: WorkerInitOptions): Promise<WorkerResult<WorkerInfo>>;
  /** Keep a circuit's bytes in memory for later proofs. The buffers are transferred, not copied. */
  load(circuitId: string, wasm: Uint8Array, zkey: Uint8Array): Promise<WorkerResult<{ circuitId: string }>>;
  /**
   * Fetch (or read from the worker's persistent store), check against the pins and keep a
   * circuit's artifacts, all inside the worker: the caller's thread sends only the pins (absolute
   * URLs, sizes, SHA-256) and receives progress and the parsed vkey. Optional: worker entries
   * without an artifact loader answer through `load` only.
   */
  loadPinned?(circuit: CircuitDefinition, onProgress?: (p: ArtifactProgress) => void): Promise<WorkerResult<WorkerLoaded>>;
  /**
   * Build, for a loaded circuit, everything its next proof on `threads` threads would build
   * first: the witness calculator, the decoded zkey (whole, or sliced across helper threads
   * started now) or the threaded curve, and the verifying curve; with the bn254 backend, then
   * rehearse one proof (see `WarmCallOptions`). Optional: the prover skips it for workers without it.
   */
  warm?(circuitId: string, options?: WarmCallOptions): Promise<WorkerResult<WorkerWarmed>>;
  /**
   * Stop this worker's helper threads (bn254 slice helpers, the threaded curve) once no proof
   * uses them: the pool keeps one set of helpers, and another worker's lone proof took it.
   * Optional: the pool skips it for workers without it.
   */
  releaseHelpers?(): Promise<WorkerResult<void>>;
  /** Compute the witness, then the Groth16 proof, for a loaded circuit. */
  prove(circuitId: string, input: WireInput, onProgress?: (p: WorkerProgress) => void, options?: ProveCallOptions): Promise<WorkerResult<WorkerProof>>;
  /** Verify a proof against a verification key (the pinned one: the caller chooses it). */
  verify(vkey: Record<string, unknown>, publicSignals: string[], proof: Groth16Proof): Promise<WorkerResult<WorkerVerification>>;
  /**
   * A Groth16 re-randomisation of `proof` (same statement, different bytes) with the worker's
   * warm curve; verified against `vkey` too when `publicSignals` are given. Optional so worker
   * entries written against the earlier protocol still type-check; the prover reports its
   * absence as SYSTEM_ERROR.
   */
  rerandomize?(vkey: Record<string, unknown>, proof: Groth16Proof, publicSignals?: string[]): Promise<WorkerResult<WorkerRerandomized>>;
}
