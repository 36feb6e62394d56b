/**
 * IndexedDB persistence for the proof cache through idb-keyval, in its own database and object
 * store (`proofline-proofs` / `proofs`) so it never collides with an app's idb-keyval default or
 * with the artifact store. Opened on first use, never at import.
 */
import { clear, createStore, del, entries, get, set, type UseStore } from "idb-keyval";
import type { CachedProof, PersistentCacheBackend } from "./cache-backend.js";

export interface IdbCacheBackendOptions {
  /** @default "proofline-proofs" */
  readonly dbName?: string;
  /** @default "proofs" */
  readonly storeName?: string;
}

const ENTRY = "entry:";
const SALT = "meta:salt";

/** @example new ProofCache({ max: 50, ttlMs: 3_600_000, persistence: createIdbCacheBackend() }) */
export function createIdbCacheBackend<R = unknown>(options: IdbCacheBackendOptions = {}): PersistentCacheBackend<R> {
  let db: UseStore | undefined;
  const use = (): UseStore => (db ??= createStore(options.dbName ?? "proofline-proofs", options.storeName ?? "proofs"));
  return {
    async loadAll() {
      const all = await entries<IDBValidKey, unknown>(use());
      return all.filter(([k]) => typeof k === "string" && k.startsWith(ENTRY)).map(([k, v]) => [(k as string).slice(ENTRY.length), v] as const);
    },
    set: (key: string, entry: CachedProof<R>) => set(ENTRY + key, entry, use()),
    delete: (key: string) => del(ENTRY + key, use()),
    async clear() {
      const salt = await get<string>(SALT, use());
      await clear(use());
      if (salt !== undefined) await set(SALT, salt, use());
    },
    getSalt: () => get<string>(SALT, use()),
    setSalt: (salt: string) => set(SALT, salt, use()),
  };
}
