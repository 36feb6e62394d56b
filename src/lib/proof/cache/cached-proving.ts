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
 * - In-flight sharing: identical concurrent requests (same key) share ONE flight. The flight's
 *   prover job runs under its OWN AbortController, aborted only when every caller has left by
 *   cancelling; a caller that cancels settles at once with its CancelledError while the others
 *   keep waiting.
 * - Re-randomisation (option): results not proved for this caller (hits and joins) get a fresh
 *   Groth16 re-randomisation computed and verified in a worker, so no two callers see the same
 *   bytes; the caller's `hash` is computed from the proof it receives.
 */
import { abortError, raceSignal } from "../core/abort.js";
import type { Clock } from "../core/clock.js";
import { ProofError, PublicSignalMismatchError, SystemError, VerificationError } from "../core/errors.js";
import { canonicalInputJson } from "../engine/canonical-input.js";
import type { Prover } from "../engine/prover.js";
import type { ProveProgress, ProveResult, ProveTimings } from "../engine/types.js";
import { writable, type Readable, type Writable } from "../core/store.js";
import { createIdbCacheBackend } from "./idb-cache-backend.js";
import { ProofCache } from "./proof-cache.js";
import type { CacheOutcome, CacheStats, CachedProof, ComputedProof, PersistentCacheBackend } from "./proof-cache.js";
import type { ResolvedCacheConfig } from "../client/trust-options.js";
import { assertPublicSignals, expectedSignalsOf } from "../request/request-plan.js";
import type { ExpectedSignals, PreparedVariant } from "../request/request-plan.js";

/** What the cache stores besides the public proof: the timings of the job that made it. */
export interface CachedProofInfo {
  readonly timings: ProveTimings;
}

/** `proved`: this caller's own job; `hit`: from the cache; `joined`: an identical request's job. */
export type ProofSource = "proved" | "hit" | "joined";

export interface SourcedProof {
  readonly proved: ProveResult & { readonly timings: ProveTimings };
  readonly source: ProofSource;
}

export interface CachedProvingOptions {
  readonly getProver: () => Prover;
  /** Undefined: no cache and no sharing (every call proves). */
  readonly cache: ProofCache<CachedProofInfo> | undefined;
  readonly rerandomize: boolean;
  readonly clock: Clock;
}

export interface ProveCallOptions {
  readonly signal: AbortSignal;
  readonly onProgress?: (p: ProveProgress) => void;
  readonly timeoutMs?: number;
}

interface Flight {
  readonly controller: AbortController;
  readonly listeners: Set<(p: ProveProgress) => void>;
  callers: number;
  settled: boolean;
  promise: Promise<CacheOutcome<CachedProofInfo>>;
}

/**
 * The prover verified against the pinned vkey; now the statement must be the one requested
 * (circuit, and every public signal: commitment of the attestations used, score or 0, meets,
 * `now`, subject, threshold, reveal flag).
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
    checkProof({ ...entry, publicSignals: [...entry.publicSignals], verified: true, timings: { artifactsMs: 0, witnessMs: 0, proveMs: 0, totalMs: 0 } }, { circuitId, expectedPublicSignals: expected });
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

/**
 * The facade's proof cache (undefined when disabled). `verify` re-checks every entry on read
 * against the pinned vkey (the prover's `verify`, in a worker); persistence is IndexedDB for
 * `persist: true`, opened on first use.
 */
export function createProofCache(
  config: ResolvedCacheConfig,
  clock: Clock,
  verify: (entry: CachedProof<CachedProofInfo>) => Promise<boolean>,
): ProofCache<CachedProofInfo> | undefined {
  if (!config.enabled) return undefined;
  const persistence = config.persist === true ? createIdbCacheBackend<CachedProofInfo>() : config.persist === false ? undefined : config.persist;
  // Only "does not verify" is tampering: snarkjs throwing on a malformed proof is that too; any
  // other failure (timeout, crash, disposal) means the entry could not be checked now.
  const check = async (entry: CachedProof<CachedProofInfo>): Promise<boolean> => {
    try {
      return await verify(entry);
    } catch (error) {
      if (error instanceof ProofError && error.code === "VERIFICATION_FAILED") return false;
      throw error;
    }
  };
  return new ProofCache<CachedProofInfo>({
    max: config.max,
    ttlMs: config.ttlMs,
    clock,
    check,
    ...(config.salt !== undefined ? { salt: config.salt } : {}),
    ...(persistence ? { persistence: persistence as PersistentCacheBackend<CachedProofInfo> } : {}),
  });
}

export class CachedProving {
  readonly #o: CachedProvingOptions;
  readonly #flights = new Map<string, Flight>();
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
    const cache = this.#o.cache;
    const s = cache?.stats() ?? { hits: 0, misses: 0, inflightJoins: 0, tampered: 0, evictions: 0, expirations: 0, size: 0, inflight: 0, hitRate: 0 };
    const hits = s.hits - this.#statementRejects;
    const lookups = hits + s.misses;
    return {
      ...s,
      hits,
      tampered: s.tampered + this.#statementRejects,
      inflightJoins: s.inflightJoins + this.#joins,
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
  async prove(circuitId: string, prepared: PreparedVariant, options: ProveCallOptions): Promise<SourcedProof> {
    const { signal, onProgress, timeoutMs } = options;
    const cache = this.#o.cache;
    if (!cache) {
      const expected = startExpected(prepared, signal);
      const r = await this.#o.getProver().prove(circuitId, prepared.input, { signal, verify: true, ...(onProgress ? { onProgress } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
      return { proved: checkProof(r, { circuitId: prepared.circuitId, expectedPublicSignals: await expected }), source: "proved" };
    }
    const t0 = this.#o.clock.now();
    const key = await raceSignal(cache.keyFor(circuitId, canonicalInputJson(prepared.input)), signal);
    let flight = this.#flights.get(key);
    const joined = flight !== undefined && !flight.controller.signal.aborted && !flight.settled;
    if (joined) this.#joins++;
    else {
      if (cache.has(key)) onProgress?.({ phase: "verifying", percent: 90, step: "cache lookup" });
      flight = this.#start(key, cache, circuitId, prepared, timeoutMs);
    }
    const outcome = await this.#attend(flight!, signal, onProgress);
    this.#store.set(this.stats());
    const entry = outcome.entry;
    const source: ProofSource = joined ? "joined" : outcome.source === "hit" ? "hit" : outcome.source === "joined" ? "joined" : "proved";

    let proof = entry.proof;
    if (source !== "proved" && this.#o.rerandomize) {
      const prover = this.#o.getProver();
      if (typeof prover.rerandomize !== "function") throw new SystemError("This prover cannot re-randomise proofs (cache.rerandomize).", { details: { circuitId } });
      onProgress?.({ phase: "verifying", percent: 95, step: "re-randomising" });
      proof = await prover.rerandomize(circuitId, entry.proof, { signal, publicSignals: entry.publicSignals, ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
    }
    // A hit did no proving for this request: its timings say so. A join waited for a real job.
    const shared = outcome.source === "miss" && validTimings(entry.result?.timings) ? entry.result!.timings : undefined;
    const timings: ProveTimings = shared ?? { artifactsMs: 0, witnessMs: 0, proveMs: 0, totalMs: Math.max(0, this.#o.clock.now() - t0) };
    return { proved: { proof, publicSignals: [...entry.publicSignals], circuitId: entry.circuitId, verified: true, timings }, source };
  }

  #start(key: string, cache: ProofCache<CachedProofInfo>, circuitId: string, prepared: PreparedVariant, timeoutMs: number | undefined): Flight {
    const flight: Flight = { controller: new AbortController(), listeners: new Set(), callers: 0, settled: false, promise: undefined! };
    const compute = async (): Promise<ComputedProof<CachedProofInfo>> => {
      const expected = startExpected(prepared, flight.controller.signal);
      const r = await this.#o.getProver().prove(circuitId, prepared.input, {
        signal: flight.controller.signal,
        verify: true,
        onProgress: (p) => {
          for (const listener of [...flight.listeners]) {
            try {
              listener(p);
            } catch {
              /* one caller's listener must not break the shared job */
            }
          }
        },
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      });
      const checked = checkProof(r, { circuitId: prepared.circuitId, expectedPublicSignals: await expected });
      return { circuitId: checked.circuitId, proof: checked.proof, publicSignals: checked.publicSignals, result: { timings: checked.timings } };
    };
    const run = async (): Promise<CacheOutcome<CachedProofInfo>> => {
      const outcome = await cache.getOrCompute(key, compute);
      // A memory entry was checked against this very input before it was cached (the key binds it).
      if (outcome.source !== "hit" || outcome.origin !== "storage") return outcome;
      let expected: ExpectedSignals;
      try {
        expected = await expectedSignalsOf(prepared, flight.controller.signal);
      } catch (error) {
        cache.distrust(key); // its statement was never checked: it must not pass as a memory entry
        throw error;
      }
      if (statementHolds(outcome.entry, prepared.circuitId, expected)) return outcome;
      // Hash and proof verify, but for another statement (a valid proof moved under this key).
      this.#statementRejects++;
      cache.delete(key);
      return cache.getOrCompute(key, compute);
    };
    flight.promise = run().finally(() => {
      flight.settled = true;
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    });
    flight.promise.catch(() => undefined); // callers may all have left; the rejection is theirs
    this.#flights.set(key, flight);
    return flight;
  }

  /** Wait for a flight as one caller: a caller's abort settles only that caller. */
  #attend(flight: Flight, signal: AbortSignal, onProgress: ((p: ProveProgress) => void) | undefined): Promise<CacheOutcome<CachedProofInfo>> {
    flight.callers++;
    if (onProgress) flight.listeners.add(onProgress);
    return new Promise((resolve, reject) => {
      let left = false;
      const leave = (cancelled: boolean) => {
        if (left) return;
        left = true;
        signal.removeEventListener("abort", onAbort);
        if (onProgress) flight.listeners.delete(onProgress);
        flight.callers--;
        // The shared job stops only when nobody waits for it any more.
        if (cancelled && flight.callers === 0 && !flight.settled) flight.controller.abort(abortError(signal));
      };
      const onAbort = () => {
        leave(true);
        reject(abortError(signal));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          leave(false);
          resolve(value);
        },
        (error: unknown) => {
          leave(false);
          reject(error);
        },
      );
    });
  }
}
