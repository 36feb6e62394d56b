/**
 * Where the proof cache persists entries across visits (optional). Entries hold only public
 * data (proof, public signals, circuit id, hash, time, public result fields) and are keyed by
 * salted digests, so a persisted cache reveals no private input; the salt is stored with them
 * so keys stay reachable after a reload.
 *
 * Anything read back is untrusted: the cache re-checks every loaded entry.
 */
import type { Groth16Proof } from "../engine/types.js";

/** One cached proof. `result` carries the public result fields the facade chose to keep. */
export interface CachedProof<R = unknown> {
  readonly circuitId: string;
  readonly proof: Groth16Proof;
  readonly publicSignals: readonly string[];
  /** `resultHash(circuitId, proof, publicSignals)`. */
  readonly hash: string;
  /** Wall-clock epoch ms when the proof was cached. */
  readonly createdAt: number;
  readonly result?: R;
}

export interface PersistentCacheBackend<R = unknown> {
  /** Every stored entry (unvalidated). */
  loadAll(): Promise<Array<readonly [string, unknown]>>;
  set(key: string, entry: CachedProof<R>): Promise<void>;
  delete(key: string): Promise<void>;
  /** Remove all entries (the salt may stay). */
  clear(): Promise<void>;
  getSalt(): Promise<string | undefined>;
  setSalt(salt: string): Promise<void>;
}

/** In-memory backend (tests, Node processes that want the persistence code path). */
export function createMemoryCacheBackend<R = unknown>(): PersistentCacheBackend<R> & { readonly data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  let salt: string | undefined;
  return {
    data,
    loadAll: async () => [...data].map(([k, v]) => [k, structuredClone(v)] as const),
    set: async (key, entry) => void data.set(key, structuredClone(entry)),
    delete: async (key) => void data.delete(key),
    clear: async () => data.clear(),
    getSalt: async () => salt,
    setSalt: async (s) => {
      salt = s;
    },
  };
}
