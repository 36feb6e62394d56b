/**
 * What an artifact loader (artifact-loader.ts) is built with and reports: its options, the
 * port that reads one artifact location (fetch by default, files in Node), and its counters.
 */
import type { Clock } from "../../core/clock.js";
import type { ProofError } from "../../core/errors.js";
import type { FetchLike } from "./artifact-fetch.js";
import type { ArtifactStore } from "./artifact-store.js";
import type { Exclusive } from "./web-locks.js";
import type { ArtifactKind } from "../types.js";

export interface ArtifactReadContext {
  readonly circuitId: string;
  readonly artifact: ArtifactKind;
  readonly expectedBytes: number;
  readonly signal: AbortSignal;
  /** Running byte count (monotonic within one read). */
  readonly onBytes: (loadedBytes: number) => void;
  /** True for the one clean re-read after an integrity failure: bypass any cache. */
  readonly reload: boolean;
}

export interface ArtifactReadResult {
  readonly bytes: Uint8Array;
  /** "network" for downloads, "storage" for local files. */
  readonly source: "network" | "storage";
}

/** Reads one artifact location (see node-artifact-reader.ts for files and file: URLs). */
export type ArtifactReader = (url: string, context: ArtifactReadContext) => Promise<ArtifactReadResult>;

export interface ArtifactLoaderOptions {
  /** @default globalThis.fetch */
  readonly fetch?: FetchLike;
  /** Persistent store; `null` for none. @default IndexedDB store when `indexedDB` exists, else none */
  readonly store?: ArtifactStore | null;
  /** Base for relative artifact URLs (a URL, or a directory path in Node). */
  readonly baseUrl?: string | URL;
  /** Replaces fetch for every read (Node: `createNodeArtifactReader()`). */
  readonly readFile?: ArtifactReader;
  /** Keep verified bytes in memory, by SHA-256. @default true */
  readonly memory?: boolean;
  /** Larger artifacts are the caller's alone (it may detach them), not kept in memory. @default Infinity */
  readonly handOverAboveBytes?: number;
  /** Chunk size of the default IndexedDB store. @default 1 MiB (DEFAULT_CHUNK_BYTES) */
  readonly chunkBytes?: number;
  /**
   * The caller keeps the bytes it is given as they are (a prover worker): the default store
   * then copies each chunk as it writes it, not the whole artifact up front. @default false
   */
  readonly callerKeepsBytes?: boolean;
  /** Called for every storage failure; the load goes on without the store. */
  readonly onStorageError?: (error: ProofError<"STORAGE_ERROR">) => void;
  /** A store read taking longer than this counts as a failure (a blocked IndexedDB hangs). @default 5000 */
  readonly storeTimeoutMs?: number;
  /** @default sha256Hex (incremental with yields on a page's main thread, WebCrypto elsewhere) */
  readonly digest?: (bytes: Uint8Array) => Promise<string>;
  /** @default systemClock */
  readonly clock?: Clock;
  /**
   * Runs `fn` while holding the lock `name`, shared with every other loader that should not
   * download or store the same artifact at the same time; `null` for no lock.
   * @default Web Locks (`navigator.locks.request`) where available, else none
   */
  readonly exclusive?: Exclusive | null;
}

export interface ArtifactLoaderStats {
  /** Reads that went to the network (each attempt counts). */
  readonly networkRequests: number;
  readonly networkBytes: number;
  readonly memoryHits: number;
  readonly storageHits: number;
  readonly storageErrors: number;
  /** Store entries that failed size/SHA-256 on read and were deleted. */
  readonly corruptStoreEntries: number;
  /** Reads (network or file) whose bytes failed size/SHA-256. */
  readonly integrityFailures: number;
  readonly memoryBytes: number;
}
