/**
 * An `ArtifactStore` wrapper that fails like IndexedDB does. TEST-ONLY (see fault-plan.ts).
 *
 * - `storage-unavailable`: every call rejects with the DOMException browsers raise when
 *   IndexedDB cannot be opened (private windows, blocked storage, a broken profile):
 *   `InvalidStateError`.
 * - `storage-full`: writes reject with `QuotaExceededError` (a DOMException, as IndexedDB
 *   raises it); reads, deletes and usage keep working.
 *
 * `nth`/`probability` decide per call (unavailable) or per write (full), seeded.
 */
import type { ArtifactStore, ArtifactStoreUsage } from "../engine/artifacts/artifact-store.js";
import { FAULT_MARKER, FaultSchedule, type FaultLog, STORAGE_FAULT_KINDS, type FaultPlan, type StorageFaultKind } from "./fault-plan.js";

/** A faulty store, with the schedule that decided its faults. */
export type FaultyStore = ArtifactStore & { readonly schedule: FaultLog<StorageFaultKind> };

function domException(message: string, name: string): Error {
  // DOMException is global in browsers and Node >= 17; fall back to a named Error elsewhere.
  const Ctor = (globalThis as { DOMException?: new (m: string, n: string) => Error }).DOMException;
  if (Ctor) return new Ctor(message, name);
  const e = new Error(message);
  e.name = name;
  return e;
}

/** A store with no entries at all, for wrapping when there is no real store. */
function emptyStore(): ArtifactStore {
  return {
    get: async () => undefined,
    put: async () => undefined,
    delete: async () => undefined,
    clear: async () => undefined,
    usage: async () => ({ artifacts: 0, bytes: 0 }),
  };
}

/**
 * Wrap `inner` (default: an empty store) with storage faults; pass the result as the artifact
 * loader's `store`.
 * @example const store = createFaultyStore({ kind: "storage-full", seed: 1 }, createIndexedDbArtifactStore());
 */
export function createFaultyStore(plans: FaultPlan | readonly FaultPlan[], inner: ArtifactStore = emptyStore()): FaultyStore {
  const list = Array.isArray(plans) ? (plans as readonly FaultPlan[]) : [plans as FaultPlan];
  // One schedule for the plans that hit every call, one for those that only hit writes: a
  // `storage-full` plan's `nth` counts writes, never reads.
  const schedule = new FaultSchedule<StorageFaultKind>(list.filter((p) => p.kind !== "storage-full"), STORAGE_FAULT_KINDS);
  const writes = new FaultSchedule<StorageFaultKind>(list.filter((p) => p.kind === "storage-full"), STORAGE_FAULT_KINDS);

  const fail = (operation: string, write: boolean): Error | undefined => {
    if (schedule.decide({})) return domException(`${FAULT_MARKER}: IndexedDB is unavailable (${operation})`, "InvalidStateError");
    if (write && writes.decide({})) return domException(`${FAULT_MARKER}: the quota has been exceeded (${operation})`, "QuotaExceededError");
    return undefined;
  };

  const guarded =
    <A extends unknown[], R>(operation: string, write: boolean, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const error = fail(operation, write);
      if (error) throw error;
      return call(...args);
    };

  return {
    get: guarded("get", false, (sha256: string) => inner.get(sha256)),
    put: guarded("put", true, (sha256: string, bytes: Uint8Array) => inner.put(sha256, bytes)),
    delete: guarded("delete", false, (sha256: string) => inner.delete(sha256)),
    clear: guarded("clear", false, () => inner.clear()),
    usage: guarded("usage", false, (): Promise<ArtifactStoreUsage> => inner.usage()),
    schedule: {
      get injected() {
        return [...schedule.injected, ...writes.injected];
      },
      counts: () => ({ ...schedule.counts(), ...writes.counts() }),
    },
  };
}
