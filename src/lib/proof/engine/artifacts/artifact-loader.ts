/**
 * The prover's `ArtifactSource`: memory → persistent store → network (or files in Node), with
 * every byte checked against the pinned size and SHA-256 before use.
 *
 * Decisions:
 * - Integrity: size first (free), then SHA-256. Bytes read back from the store are checked too;
 *   a corrupted entry is deleted and the artifact re-downloaded. A bad download gets exactly one
 *   clean re-download (`cache: "reload"`, so an HTTP cache cannot serve the same bad bytes),
 *   then IntegrityError. In-memory copies are not re-hashed per load (they were verified when
 *   inserted and re-hashing a 20 MB zkey would tax every proof); a detached copy (byteLength 0
 *   after someone transferred it) is noticed by its size and reloaded.
 * - Storage failures never fail a load (guarded-store.ts): each is reported through
 *   `onStorageError` and counted in `stats().storageErrors`; the load continues from memory and
 *   network.
 * - Concurrent loads of one artifact (same SHA-256) share one pipeline. A caller's abort only
 *   ends its own wait; the shared download is aborted when its last waiter leaves
 *   (shared-flights.ts).
 * - Across loaders (each prover worker has its own), one download and one stored copy: with a
 *   persistent store, "read the store, else download and write it" runs under an origin-wide
 *   lock named after the artifact's SHA-256 (Web Locks: every worker of the page, and other tabs,
 *   see the same lock). The first worker downloads and writes while holding it; the others wait,
 *   then find the stored copy. The bytes are handed to the caller as soon as they are checked
 *   (handed-over ones once stored); the lock is released when the write has finished.
 * - Returned `wasm`/`zkey` are the loader's cached buffers: copy before transferring them. Those
 *   above `handOverAboveBytes` (a prover worker's loader) are the caller's alone: a worker lets a
 *   big zkey go once decoded (worker/held-circuits.ts), and a copy cached here would keep the
 *   whole file next to its decoded copy; it is read again from the store when needed.
 */
import { systemClock } from "../../core/clock.js";
import { IntegrityError, NetworkError, type ErrorDetails } from "../../core/errors.js";
import { abortError } from "../../core/abort.js";
import { fetchArtifact, loadCancelled, redactUrl } from "./artifact-fetch.js";
import { createIndexedDbArtifactStore } from "./artifact-store.js";
import { sha256Hex } from "./digest.js";
import { SharedFlights } from "../../core/shared-flights.js";
import { guardStore } from "./guarded-store.js";
import { parseVkey, resolveArtifactUrl } from "./manifest.js";
import { webLocks } from "./web-locks.js";
import type { ArtifactLoaderOptions, ArtifactLoaderStats, ArtifactReader } from "./artifact-loader-options.js";
import type { ArtifactKind, ArtifactProgress, ArtifactRef, ArtifactSource, CircuitDefinition, LoadedArtifacts, LoadOptions } from "../types.js";

export { webLocks, type Exclusive } from "./web-locks.js";
export type { ArtifactLoaderOptions, ArtifactLoaderStats, ArtifactReadContext, ArtifactReader, ArtifactReadResult } from "./artifact-loader-options.js";

export interface ArtifactLoader extends ArtifactSource {
  stats(): ArtifactLoaderStats;
  /** Resolves once background store writes have settled. */
  flush(): Promise<void>;
}

interface Resolved {
  readonly bytes: Uint8Array;
  readonly source: "network" | "storage";
  readonly networkBytes: number;
}

interface ByteEvent {
  readonly loaded: number;
  readonly total: number;
  readonly source: ArtifactProgress["source"];
}
type Emit = (loaded: number, total: number, source: ArtifactProgress["source"]) => void;

const PREFIX = 16;

/** What a prover worker's loader hands over (and its worker lets go once decoded): zkeys of tens of MB, not small ones. */
export const WORKER_HAND_OVER_ABOVE_BYTES = 8 * 1024 * 1024;

/** Create the artifact loader. @example const loader = createArtifactLoader({ baseUrl: "/circuits/" }); */
export function createArtifactLoader(options: ArtifactLoaderOptions = {}): ArtifactLoader {
  const digest = options.digest ?? ((b: Uint8Array) => sha256Hex(b));
  const clock = options.clock ?? systemClock;
  const storeTimeoutMs = options.storeTimeoutMs ?? 5000;
  const useMemory = options.memory ?? true;
  const handOverAbove = options.handOverAboveBytes ?? Infinity;
  const exclusive = options.exclusive === undefined ? webLocks() : options.exclusive;
  const stats = { networkRequests: 0, networkBytes: 0, memoryHits: 0, storageHits: 0, storageErrors: 0, corruptStoreEntries: 0, integrityFailures: 0 };
  const store = guardStore({
    store:
      options.store !== undefined
        ? options.store
        : typeof globalThis.indexedDB !== "undefined"
          ? createIndexedDbArtifactStore({ ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}), ...(options.callerKeepsBytes ? { callerKeepsBytes: true } : {}) })
          : null,
    clock,
    readTimeoutMs: storeTimeoutMs,
    onError: (error) => {
      stats.storageErrors++;
      options.onStorageError?.(error);
    },
  });
  const memory = new Map<string, Uint8Array>();
  const flights = new SharedFlights<Resolved, ByteEvent>();
  /** A new flight for `ref`, `onEvent` its first waiter's listener; it runs under its own signal, aborted when every waiter has left. */
  const fly = (circuitId: string, kind: ArtifactKind, ref: ArtifactRef, onEvent: (e: ByteEvent) => void, signal: AbortSignal | undefined, details: ErrorDetails): Promise<Resolved> => {
    const controller = new AbortController();
    const listeners = new Set<(e: ByteEvent) => void>();
    // Each listener is loadOne's own `emit`, which never throws.
    const tell = (e: ByteEvent) => listeners.forEach((l) => l(e));
    // Started in a microtask so the first waiter is registered before any event is told.
    const promise = Promise.resolve().then(async () => {
      const res = await resolve(circuitId, kind, ref, controller.signal, tell);
      if (useMemory && res.bytes.byteLength <= handOverAbove) memory.set(ref.sha256, res.bytes);
      return res;
    });
    flights.add(ref.sha256, { controller, listeners, promise });
    return flights.wait(ref.sha256, onEvent, signal, loadCancelled(details))!;
  };

  const read: ArtifactReader =
    options.readFile ??
    (async (url, ctx) => {
      const f = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined);
      if (!f) throw new NetworkError("No fetch available to download artifacts", { details: { circuitId: ctx.circuitId, artifact: ctx.artifact } });
      const bytes = await fetchArtifact(url, { ...ctx, fetch: f, ...(ctx.reload ? { cache: "reload" as const } : {}) });
      return { bytes, source: "network" };
    });

  async function mismatch(ref: ArtifactRef, bytes: Uint8Array): Promise<ErrorDetails | undefined> {
    if (bytes.byteLength === ref.bytes && (await digest(bytes)) === ref.sha256) return undefined;
    const actual = bytes.byteLength === 0 ? "" : await digest(bytes);
    return {
      expectedBytes: ref.bytes,
      actualBytes: bytes.byteLength,
      expectedSha256: ref.sha256.slice(0, PREFIX),
      actualSha256: actual.slice(0, PREFIX),
    };
  }

  /**
   * The shared pipeline for one artifact, under the cross-loader lock when there is a store to
   * share: the caller gets the bytes once checked, the lock is held until they are stored.
   */
  function resolve(circuitId: string, kind: ArtifactKind, ref: ArtifactRef, signal: AbortSignal, emitEvent: (e: ByteEvent) => void): Promise<Resolved> {
    if (!exclusive || !store.active) return resolveUnlocked(circuitId, kind, ref, signal, emitEvent, () => undefined);
    return new Promise<Resolved>((resolveOuter, rejectOuter) => {
      exclusive(`proofline-artifact:${ref.sha256}`, signal, async () => {
        let written: Promise<void> = Promise.resolve();
        const r = await resolveUnlocked(circuitId, kind, ref, signal, emitEvent, (w) => (written = w));
        resolveOuter(r);
        await written;
      }).catch((error: unknown) => rejectOuter(signal.aborted ? abortError(signal, loadCancelled()) : error));
    });
  }

  /** Store, then up to two reads; `onWrite` gets the pending write of a fresh download. */
  async function resolveUnlocked(
    circuitId: string,
    kind: ArtifactKind,
    ref: ArtifactRef,
    signal: AbortSignal,
    emitEvent: (e: ByteEvent) => void,
    onWrite: (write: Promise<void>) => void,
  ): Promise<Resolved> {
    const emit: Emit = (loaded, total, source) => emitEvent({ loaded, total, source });

    const stored = await store.get(ref.sha256, signal);
    if (stored) {
      if (!(await mismatch(ref, stored))) {
        stats.storageHits++;
        emit(stored.byteLength, stored.byteLength, "storage");
        return { bytes: stored, source: "storage", networkBytes: 0 };
      }
      stats.corruptStoreEntries++;
      await store.delete(ref.sha256);
    }

    const url = resolveArtifactUrl(ref.url, options.baseUrl);
    let base = 0;
    let networkBytes = 0;
    let last: ErrorDetails = {};
    for (const reload of [false, true]) {
      const offset = base;
      const onBytes = (n: number) => emit(offset + n, Math.max(offset + ref.bytes, offset + n), "network");
      const result = await read(url, { circuitId, artifact: kind, expectedBytes: ref.bytes, signal, onBytes, reload });
      const source = result.source;
      const got = result.bytes.byteLength;
      if (source === "network") {
        stats.networkRequests++;
        stats.networkBytes += got;
        networkBytes += got;
      }
      if (signal.aborted) throw abortError(signal, loadCancelled());
      const bad = await mismatch(ref, result.bytes);
      if (!bad) {
        emit(offset + got, offset + got, source);
        if (source === "network" && !signal.aborted) {
          const write = store.put(ref.sha256, result.bytes);
          // Stored before it is handed over: its new owner may detach it while a write still reads it.
          if (got > handOverAbove) await write;
          else onWrite(write);
        }
        return { bytes: result.bytes, source, networkBytes };
      }
      stats.integrityFailures++;
      last = bad;
      base += got;
    }
    const sizes = last["actualBytes"] !== last["expectedBytes"] ? ` (${String(last["actualBytes"])} bytes received, ${String(last["expectedBytes"])} pinned)` : " (same size, different SHA-256)";
    throw new IntegrityError(`The ${kind} artifact of ${circuitId} at ${redactUrl(url)} does not match its pinned size/SHA-256${sizes}, also after a clean re-download. Check artifactsBaseUrl (the folder that holds build/) and that the files are the pinned build.`, {
      details: { circuitId, artifact: kind, url: redactUrl(url), attempts: 2, ...last },
    });
  }

  /** One artifact, handed to `onVerified` once checked (a throwing listener is ignored). */
  async function loadOne(circuit: CircuitDefinition, kind: ArtifactKind, opts: LoadOptions): Promise<{ bytes: Uint8Array; networkBytes: number }> {
    const loaded = await loadChecked(circuit, kind, opts);
    try {
      opts.onVerified?.(kind, loaded.bytes);
    } catch {
      // a throwing listener must not fail the load
    }
    return loaded;
  }

  async function loadChecked(circuit: CircuitDefinition, kind: ArtifactKind, opts: LoadOptions): Promise<{ bytes: Uint8Array; networkBytes: number }> {
    const ref = circuit[kind];
    const details = { circuitId: circuit.id, artifact: kind };
    const emit: Emit = (loadedBytes, totalBytes, source) => {
      try {
        opts.onProgress?.({ circuitId: circuit.id, artifact: kind, loadedBytes, totalBytes, source });
      } catch {
        // a throwing listener must not fail the load
      }
    };
    if (opts.signal?.aborted) throw abortError(opts.signal, loadCancelled(details));

    const cached = memory.get(ref.sha256);
    if (cached) {
      if (cached.byteLength === ref.bytes) {
        stats.memoryHits++;
        emit(cached.byteLength, cached.byteLength, "memory");
        return { bytes: cached, networkBytes: 0 };
      }
      memory.delete(ref.sha256); // detached by a transfer, or never right: reload
    }

    // One download per artifact: later callers wait for the flight the first one started.
    const onEvent = (e: ByteEvent) => emit(e.loaded, e.total, e.source);
    const r = await (flights.wait(ref.sha256, onEvent, opts.signal, loadCancelled(details)) ?? fly(circuit.id, kind, ref, onEvent, opts.signal, details));
    return { bytes: r.bytes, networkBytes: r.networkBytes };
  }

  return {
    async load(circuit, opts = {}) {
      const [wasm, zkey, vkey] = await Promise.all([
        loadOne(circuit, "wasm", opts),
        loadOne(circuit, "zkey", opts),
        loadOne(circuit, "vkey", opts),
      ]);
      return {
        circuitId: circuit.id,
        wasm: wasm.bytes,
        zkey: zkey.bytes,
        vkey: parseVkey(vkey.bytes, circuit.id),
        networkBytes: wasm.networkBytes + zkey.networkBytes + vkey.networkBytes,
      } satisfies LoadedArtifacts;
    },
    stats: () => ({ ...stats, memoryBytes: [...memory.values()].reduce((n, b) => n + b.byteLength, 0) }),
    flush: () => store.flush(),
  };
}
