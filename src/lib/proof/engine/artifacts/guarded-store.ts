/**
 * The artifact loader's persistent store behind a guard: a storage failure never fails a load.
 * Each failure is reported as a StorageError; a failed or timed-out READ disables the store for
 * this loader (a blocked IndexedDB would otherwise cost a timeout per artifact), a failed WRITE
 * (e.g. QuotaExceededError) does not. Writes run in the background; `flush()` awaits them.
 */
import { raceSignal } from "../../core/abort.js";
import type { Clock } from "../../core/clock.js";
import { StorageError, type ProofError } from "../../core/errors.js";
import { loadCancelled } from "./artifact-fetch.js";
import type { ArtifactStore } from "./artifact-store.js";

export interface GuardedStoreOptions {
  readonly store: ArtifactStore | null;
  readonly clock: Clock;
  /** A read taking longer than this counts as a failure. */
  readonly readTimeoutMs: number;
  /** Every failure, after it was counted; a throwing listener is ignored. */
  readonly onError: (error: ProofError<"STORAGE_ERROR">) => void;
}

export interface GuardedStore {
  /** False once a read failed: the loader then goes on with memory and network only. */
  readonly active: boolean;
  /** The stored bytes, or undefined (none, no store, or a failure). Rejects only when `signal` aborts. */
  get(sha256: string, signal: AbortSignal): Promise<Uint8Array | undefined>;
  /** Write in the background; the promise settles (never rejects) when the write is over. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  /** Delete an entry that failed its check; never rejects. */
  delete(sha256: string): Promise<void>;
  /** Resolves once every background write has settled. */
  flush(): Promise<void>;
}

export function guardStore(options: GuardedStoreOptions): GuardedStore {
  let store = options.store;
  const { clock, readTimeoutMs } = options;
  const writes = new Set<Promise<void>>();

  const failed = (operation: string, error: unknown, disable: boolean): void => {
    if (disable) store = null;
    const name = error instanceof Error ? error.name : typeof error;
    const e = new StorageError(`Artifact storage ${operation} failed (${name}); continuing without it`, {
      cause: error,
      details: { operation, name, disabled: disable },
    });
    try {
      options.onError(e);
    } catch {
      // a throwing listener must not fail the load
    }
  };

  return {
    get active() {
      return store !== null;
    },
    async get(sha256, signal) {
      const s = store;
      if (!s) return undefined;
      let timer: unknown;
      const timeout = new Promise<never>((_, reject) => {
        timer = clock.setTimeout(() => reject(new StorageError(`Store read exceeded ${readTimeoutMs} ms`)), readTimeoutMs);
      });
      try {
        return await raceSignal(Promise.race([s.get(sha256), timeout]), signal, loadCancelled());
      } catch (error) {
        if (signal.aborted) throw error;
        failed("read", error, true);
        return undefined;
      } finally {
        clock.clearTimeout(timer);
      }
    },
    put(sha256, bytes) {
      const s = store;
      if (!s) return Promise.resolve();
      let p: Promise<void>;
      try {
        p = s.put(sha256, bytes).catch((error: unknown) => failed("write", error, false));
      } catch (error) {
        failed("write", error, false);
        return Promise.resolve();
      }
      writes.add(p);
      void p.then(() => writes.delete(p));
      return p;
    },
    delete(sha256) {
      return Promise.resolve()
        .then(() => store?.delete(sha256))
        .catch((error: unknown) => failed("delete", error, false));
    },
    async flush() {
      while (writes.size > 0) await Promise.all(writes);
    },
  };
}
