/**
 * One verified, statement-checked proof of a prepared variant, through the proof cache: the
 * pipeline's single call per attempt.
 *
 * - Miss: the prover proves and verifies against the pinned vkey; the public signals are checked
 *   against the request; only then is the proof cached. A failed check is a typed error and
 *   nothing is cached or returned.
 * - Hit from memory: the entry was verified and statement-checked before it entered the cache,
 *   and its key binds the circuit and the whole input, so only its hash is checked: no worker,
 *   no Poseidon commitment.
 * - Hit on an entry read back from persistent storage: verified once in a worker by the cache's
 *   `check`, then its statement is checked here; a definite failure drops it, counts it as
 *   tampered, and the variant is proved afresh. A check that could not run (timeout, crash) is
 *   not tampering: the entry is kept and this lookup proves afresh.
 * - In-flight sharing: identical concurrent requests (same key) share ONE flight (the core's
 *   SharedFlights). The flight's prover job runs under its own signal, aborted only when every
 *   caller has left by cancelling; a caller that cancels settles at once with its CancelledError
 *   while the others keep waiting.
 * - Re-randomisation (option): results not proved for this caller (hits and joins) get a fresh
 *   Groth16 re-randomisation computed and verified in a worker, so no two callers see the same
 *   bytes; the caller's `hash` is computed from the proof it receives.
 */
import { raceSignal } from "../core/abort.js";
import type { Clock } from "../core/clock.js";
import { PublicSignalMismatchError, SystemError, VerificationError } from "../core/errors.js";
import { SharedFlights } from "../core/shared-flights.js";
import { writable, type Readable, type Writable } from "../core/store.js";
import { canonicalInputJson } from "../engine/canonical-input.js";
import type { Prover } from "../engine/prover.js";
import type { CircuitInput, Groth16Proof, ProveProgress, ProveResult, ProveTimings } from "../engine/types.js";
import { assertPublicSignals, expectedSignalsOf } from "../request/request-plan.js";
import type { ExpectedSignals, PreparedVariant } from "../request/request-plan.js";
import type { ProofSource, ProvingPort, SourcedProof } from "../request/proof-pipeline.js";
import type { CacheOutcome, CacheStats, CachedProof, ComputedProof, ProofCache } from "./proof-cache.js";

/** What the cache stores besides the public proof: the timings of the job that made it. */
export interface CachedProofInfo {
  readonly timings: ProveTimings;
}

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
 * the pinned vkey bound. `prover` is called per proof: the composition root creates it lazily.
 */
export function bindProver(prover: () => Prover, timeoutMs: number | undefined): ProverPort {
  const budget = timeoutMs !== undefined ? { timeoutMs } : {};
  return {
    prove: (circuitId, input, { signal, onProgress }) => prover().prove(circuitId, input, { signal, verify: true, ...(onProgress ? { onProgress } : {}), ...budget }),
    rerandomize: (circuitId, proof, { signal, publicSignals }) => {
      const p = prover();
      if (typeof p.rerandomize !== "function") throw new SystemError("This prover cannot re-randomise proofs (cache.rerandomize).", { details: { circuitId } });
      return p.rerandomize(circuitId, proof, { signal, publicSignals, ...budget });
    },
  };
}

export interface CachedProvingOptions {
  readonly prover: ProverPort;
  /** Undefined: no cache and no sharing (every call proves). */
  readonly cache: ProofCache<CachedProofInfo> | undefined;
  readonly rerandomize: boolean;
  readonly clock: Clock;
}

const NO_TIMINGS: ProveTimings = { artifactsMs: 0, witnessMs: 0, proveMs: 0, totalMs: 0 };
const EMPTY_STATS: CacheStats = { hits: 0, misses: 0, inflightJoins: 0, tampered: 0, evictions: 0, expirations: 0, size: 0, inflight: 0, hitRate: 0 };

/**
 * The prover verified against the pinned vkey; now the statement must be the one requested
 * (circuit, and every public signal: commitment of the attestations used, score or 0, meets,
 * `now`, subject, threshold, reveal flag, registry root).
 */
export function checkProof<T extends ProveResult>(result: T, prepared: { readonly circuitId: string; readonly expectedPublicSignals: ExpectedSignals }): T {
  if (!result.verified) {
    throw new VerificationError("The proof was not verified against the pinned verification key.", { details: { circuitId: result.circuitId } });
  }
  if (result.circuitId !== prepared.circuitId) {
    throw new PublicSignalMismatchError("The proof is for another circuit than the one requested.", { details: { circuitId: prepared.circuitId, actualCircuitId: result.circuitId } });
  }
  assertPublicSignals(result.circuitId, result.publicSignals, prepared.expectedPublicSignals);
  return result;
}

function statementHolds(entry: CachedProof<CachedProofInfo>, circuitId: string, expected: ExpectedSignals): boolean {
  try {
    checkProof({ ...entry, publicSignals: [...entry.publicSignals], verified: true, timings: NO_TIMINGS }, { circuitId, expectedPublicSignals: expected });
    return true;
  } catch {
    return false;
  }
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

function validTimings(value: unknown): value is ProveTimings {
  const t = value as ProveTimings | undefined;
  return typeof t === "object" && t !== null && [t.artifactsMs, t.witnessMs, t.proveMs, t.totalMs].every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0);
}

export class CachedProving implements ProvingPort {
  readonly #o: CachedProvingOptions;
  readonly #flights = new SharedFlights<CacheOutcome<CachedProofInfo>, ProveProgress>();
  #joins = 0;
  /** Hits whose entry passed hash and verification but proved another statement. */
  #statementRejects = 0;
  readonly #store: Writable<CacheStats>;

  constructor(options: CachedProvingOptions) {
    this.#o = options;
    const cache = options.cache;
    this.#store = writable(this.stats(), (set) => cache?.subscribe(() => set(this.stats())));
  }

  /** Cache statistics with sharing and statement rejections folded in; `hitRate` = hits / (hits + misses). */
  stats(): CacheStats {
    const s = this.#o.cache?.stats() ?? EMPTY_STATS;
    const hits = s.hits - this.#statementRejects;
    const lookups = hits + s.misses;
    return {
      ...s,
      hits,
      tampered: s.tampered + this.#statementRejects,
      inflightJoins: this.#joins,
      inflight: this.#flights.size,
      hitRate: lookups === 0 ? 0 : hits / lookups,
    };
  }

  get store(): Readable<CacheStats> {
    return { subscribe: this.#store.subscribe };
  }

  async clear(): Promise<void> {
    await this.#o.cache?.clear();
    this.#store.set(this.stats());
  }

  /** A verified proof of `prepared` whose public signals match the request. */
  async prove(circuitId: string, prepared: PreparedVariant, options: { signal: AbortSignal; onProgress?: (p: ProveProgress) => void }): Promise<SourcedProof> {
    const { signal, onProgress } = options;
    const { cache, prover } = this.#o;
    if (!cache) {
      const expected = startExpected(prepared, signal);
      const r = await prover.prove(circuitId, prepared.input, { signal, ...(onProgress ? { onProgress } : {}) });
      return { proved: checkProof(r, { circuitId: prepared.circuitId, expectedPublicSignals: await expected }), source: "proved" };
    }
    const t0 = this.#o.clock.now();
    const key = await raceSignal(cache.keyFor(circuitId, canonicalInputJson(prepared.input)), signal);
    const joined = this.#flights.has(key);
    if (joined) this.#joins++;
    else if (cache.has(key)) onProgress?.({ phase: "verifying", percent: 90, step: "cache lookup" });
    const pending = this.#flights.join(
      key,
      (flightSignal, emit) => this.#lookupOrProve(key, cache, circuitId, prepared, flightSignal, emit),
      (p) => {
        try {
          onProgress?.(p);
        } catch {
          /* one caller's listener must not break the shared job */
        }
      },
      signal,
    );
    this.#store.set(this.stats());
    const outcome = await pending.finally(() => this.#store.set(this.stats()));
    const entry = outcome.entry;
    const source: ProofSource = joined ? "joined" : outcome.source === "hit" ? "hit" : "proved";

    let proof = entry.proof;
    if (source !== "proved" && this.#o.rerandomize) {
      if (!prover.rerandomize) throw new SystemError("This prover cannot re-randomise proofs (cache.rerandomize).", { details: { circuitId } });
      onProgress?.({ phase: "verifying", percent: 95, step: "re-randomising" });
      proof = await prover.rerandomize(circuitId, entry.proof, { signal, publicSignals: entry.publicSignals });
    }
    // A hit did no proving for this request: its timings say so. A join waited for a real job.
    const shared = outcome.source === "miss" && validTimings(entry.result?.timings) ? entry.result!.timings : undefined;
    const timings: ProveTimings = shared ?? { ...NO_TIMINGS, totalMs: Math.max(0, this.#o.clock.now() - t0) };
    return { proved: { proof, publicSignals: [...entry.publicSignals], circuitId: entry.circuitId, verified: true, timings }, source };
  }

  /** One flight: the cache's (re-checked) entry, else a fresh proof checked and then cached. */
  async #lookupOrProve(
    key: string,
    cache: ProofCache<CachedProofInfo>,
    circuitId: string,
    prepared: PreparedVariant,
    signal: AbortSignal,
    emit: (p: ProveProgress) => void,
  ): Promise<CacheOutcome<CachedProofInfo>> {
    const compute = async (): Promise<ComputedProof<CachedProofInfo>> => {
      const expected = startExpected(prepared, signal);
      const r = await this.#o.prover.prove(circuitId, prepared.input, { signal, onProgress: emit });
      const checked = checkProof(r, { circuitId: prepared.circuitId, expectedPublicSignals: await expected });
      return { circuitId: checked.circuitId, proof: checked.proof, publicSignals: checked.publicSignals, result: { timings: checked.timings } };
    };
    const outcome = await cache.getOrCompute(key, compute);
    // A memory entry was checked against this very input before it was cached (the key binds it).
    if (outcome.source !== "hit" || outcome.origin !== "storage") return outcome;
    let expected: ExpectedSignals;
    try {
      expected = await expectedSignalsOf(prepared, signal);
    } catch (error) {
      cache.distrust(key); // its statement was never checked: it must not pass as a memory entry
      throw error;
    }
    if (statementHolds(outcome.entry, prepared.circuitId, expected)) return outcome;
    // Hash and proof verify, but for another statement (a valid proof moved under this key).
    this.#statementRejects++;
    cache.delete(key);
    return cache.getOrCompute(key, compute);
  }
}
