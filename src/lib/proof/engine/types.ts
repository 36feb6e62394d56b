/**
 * Types of the generic proving layer. Nothing EBSL-specific belongs here: the engine proves
 * any circom circuit from pinned artifacts.
 */
import type { ProofError } from "../core/errors.js";

/** One pinned artifact. `url` is absolute, or relative to the loader's `baseUrl`; in Node it may be a file path or file: URL. */
export interface ArtifactRef {
  readonly url: string;
  /** Exact byte length; checked before use. */
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the bytes; checked before use. */
  readonly sha256: string;
}

export type ArtifactKind = "wasm" | "zkey" | "vkey";

/** A circuit the prover can prove: its three pinned artifacts plus free-form metadata. */
export interface CircuitDefinition {
  readonly id: string;
  readonly wasm: ArtifactRef;
  readonly zkey: ArtifactRef;
  /** The verification key used by `verify`: always this pinned one, never one derived from a zkey. */
  readonly vkey: ArtifactRef;
  readonly constraints?: number;
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface ArtifactProgress {
  readonly circuitId: string;
  readonly artifact: ArtifactKind;
  readonly loadedBytes: number;
  readonly totalBytes: number;
  /** Where the bytes came from: a download, IndexedDB/disk, or the in-memory copy. */
  readonly source: "network" | "storage" | "memory";
}

export interface LoadedArtifacts {
  readonly circuitId: string;
  readonly wasm: Uint8Array;
  readonly zkey: Uint8Array;
  /** Parsed verification key JSON. */
  readonly vkey: Record<string, unknown>;
  /** Bytes fetched over the network for this load (0 when served from storage or memory). */
  readonly networkBytes: number;
}

export interface LoadOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ArtifactProgress) => void;
  /**
   * Called with each artifact's bytes as soon as they passed their checks, before the others
   * are in (a prover worker builds the witness calculator while the zkey is still read). The
   * bytes are the ones the load returns: read them, do not change or transfer them.
   */
  readonly onVerified?: (artifact: ArtifactKind, bytes: Uint8Array) => void;
}

/** What the prover needs from the artifact layer. */
export interface ArtifactSource {
  load(circuit: CircuitDefinition, options?: LoadOptions): Promise<LoadedArtifacts>;
}

/**
 * Artifacts fetched, checked and stored by the prover workers themselves (the browser default):
 * the caller's thread sends only the pins. Made by `workerArtifacts()`.
 */
export interface WorkerArtifacts {
  readonly kind: "worker";
  /** Base of relative artifact URLs. @default the page's base URL */
  readonly baseUrl?: string | URL;
}

/** A circuit input: signal name → value, array, or nested arrays; bigints, numbers or decimal strings. */
export type SignalValue = bigint | number | string | SignalValue[];
export type CircuitInput = Readonly<Record<string, SignalValue>>;

/** Groth16 proof as snarkjs produces and verifies it (decimal strings). */
export interface Groth16Proof {
  pi_a: string[];
  pi_b: string[][];
  pi_c: string[];
  protocol: string;
  curve: string;
}

/**
 * Phases of one proof, in order. `proving:*` phases come from snarkjs's logger
 * (multiexponentiations A, B1, B2, C and the H polynomial).
 */
export type ProvePhase = "starting" | "artifacts" | "witness" | "proving" | "verifying" | "done";

export interface ProveProgress {
  readonly phase: ProvePhase;
  /** 0..100, monotonic within a job, weighted by measured cost of each phase. */
  readonly percent: number;
  /** A human-readable step, e.g. "multiexp B2". */
  readonly step?: string;
  readonly artifact?: ArtifactProgress;
}

export interface ProveTimings {
  /** Waiting for a worker, its start-up included. */
  readonly queueMs?: number;
  /** Loading the artifacts into the worker (0 when it already held them). */
  readonly artifactsMs: number;
  readonly witnessMs: number;
  readonly proveMs: number;
  readonly verifyMs?: number;
  readonly totalMs: number;
}

export interface ProveResult {
  readonly proof: Groth16Proof;
  readonly publicSignals: string[];
  readonly circuitId: string;
  readonly timings: ProveTimings;
  /** True when the proof was verified against the pinned vkey before being returned. */
  readonly verified: boolean;
  /** Threads the proof ran on: more than 1 when it had idle cores to itself (adaptive threads). */
  readonly threads?: number;
}

export interface ProveOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: ProveProgress) => void;
  /** Abort the job with a TIMEOUT error after this long; the worker is replaced. */
  readonly timeoutMs?: number;
  /** Verify against the pinned vkey before returning. @default true */
  readonly verify?: boolean;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: ProofError };
