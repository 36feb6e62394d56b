/**
 * Persistent, content-addressed artifact storage.
 *
 * Entries are keyed by the artifact's pinned SHA-256, so a new manifest pin can never read stale
 * bytes: a changed artifact has a new key. Big files are split into chunks (IndexedDB handles
 * many medium values better than one 30 MB value, and browsers cap single values), and the meta
 * record is written LAST, in its own transaction, so an interrupted write leaves only invisible
 * chunks, never an entry that looks present. The store does not verify hashes; the loader does.
 *
 * Main-thread budget: IndexedDB structured-clones a value synchronously on the caller's
 * thread, when it is written and when it is read back. (The browser default runs this store in
 * the prover workers, where that cost is harmless; the budget matters when a page uses it.) Writing all chunks of a 25 MB
 * zkey in one `setMany` took one ≈ 130 ms task in Chromium, reading them back one ≈ 97 ms task.
 * So chunks are written and read ONE PER TRANSACTION with a yield between them, and chunks are
 * 1 MiB: each task clones about 1 MiB.
 */
import { createStore, del, delMany, get, getMany, keys, set, clear as clearAll, type UseStore } from "idb-keyval";
import { isUiThread, noYield, yieldToEventLoop, type YieldFn } from "../../core/clock.js";

/** What the loader needs from persistent storage. Implementations may throw; the loader degrades to memory. */
export interface ArtifactStore {
  /** The bytes stored under `sha256`, or undefined when absent or incomplete. */
  get(sha256: string): Promise<Uint8Array | undefined>;
  /** Store `bytes` under `sha256`. Must not retain or modify `bytes` after the promise settles. */
  put(sha256: string, bytes: Uint8Array): Promise<void>;
  delete(sha256: string): Promise<void>;
  clear(): Promise<void>;
  usage(): Promise<ArtifactStoreUsage>;
}

export interface ArtifactStoreUsage {
  readonly artifacts: number;
  readonly bytes: number;
}

export interface IndexedDbArtifactStoreOptions {
  /** @default "proofline-artifacts" */
  readonly dbName?: string;
  /** @default "artifacts" */
  readonly storeName?: string;
  /** Chunk size in bytes: about the most one task clones. @default 1 MiB */
  readonly chunkBytes?: number;
  /**
   * Runs between two chunk reads or writes.
   * @default yieldToEventLoop on a page's main thread; nothing in a worker, where no UI waits
   */
  readonly yield?: YieldFn;
  /**
   * The caller keeps the bytes it stores as they are (never transfers or changes them, as a
   * prover worker keeps its artifacts): each chunk is copied as it is written instead of every
   * chunk up front, so a write holds one chunk more than the artifact, not the artifact twice.
   * @default false
   */
  readonly callerKeepsBytes?: boolean;
  /**
   * Chunk reads kept in flight: more hold more chunks in memory at once (each `chunkBytes`)
   * and let the backend read ahead while this thread is busy.
   * @default 8
   */
  readonly readAhead?: number;
}

export const DEFAULT_CHUNK_BYTES = 1024 * 1024;
/** Chunk reads in flight by default: 8 MiB of 1 MiB chunks ahead of the copy. */
export const DEFAULT_READ_AHEAD = 8;

interface MetaRecord {
  readonly v: 1;
  readonly bytes: number;
  readonly chunks: number;
}

const META = "meta:";
const chunkKey = (sha256: string, i: number) => `chunk:${sha256}:${i}`;

function toBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  return undefined;
}

function isMeta(value: unknown): value is MetaRecord {
  const m = value as MetaRecord | undefined;
  return !!m && m.v === 1 && Number.isSafeInteger(m.bytes) && Number.isSafeInteger(m.chunks) && m.chunks >= 0;
}

/**
 * Split `bytes` into exact-size copies. Copies, not `subarray` views: structured clone of a
 * view stores its WHOLE underlying buffer, which would write the full zkey once per chunk.
 * All copies are taken synchronously so a caller that later transfers `bytes` to a worker
 * cannot detach them mid-write.
 */
export function splitChunks(bytes: Uint8Array, chunkBytes: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let start = 0; start < bytes.byteLength; start += chunkBytes) {
    out.push(bytes.slice(start, Math.min(start + chunkBytes, bytes.byteLength)));
  }
  return out;
}

/**
 * The browser store: IndexedDB through idb-keyval, in our own database and object store
 * (`proofline-artifacts` / `artifacts`) so we never collide with an app's idb-keyval default.
 * Nothing is opened until the first call.
 */
export function createIndexedDbArtifactStore(options: IndexedDbArtifactStoreOptions = {}): ArtifactStore {
  const dbName = options.dbName ?? "proofline-artifacts";
  const storeName = options.storeName ?? "artifacts";
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
    throw new RangeError(`chunkBytes must be a positive integer, got ${String(chunkBytes)}`);
  }
  const readAhead = options.readAhead ?? DEFAULT_READ_AHEAD;
  if (!Number.isSafeInteger(readAhead) || readAhead <= 0) {
    throw new RangeError(`readAhead must be a positive integer, got ${String(readAhead)}`);
  }
  const pause = options.yield ?? (isUiThread() ? yieldToEventLoop : noYield);
  let db: UseStore | undefined;
  // idb-keyval opens lazily, but createStore reads the global indexedDB on first use: keep both lazy.
  const use = (): UseStore => (db ??= createStore(dbName, storeName));

  async function readMeta(sha256: string): Promise<MetaRecord | undefined> {
    const meta: unknown = await get(META + sha256, use());
    return isMeta(meta) ? meta : undefined;
  }

  async function deleteEntry(sha256: string, chunks?: number): Promise<void> {
    // Meta first: from this moment the entry is absent, whatever happens to the chunks.
    const meta = await readMeta(sha256);
    await del(META + sha256, use());
    const n = Math.max(chunks ?? 0, meta?.chunks ?? 0);
    if (n > 0) await delMany(Array.from({ length: n }, (_, i) => chunkKey(sha256, i)), use());
  }

  return {
    async get(sha256) {
      const meta = await readMeta(sha256);
      if (!meta) return undefined;
      // Entries written with another chunk size read back the same: only sizes must add up.
      const out = new Uint8Array(meta.bytes);
      const read = (i: number) => get(chunkKey(sha256, i), use());
      // Several reads in flight: the IndexedDB backend reads the next chunks while this thread
      // copies one, yields, or is busy with other work (a prover worker compiles and runs wasm
      // while its artifacts are read: with one read ahead, every busy stretch stalled the read).
      // Each result still arrives, and is cloned, in its own task.
      const inFlight: Array<Promise<unknown>> = [];
      let requested = 0;
      const fill = () => {
        while (requested < meta.chunks && inFlight.length < readAhead) inFlight.push(read(requested++));
      };
      fill();
      let offset = 0;
      try {
        for (let i = 0; i < meta.chunks; i++) {
          const chunk = toBytes(await inFlight.shift());
          fill();
          if (!chunk || offset + chunk.byteLength > meta.bytes) return undefined;
          out.set(chunk, offset);
          offset += chunk.byteLength;
          if (i + 1 < meta.chunks) await pause();
        }
      } finally {
        for (const left of inFlight) left.catch(() => undefined); // left early: nobody awaits these reads
      }
      return offset === meta.bytes ? out : undefined;
    },

    async put(sha256, bytes) {
      // Both taken before the first await: the caller may transfer `bytes` right after calling
      // (unless it said it keeps them: then each chunk is copied when written).
      const length = bytes.byteLength;
      const count = Math.ceil(length / chunkBytes);
      const upFront = options.callerKeepsBytes ? undefined : splitChunks(bytes, chunkBytes);
      const chunk = (i: number) => upFront?.[i] ?? bytes.slice(i * chunkBytes, Math.min((i + 1) * chunkBytes, length));
      if (await readMeta(sha256)) return; // content-addressed: already complete
      try {
        for (let i = 0; i < count; i++) {
          if (i > 0) await pause();
          await set(chunkKey(sha256, i), chunk(i), use());
        }
        const meta: MetaRecord = { v: 1, bytes: length, chunks: count };
        await set(META + sha256, meta, use());
      } catch (error) {
        // Best effort: don't leave orphan chunks behind (e.g. after QuotaExceededError).
        await deleteEntry(sha256, count).catch(() => undefined);
        throw error;
      }
    },

    delete: (sha256) => deleteEntry(sha256),

    clear: () => clearAll(use()),

    async usage() {
      const all = await keys<string>(use());
      const metaKeys = all.filter((k) => typeof k === "string" && k.startsWith(META));
      const metas = await getMany(metaKeys, use());
      let bytes = 0;
      let artifacts = 0;
      for (const m of metas) {
        if (isMeta(m)) {
          artifacts++;
          bytes += m.bytes;
        }
      }
      return { artifacts, bytes };
    },
  };
}

/** A non-persistent store (tests, or hosts that want one cache shared by several loaders). */
export function createMemoryArtifactStore(): ArtifactStore {
  const map = new Map<string, Uint8Array>();
  return {
    get: async (sha256) => map.get(sha256)?.slice(),
    put: async (sha256, bytes) => {
      map.set(sha256, bytes.slice());
    },
    delete: async (sha256) => {
      map.delete(sha256);
    },
    clear: async () => map.clear(),
    usage: async () => ({ artifacts: map.size, bytes: [...map.values()].reduce((n, b) => n + b.byteLength, 0) }),
  };
}
