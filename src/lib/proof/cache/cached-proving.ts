/**
 * The proof cache as a decorator of the proving port (request/verified-proving.ts, whose proofs
 * are verified against the pinned vkey and checked against the request's statement):
 *
 * - Miss: the port proves and checks; only then is the proof cached. A failed check is a typed
 *   error and nothing is cached or returned.
 * - Hit from memory: the entry was checked before it entered the cache, and its key binds the
 *   circuit and the whole input, so only its hash is checked: no worker, no Poseidon commitment.
 * - Hit on an entry read back from persistent storage: verified once in a worker by the cache's
 *   `check`, then the port says whether it proves this request's statement; a definite "no"
 *   drops it, counts it as tampered, and the variant is proved afresh. A check that could not
 *   run (timeout, crash) is not tampering: the entry is kept and this lookup proves afresh.
 * - In-flight sharing: identical concurrent requests (same key) share ONE flight (the core's
 *   SharedFlights). The flight's prover job runs under its own signal, aborted only when every
 *   caller has left by cancelling; a caller that cancels settles at once with its CancelledError
 *   while the others keep waiting.
 * - Re-randomisation (option): results not proved for this caller (hits and joins) get a fresh
 *   Groth16 re-randomisation computed and verified in a worker, so no two callers see the same
 *   bytes; the caller's `hash` is computed from the proof it receives.
 */
import { abortError, raceSignal } from "../core/abort.js";
import type { Clock } from "../core/clock.js";
import { SystemError } from "../core/errors.js";
import { SharedFlights } from "../core/shared-flights.js";
import { writable, type Readable, type Writable } from "../core/store.js";
import { canonicalInputJson } from "../engine/canonical-input.js";
import type { CircuitInput, Groth16Proof, ProveProgress, ProveResult, ProveTimings } from "../engine/types.js";
import type { CacheOutcome, CacheStats, CachedProof, ComputedProof, ProofCache } from "./proof-cache.js";

/** `proved`: this caller's own job; `hit`: from the cache; `joined`: an identical request's job. */
export type ProofSource = "proved" | "hit" | "joined";

export interface SourcedProof {
  readonly proved: ProveResult & { readonly timings: ProveTimings };
  readonly source: ProofSource;
}

export interface ProvingCallOptions {
  readonly signal: AbortSignal;
  readonly onProgress?: (p: ProveProgress) => void;
}

/** A proof that verified against the pinned vkey, as the cache keeps it. */
export type HeldProof = Pick<CachedProof, "circuitId" | "proof" | "publicSignals">;

/**
 * The port this decorator wraps: each proof verified and checked against the request, or a
 * typed error. `J` is what is proved; the cache key binds its circuit and whole `input`.
 */
export interface CheckedProvingPort<J extends { readonly input: CircuitInput }> {
  prove(circuitId: string, job: J, options: ProvingCallOptions): Promise<SourcedProof>;
  /** Whether `entry` (already verified) proves `job`'s statement; rejects when that could not be computed. */
  holds(job: J, entry: HeldProof, signal: AbortSignal): Promise<boolean>;
  /** A fresh Groth16 re-randomisation of `proof`, verified against the pinned vkey; absent when the prover cannot. */
  readonly rerandomize?: ((circuitId: string, proof: Groth16Proof, options: { signal: AbortSignal; publicSignals: readonly string[] }) => Promise<Groth16Proof>) | undefined;
}

/** What the cache stores besides the public proof: the timings of the job that made it. */
export interface CachedProofInfo {
  readonly timings: ProveTimings;
}

export interface CachedProvingOptions<J extends { readonly input: CircuitInput }> {
  readonly inner: CheckedProvingPort<J>;
  /** Undefined: no cache and no sharing (every call goes to `inner`). */
  readonly cache: ProofCache<CachedProofInfo> | undefined;
  readonly rerandomize: boolean;
  readonly clock: Clock;
}

const NO_TIMINGS: ProveTimings = { artifactsMs: 0, witnessMs: 0, proveMs: 0, totalMs: 0 };
const EMPTY_STATS: CacheStats = { hits: 0, misses: 0, inflightJoins: 0, tampered: 0, evictions: 0, expirations: 0, size: 0, inflight: 0, hitRate: 0 };

function validTimings(value: unknown): value is ProveTimings {
  const t = value as ProveTimings | undefined;
  return typeof t === "object" && t !== null && [t.artifactsMs, t.witnessMs, t.proveMs, t.totalMs].every((n) => typeof n === "number" && Number.isFinite(n) && n >= 0);
}

export class CachedProving<J extends { readonly input: CircuitInput }> {
  readonly #o: CachedProvingOptions<J>;
  readonly #flights = new SharedFlights<CacheOutcome<CachedProofInfo>, ProveProgress>();
  #joins = 0;
  /** Hits whose entry passed hash and verification but proved another statement. */
  #statementRejects = 0;
  readonly #store: Writable<CacheStats>;

  constructor(options: CachedProvingOptions<J>) {
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

  /** A verified proof of `job` whose public signals match the request: from the cache, a shared flight, or `inner`. */
  async prove(circuitId: string, job: J, options: ProvingCallOptions): Promise<SourcedProof> {
    const { signal, onProgress } = options;
    const { cache, inner } = this.#o;
    if (!cache) return inner.prove(circuitId, job, options);
    const t0 = this.#o.clock.now();
    const key = await raceSignal(cache.keyFor(circuitId, canonicalInputJson(job.input)), signal);
    // This wait's own listener: the flight's listeners are a set, one per waiting call.
    const listener = (p: ProveProgress) => onProgress?.(p);
    // An abort since the key was computed: no flight may start without a waiter to end it.
    if (signal.aborted) throw abortError(signal);
    const waiting = this.#flights.wait(key, listener, signal);
    const joined = waiting !== undefined;
    if (joined) this.#joins++;
    else if (cache.has(key)) onProgress?.({ phase: "verifying", percent: 90, step: "cache lookup" });
    const pending = waiting ?? this.#fly(key, cache, circuitId, job, listener, signal);
    this.#store.set(this.stats());
    const outcome = await pending.finally(() => this.#store.set(this.stats()));
    const entry = outcome.entry;
    const source: ProofSource = joined ? "joined" : outcome.source === "hit" ? "hit" : "proved";

    let proof = entry.proof;
    if (source !== "proved" && this.#o.rerandomize) {
      if (!inner.rerandomize) throw new SystemError("This prover cannot re-randomise proofs (cache.rerandomize).", { details: { circuitId } });
      onProgress?.({ phase: "verifying", percent: 95, step: "re-randomising" });
      proof = await inner.rerandomize(circuitId, entry.proof, { signal, publicSignals: entry.publicSignals });
    }
    // A hit did no proving for this request: its timings say so. A join waited for a real job.
    const shared = outcome.source === "miss" && validTimings(entry.result?.timings) ? entry.result!.timings : undefined;
    const timings: ProveTimings = shared ?? { ...NO_TIMINGS, totalMs: Math.max(0, this.#o.clock.now() - t0) };
    return { proved: { proof, publicSignals: [...entry.publicSignals], circuitId: entry.circuitId, verified: true, timings }, source };
  }

  /** A new flight under `key`, `listener` its first waiter's: it runs `#lookupOrProve` under its own signal. */
  #fly(key: string, cache: ProofCache<CachedProofInfo>, circuitId: string, job: J, listener: (p: ProveProgress) => void, signal: AbortSignal): Promise<CacheOutcome<CachedProofInfo>> {
    const controller = new AbortController();
    const listeners = new Set<(p: ProveProgress) => void>();
    const emit = (p: ProveProgress) => {
      for (const tell of listeners) {
        try {
          tell(p);
        } catch {
          /* one caller's listener must not break the shared job */
        }
      }
    };
    // Started in a microtask so the first waiter is registered before any event is emitted.
    const promise = Promise.resolve().then(() => this.#lookupOrProve(key, cache, circuitId, job, controller.signal, emit));
    this.#flights.add(key, { controller, listeners, promise });
    return this.#flights.wait(key, listener, signal)!;
  }

  /** One flight: the cache's (re-checked) entry, else a fresh checked proof, then cached. */
  async #lookupOrProve(key: string, cache: ProofCache<CachedProofInfo>, circuitId: string, job: J, signal: AbortSignal, emit: (p: ProveProgress) => void): Promise<CacheOutcome<CachedProofInfo>> {
    const compute = async (): Promise<ComputedProof<CachedProofInfo>> => {
      const { proved } = await this.#o.inner.prove(circuitId, job, { signal, onProgress: emit });
      return { circuitId: proved.circuitId, proof: proved.proof, publicSignals: proved.publicSignals, result: { timings: proved.timings } };
    };
    const outcome = await cache.getOrCompute(key, compute);
    // A memory entry was checked against this very input before it was cached (the key binds it).
    if (outcome.source !== "hit" || outcome.origin !== "storage") return outcome;
    let holds: boolean;
    try {
      holds = await this.#o.inner.holds(job, outcome.entry, signal);
    } catch (error) {
      cache.distrust(key); // its statement was never checked: it must not pass as a memory entry
      throw error;
    }
    if (holds) return outcome;
    // Hash and proof verify, but for another statement (a valid proof moved under this key).
    this.#statementRejects++;
    cache.delete(key);
    return cache.getOrCompute(key, compute);
  }
}
