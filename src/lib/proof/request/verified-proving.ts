/**
 * The proving port of the request layer: one proof of a prepared variant, verified against the
 * pinned vkey and checked against the request's statement (circuit, and every public signal:
 * commitment of the attestations used, score or 0, meets, `now`, subject, threshold, reveal
 * flag, registry root). A failed check is a typed error and nothing is returned. The cache
 * (cache/cached-proving.ts) decorates this port; it applies with the cache off too.
 */
import { PublicSignalMismatchError, SystemError, VerificationError } from "../core/errors.js";
import type { CheckedProvingPort, HeldProof, ProvingCallOptions, SourcedProof } from "../cache/cached-proving.js";
import { proveResolved, rerandomizeResolved, type Prover } from "../engine/prover.js";
import type { CircuitInput, Groth16Proof, ProveProgress, ProveResult, ProveTimings } from "../engine/types.js";
import type { ExpectedSignals, PreparedVariant } from "./request-plan.js";

/**
 * The prover as this layer uses it, with its policy (time budget, verification against the
 * pinned vkey) already bound by whoever built it.
 */
export interface ProverPort {
  prove(circuitId: string, input: CircuitInput, options: { signal: AbortSignal; onProgress?: (p: ProveProgress) => void }): Promise<ProveResult & { readonly timings: ProveTimings }>;
  /** A fresh Groth16 re-randomisation of `proof`, verified against the pinned vkey; absent when the prover cannot. */
  readonly rerandomize?: (circuitId: string, proof: Groth16Proof, options: { signal: AbortSignal; publicSignals: readonly string[] }) => Promise<Groth16Proof>;
}

/**
 * The engine's prover as this layer's port, with the API's time budget and verification against
 * the pinned vkey bound. The prover is asked for per proof: it is created on first use.
 */
export function bindProver(lazy: { get(): Prover }, timeoutMs: number | undefined): ProverPort {
  const budget = timeoutMs !== undefined ? { timeoutMs } : {};
  return {
    // Options resolved at the API's edge (the signal with the request's, the budget with the API's): not checked again.
    prove: (circuitId, input, { signal, onProgress }) => proveResolved(lazy.get(), circuitId, input, { signal, verify: true, ...(onProgress ? { onProgress } : {}), ...budget }),
    // The same: the facade checked the options, so a prover made by createProver does not check them again.
    rerandomize: (circuitId, proof, { signal, publicSignals }) => {
      const rerandomize = rerandomizeResolved(lazy.get());
      if (!rerandomize) throw new SystemError("This prover cannot re-randomise proofs (cache.rerandomize).", { details: { circuitId } });
      return rerandomize(circuitId, proof, { signal, publicSignals, ...budget });
    },
  };
}

/** The expected public signals of `prepared`, computing them if they are lazy. */
function expectedSignalsOf(prepared: PreparedVariant, signal?: AbortSignal): Promise<ExpectedSignals> {
  const e = prepared.expectedPublicSignals;
  return typeof e === "function" ? e(signal) : Promise.resolve(e);
}

/**
 * Throw PublicSignalMismatchError unless `actual` matches `expected` position by position
 * (`null` = unchecked). Public signals are public, so the error may name the position.
 */
export function assertPublicSignals(circuitId: string, actual: readonly string[], expected: readonly (string | null)[]): void {
  if (actual.length !== expected.length) {
    throw new PublicSignalMismatchError(`Expected ${expected.length} public signals from ${circuitId}, got ${actual.length}.`, {
      details: { circuitId, expectedLength: expected.length, actualLength: actual.length },
    });
  }
  expected.forEach((want, index) => {
    if (want !== null && actual[index] !== want) {
      throw new PublicSignalMismatchError(`Public signal ${index} of ${circuitId} does not match the request.`, {
        details: { circuitId, index, expected: want, actual: actual[index] ?? null },
      });
    }
  });
}

/**
 * The prover verified against the pinned vkey; now the statement must be the one requested.
 * @throws VerificationError, PublicSignalMismatchError
 */
export function checkProof<T extends Pick<ProveResult, "circuitId" | "publicSignals" | "verified">>(result: T, prepared: { readonly circuitId: string; readonly expectedPublicSignals: ExpectedSignals }): T {
  if (!result.verified) {
    throw new VerificationError("The proof was not verified against the pinned verification key.", { details: { circuitId: result.circuitId } });
  }
  if (result.circuitId !== prepared.circuitId) {
    throw new PublicSignalMismatchError("The proof is for another circuit than the one requested.", { details: { circuitId: prepared.circuitId, actualCircuitId: result.circuitId } });
  }
  assertPublicSignals(result.circuitId, result.publicSignals, prepared.expectedPublicSignals);
  return result;
}

/**
 * Start computing the expected public signals now, so a lazy expectation (the EBSL Poseidon
 * commitment, in short tasks on this thread) runs while a worker proves. Observed at once: a
 * proof that fails first leaves it unawaited.
 */
function startExpected(prepared: PreparedVariant, signal: AbortSignal): Promise<ExpectedSignals> {
  const expected = expectedSignalsOf(prepared, signal);
  expected.catch(() => undefined);
  return expected;
}

export class VerifiedProving implements CheckedProvingPort<PreparedVariant> {
  readonly #prover: ProverPort;
  readonly rerandomize: ProverPort["rerandomize"];

  constructor(prover: ProverPort) {
    this.#prover = prover;
    this.rerandomize = prover.rerandomize;
  }

  /** A verified proof of `prepared` whose public signals match the request, or a typed error. */
  async prove(circuitId: string, prepared: PreparedVariant, options: ProvingCallOptions): Promise<SourcedProof> {
    const { signal, onProgress } = options;
    const expected = startExpected(prepared, signal);
    const r = await this.#prover.prove(circuitId, prepared.input, { signal, ...(onProgress ? { onProgress } : {}) });
    return { proved: checkProof(r, { circuitId: prepared.circuitId, expectedPublicSignals: await expected }), source: "proved" };
  }

  /**
   * Whether a proof that already verified proves `prepared`'s statement: false for another
   * statement; rejects when the statement could not be computed (an abort, a failure).
   */
  async holds(prepared: PreparedVariant, entry: HeldProof, signal: AbortSignal): Promise<boolean> {
    const expected = await expectedSignalsOf(prepared, signal);
    try {
      checkProof({ ...entry, publicSignals: [...entry.publicSignals], verified: true }, { circuitId: prepared.circuitId, expectedPublicSignals: expected });
      return true;
    } catch {
      return false;
    }
  }
}
