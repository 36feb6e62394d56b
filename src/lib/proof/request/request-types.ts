/**
 * Types shared by the proof pipeline, its progress events and its stores. Types and frozen
 * constants only: nothing here does work at import time.
 */
import type { ProofErrorCode } from "../core/errors.js";

/**
 * Where a request is in its life. String values so they survive `postMessage`, JSON and
 * Svelte templates unchanged, and read the same in logs.
 */
export const ProofStatus = {
  QUEUED: "QUEUED",
  PROCESSING: "PROCESSING",
  COMPLETED: "COMPLETED",
  FAILED: "FAILED",
  CANCELLED: "CANCELLED",
} as const;
export type ProofStatus = (typeof ProofStatus)[keyof typeof ProofStatus];

/**
 * The pipeline's steps, in order. Each is a real event (never a timer): `starting` is a prover
 * worker starting up (only when no warm one is free), `artifacts` carries byte progress, `proving` is split by snarkjs's logger (multiexp A, B1, B2, C, H).
 */
export type PipelineStage =
  | "validating"
  | "queued"
  | "selecting"
  | "starting"
  | "artifacts"
  | "witness"
  | "proving"
  | "verifying"
  | "retrying"
  | "done"
  | "failed"
  | "cancelled";

/** Byte progress of an artifact download (or a read from storage). */
export interface ByteProgress {
  readonly loaded: number;
  readonly total: number;
}

/** One progress report of one request. `progress` never decreases within a request. */
export interface ProgressEvent {
  readonly requestId: string;
  readonly status: ProofStatus;
  /** 0..100, monotonic. */
  readonly progress: number;
  readonly stage: PipelineStage;
  /** A finer human-readable step inside the stage, e.g. "multiexp B2". Never input values. */
  readonly step?: string;
  /** Present only when history allows an estimate. */
  readonly estimatedRemainingMs?: number;
  /** 1-based attempt number; present once a retry or fallback has happened. */
  readonly attempt?: number;
  /** Present during `artifacts`: bytes of the artifact named by `artifact`. */
  readonly bytes?: ByteProgress;
  /** Present with `bytes`: which artifact of the circuit the bytes are of. */
  readonly artifact?: "wasm" | "zkey" | "vkey";
  /**
   * Present with `bytes`: where that artifact's bytes come from: a download, the persistent
   * store (IndexedDB, or a local file in Node), or the loader's memory.
   */
  readonly source?: "network" | "storage" | "memory";
  /** The circuit variant this event concerns, when one is selected. */
  readonly circuitId?: string;
  /** Present when `status` is FAILED or CANCELLED. */
  readonly errorCode?: ProofErrorCode;
}
