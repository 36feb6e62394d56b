/**
 * Proof cache: LRU with TTL (lru-cache; default 50 entries, 1 h), keys that are salted digests
 * of circuit id + canonical input, real stats and optional persistence. Sharing one computation
 * between identical concurrent requests is not done here but by the caller (CachedProving, with
 * the core's SharedFlights), so that a whole flight (re-check, statement check, recompute) is
 * shared and each caller can still leave it alone.
 *
 * Trust: an entry computed in this process was verified before it entered the cache, and memory
 * is not something another party can edit, so a memory hit is served after the cheap hash check
 * only (verifying again took 71–440 ms per hit, for nothing). An entry read back from persistent
 * storage is untrusted: it is verified (`check`) once, on its first hit, and trusted from then
 * on. Only a definite answer counts as tampering (a wrong hash, `check` returning false); a
 * check that fails (a timeout, a crashed worker) leaves the entry unverified and uncounted, and
 * that lookup proves afresh.
 */
import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../core/clock.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { writable, type Readable } from "../core/store.js";
import type { CachedProof, PersistentCacheBackend } from "./cache-backend.js";
import { canonicalJson, hasValidProofHash, resultHash, sha256HexSync } from "../core/content-hash.js";

export type { CachedProof, PersistentCacheBackend } from "./cache-backend.js";

/** What a compute returns; the cache adds `hash` and `createdAt`. */
export type ComputedProof<R = unknown> = Omit<CachedProof<R>, "hash" | "createdAt">;

export interface CacheOutcome<R = unknown> {
  /** A copy: callers may mutate it freely. */
  readonly entry: CachedProof<R>;
  readonly source: "hit" | "miss";
  /**
   * For hits: `storage` when this lookup verified an entry read back from persistent storage
   * (its statement should be checked against the request too), `memory` otherwise.
   */
  readonly origin?: "memory" | "storage";
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  /** Requests that shared an identical request's running proof. */
  readonly inflightJoins: number;
  /** Entries that definitely failed a check (hash, or verification of a stored entry) and were dropped. */
  readonly tampered: number;
  /** Entries pushed out by the size bound. */
  readonly evictions: number;
  readonly expirations: number;
  readonly size: number;
  /** Proofs running now on behalf of the cache (each shared by its identical requests). */
  readonly inflight: number;
  /** hits / (hits + misses); 0 before any lookup. Joins count in neither. */
  readonly hitRate: number;
}

export interface ProofCacheOptions<R = unknown> {
  /** Entries kept (an integer >= 1), resolved by the facade's options. */
  readonly max: number;
  /** Entry lifetime in ms (a timer duration), resolved by the facade's options. */
  readonly ttlMs: number;
  /** TTL uses `now()`, `createdAt` uses `wallNow()`. @default systemClock */
  readonly clock?: Clock;
  /** Random bytes for the salt. @default crypto.getRandomValues */
  readonly random?: (bytes: number) => Uint8Array;
  /** Fixed salt (hex); otherwise the persisted one, otherwise random per instance. */
  readonly salt?: string;
  /**
   * Verification of an entry read back from persistent storage, run once on its first hit
   * (typically snarkjs against the pinned vkey, in a worker). False drops the entry and counts it
   * as tampered; a throw means "could not check now": the entry stays, unverified and uncounted,
   * and the lookup computes afresh. In-memory entries are never re-verified.
   */
  readonly check?: (entry: CachedProof<R>) => Promise<boolean>;
  readonly persistence?: PersistentCacheBackend<R>;
  /** Persistence failures never fail a proof; they are reported here. */
  readonly onStorageError?: (error: unknown) => void;
}

/** What the cache itself counts; sharing is counted by whoever shares. */
export type StoreStats = Omit<CacheStats, "inflightJoins" | "inflight">;

const defaultRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * The cache key: hex SHA-256 over (salt, circuit id, canonical input). The canonical JSON array
 * keeps the three parts unambiguous (no "ab"+"c" = "a"+"bc" collisions).
 * @example cacheKey("ebsl-16", canonicalInputJson(input), salt)
 */
export function cacheKey(circuitId: string, canonicalInput: string, salt: string): string {
  return sha256HexSync(canonicalJson(["proofline-cache-v1", salt, circuitId, canonicalInput]));
}

/** Shape check for entries read from untrusted storage. */
function isCachedProof(value: unknown): value is CachedProof {
  const v = value as CachedProof | null;
  return (
    typeof v === "object" && v !== null && typeof v.circuitId === "string" && typeof v.hash === "string" &&
    typeof v.createdAt === "number" && Array.isArray(v.publicSignals) && typeof v.proof === "object" && v.proof !== null
  );
}

/** @example const { entry, source } = await cache.getOrCompute(await cache.keyFor(id, json), () => prove()); */
export class ProofCache<R = unknown> {
  readonly max: number;
  readonly ttlMs: number;
  readonly #clock: Clock;
  readonly #random: (bytes: number) => Uint8Array;
  readonly #check: ((entry: CachedProof<R>) => Promise<boolean>) | undefined;
  readonly #backend: PersistentCacheBackend<R> | undefined;
  readonly #onStorageError: (error: unknown) => void;
  readonly #lru: LRUCache<string, CachedProof<R>>;
  /** Keys of entries read back from storage and not yet verified by `check`. */
  readonly #unverified = new Set<string>();
  #salt: string | undefined;
  #loading: Promise<void> | undefined;
  #counts = { hits: 0, misses: 0, tampered: 0, evictions: 0, expirations: 0 };
  readonly #stats = writable<StoreStats>(this.stats());

  constructor(options: ProofCacheOptions<R>) {
    this.max = options.max;
    this.ttlMs = options.ttlMs;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? defaultRandom;
    this.#check = options.check;
    this.#backend = options.persistence;
    this.#onStorageError = options.onStorageError ?? (() => {});
    this.#salt = options.salt;
    this.#lru = new LRUCache<string, CachedProof<R>>({
      max: this.max,
      ttl: this.ttlMs,
      ttlAutopurge: false,
      // Read the injected clock on every staleness test (the default caches `now` behind a real timer).
      ttlResolution: 0,
      perf: { now: () => this.#clock.now() },
      dispose: (_value, key, reason) => {
        if (reason === "evict") this.#counts.evictions++;
        else if (reason === "expire") this.#counts.expirations++;
        else return;
        this.#unverified.delete(key);
        this.#persist((b) => b.delete(key));
      },
    });
  }

  #persist(op: (backend: PersistentCacheBackend<R>) => Promise<void>): void {
    if (!this.#backend) return;
    op(this.#backend).catch(this.#onStorageError);
  }

  /** Load the salt and persisted entries once; loaded entries get hash and shape checks here
   * and `check` on their first hit, so one verification per entry is paid only when used. */
  #ensureLoaded(): Promise<void> {
    return (this.#loading ??= (async () => {
      const backend = this.#backend;
      if (backend) {
        try {
          this.#salt ??= await backend.getSalt();
          if (this.#salt === undefined) {
            this.#salt = bytesToHex(this.#random(32));
            await backend.setSalt(this.#salt);
          }
          const now = this.#clock.wallNow();
          for (const [key, value] of await backend.loadAll()) {
            const remaining = isCachedProof(value) ? this.ttlMs - (now - value.createdAt) : 0;
            if (!isCachedProof(value) || !hasValidProofHash(value)) {
              this.#counts.tampered++;
              this.#persist((b) => b.delete(key));
            } else if (remaining <= 0 || remaining > this.ttlMs) {
              this.#persist((b) => b.delete(key));
            } else if (!this.#lru.has(key)) {
              this.#lru.set(key, value as CachedProof<R>, { ttl: remaining });
              this.#unverified.add(key);
            }
          }
        } catch (error) {
          this.#onStorageError(error);
        }
      }
      this.#salt ??= bytesToHex(this.#random(32));
      this.#publish();
    })());
  }

  /** The key of a request. Async because the salt may come from persistent storage. */
  async keyFor(circuitId: string, canonicalInput: string): Promise<string> {
    await this.#ensureLoaded();
    return cacheKey(circuitId, canonicalInput, this.#salt!);
  }

  /** `intact`, `tampered` (definitely), or `unknown` (a stored entry's check failed to run). */
  async #recheck(key: string, entry: CachedProof<R>): Promise<"intact" | "tampered" | "unknown"> {
    if (!hasValidProofHash(entry)) return "tampered";
    if (!this.#unverified.has(key) || !this.#check) return "intact";
    let valid: boolean;
    try {
      valid = (await this.#check(structuredClone(entry))) === true;
    } catch {
      return "unknown";
    }
    if (valid && this.#lru.peek(key) === entry) this.#unverified.delete(key);
    return valid ? "intact" : "tampered";
  }

  /**
   * The cached proof for `key` if it passes the re-check, else `compute()` (whose failure is
   * not cached). Concurrent calls are not merged here (see the module comment).
   */
  async getOrCompute(key: string, compute: () => Promise<ComputedProof<R>>): Promise<CacheOutcome<R>> {
    await this.#ensureLoaded();
    let source: "hit" | "miss" = "miss";
    let origin: "memory" | "storage" = "memory";
    const flight = (async () => {
      const cached = this.#lru.get(key);
      if (cached) {
        if (this.#unverified.has(key)) origin = "storage";
        const state = await this.#recheck(key, cached);
        if (state === "intact") {
          source = "hit";
          this.#counts.hits++;
          return cached;
        }
        if (state === "tampered") {
          this.#counts.tampered++;
          if (this.#lru.peek(key) === cached) this.#drop(key);
          this.#persist((b) => b.delete(key));
        }
      }
      this.#counts.misses++;
      this.#publish();
      const computed = await compute();
      const entry: CachedProof<R> = {
        ...structuredClone(computed),
        hash: resultHash(computed.circuitId, computed.proof, computed.publicSignals),
        createdAt: this.#clock.wallNow(),
      };
      this.#lru.set(key, entry);
      this.#unverified.delete(key);
      this.#persist((b) => b.set(key, entry));
      return entry;
    })();
    try {
      const entry = structuredClone(await flight);
      // Set inside the flight (TypeScript cannot see that assignment).
      const settled = source as "hit" | "miss";
      return settled === "hit" ? { entry, source: settled, origin } : { entry, source: settled };
    } finally {
      this.#publish();
    }
  }

  /**
   * Treat an entry read back from storage as unchecked again, so its next hit runs `check` once
   * more (a caller whose own check of it, e.g. its statement, could not finish).
   */
  distrust(key: string): void {
    if (this.#lru.has(key)) this.#unverified.add(key);
  }

  /** True when a (not yet re-checked) entry exists. Does not count as a lookup. */
  has(key: string): boolean {
    return this.#lru.has(key);
  }

  delete(key: string): void {
    this.#drop(key);
    this.#persist((b) => b.delete(key));
    this.#publish();
  }

  #drop(key: string): void {
    this.#lru.delete(key);
    this.#unverified.delete(key);
  }

  /** Drop every entry (memory and persistence). Stats counters are kept; running computes finish. */
  async clear(): Promise<void> {
    this.#lru.clear();
    this.#unverified.clear();
    if (this.#backend) await this.#backend.clear().catch(this.#onStorageError);
    this.#publish();
  }

  stats(): StoreStats {
    const c = this.#counts;
    const lookups = c.hits + c.misses;
    return { ...c, size: this.#lru?.size ?? 0, hitRate: lookups === 0 ? 0 : c.hits / lookups };
  }

  subscribe(run: (stats: StoreStats) => void): () => void {
    return this.#stats.subscribe(run);
  }

  #publish(): void {
    this.#stats.set(this.stats());
  }
}
