/**
 * A request plan: everything the generic pipeline needs to prove one request, with the
 * circuit family's knowledge (EBSL in ebsl-plan.ts) behind three functions. The pipeline never
 * looks inside inputs; it proves `prepare(circuitId).input`, checks the public signals against
 * `expectedPublicSignals` (verified-proving.ts), and hands the proof to `decorate`. Types only.
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { CircuitInput, ProveResult, ProveTimings } from "../engine/types.js";

/** Public signals in circuit order, as decimal strings; `null` leaves a position unchecked. */
export type ExpectedSignals = readonly (string | null)[];

/** One variant made ready to prove. */
export interface PreparedVariant {
  readonly circuitId: string;
  readonly input: CircuitInput;
  /**
   * The public signals a correct proof of `input` must have. Either the list, or a function
   * that computes it when a proof must be checked (a fresh proof, or a cache entry read back
   * from storage): a proof the cache made in this process is never checked twice, so a costly
   * expectation (a Poseidon commitment) is skipped on such hits.
   */
  readonly expectedPublicSignals: ExpectedSignals | ((signal?: AbortSignal) => Promise<ExpectedSignals>);
}

/** What the pipeline knows about the run when it decorates the result. */
export interface RunSummary {
  readonly requestId: string;
  /** Attempts across all variants (1 when the first try succeeded). */
  readonly attempts: number;
  /** Set when a smaller variant was proved after a fallback-class failure. */
  readonly fallbackReason?: ProofErrorCode;
  /** Time queued before the first attempt. */
  readonly queueWaitMs: number;
  /** Submission to result, by the injected clock. */
  readonly totalMs: number;
  /** Set when no proving job of this request made the proof: from the cache, or shared with an identical request. */
  readonly cached?: "hit" | "joined";
}

export interface RequestPlan<V extends PreparedVariant = PreparedVariant, R = unknown> {
  /** Request kind for events and records, e.g. "exact". */
  readonly kind: string;
  /**
   * Circuit ids in the order to try them: the preferred variant first, then the fallbacks
   * (smaller ones). Never empty.
   */
  readonly variants: readonly string[];
  /**
   * Build the input for one variant. Called lazily, inside the queued job, for the variant about
   * to be attempted (fallbacks are built only when needed); may be async so that costly input
   * preparation runs in short tasks rather than in the caller's synchronous `requestProof`.
   * `signal` is the request's: preparation should stop (and settle) as soon as it aborts.
   */
  prepare(circuitId: string, signal?: AbortSignal): V | Promise<V>;
  /**
   * Turn a verified, signal-checked proof into the caller's result, with what the pipeline
   * reports about it (the hash and whether attestations were left out): the pipeline reads
   * these two fields here and never looks inside `result`.
   */
  decorate(proved: ProveResult & { timings: ProveTimings }, variant: V, run: RunSummary): DecoratedResult<R>;
}

/** A plan's result with the two facts the pipeline reports in its `completed` event. */
export interface DecoratedResult<R> {
  readonly result: R;
  /** `result.hash` for EBSL: SHA-256 of the canonical (circuit id, proof, public signals). */
  readonly hash: string;
  /** True when the request's inputs did not all fit the proved circuit. */
  readonly truncated: boolean;
}
