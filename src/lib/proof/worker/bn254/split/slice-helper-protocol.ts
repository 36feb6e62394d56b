/**
 * Messages between a prover worker running a split bn254 proof (the lead) and one of its helper
 * threads (nested workers of the prover worker). Types only. Witness values and H evaluations
 * travel only on this channel, worker to worker: never through the page's or the caller's thread.
 *
 * Every request carries a `call` number the answer repeats. A helper answers `ready` once when it
 * starts; a message it does not understand is a broken helper, and it dies (its parent reports
 * the death), rather than leave the lead waiting.
 */
import type { WireError } from "../../../core/errors.js";
import type { SliceBytes, WitnessPartials } from "./warm-slice.js";

/** The name (browsers) or `workerData.proofline` (Node) that starts a prover worker entry as a helper. */
export const SLICE_HELPER_MODE = "proofline-bn254-helper";

export type ToSliceHelper =
  /** Decode and keep a slice under `key` (one per circuit the lead has split), in a fresh wasm instance of `module`. */
  | { readonly kind: "load"; readonly call: number; readonly key: number; readonly module: WebAssembly.Module; readonly slice: SliceBytes }
  /** A, B1, B2 and C's witness part over the slice: the witness values of its ranges. */
  | { readonly kind: "witness"; readonly call: number; readonly key: number; readonly ab: Uint8Array; readonly c: Uint8Array }
  /** C's H part over the slice: the H evaluations of its domain range. Ends the proof's use of this helper. */
  | { readonly kind: "h"; readonly call: number; readonly key: number; readonly h: Uint8Array }
  /** Forget the slice under `key` (the lead cut that circuit anew): its wasm instance goes with it. */
  | { readonly kind: "drop"; readonly call: number; readonly key: number };

export type FromSliceHelper =
  | { readonly kind: "ready" }
  | { readonly kind: "loaded"; readonly call: number }
  | { readonly kind: "witness-part"; readonly call: number; readonly part: WitnessPartials }
  | { readonly kind: "h-part"; readonly call: number; readonly point: Uint8Array }
  | { readonly kind: "dropped"; readonly call: number }
  | { readonly kind: "failed"; readonly call: number; readonly error: WireError };

/** Where a helper's messages go and come from: a worker's parent port, or the helper Worker object. */
export interface SliceEndpoint {
  /** `transfer`: buffers moved, not cloned (the sender gives them up). */
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  /** Delivers each message's data. */
  onMessage(listener: (data: unknown) => void): void;
}
