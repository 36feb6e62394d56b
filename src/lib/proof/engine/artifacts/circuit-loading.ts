/**
 * How a prover worker comes to hold a circuit's artifacts. Two ways, one interface:
 *
 * - In the worker (`workerArtifacts()`, the browser default): the caller's thread sends the pins
 *   (absolute URL, size, SHA-256); the worker downloads, hashes (WebCrypto) and stores
 *   (IndexedDB) them itself and reports byte progress. Nothing heavy touches the page's main
 *   thread, and a returning visit reads IndexedDB inside the worker. Workers of one pool share
 *   one download and one stored copy through the loader's origin-wide lock (artifact-loader.ts).
 * - From an `ArtifactSource` on the caller's thread (Node's file reader, custom sources): the
 *   source loads and checks the bytes, and a copy is transferred to each worker once.
 *
 * Either way the pinned vkey ends up here, parsed, so verification never reads a vkey derived
 * from a downloaded zkey.
 */
import * as Comlink from "comlink";
import type { Clock } from "../../core/clock.js";
import { SystemError } from "../../core/errors.js";
import { raceSignal } from "../../core/abort.js";
import { loadCancelled } from "./artifact-fetch.js";
import { isAbsoluteUrl, resolveArtifactUrl } from "./manifest.js";
import type { ArtifactProgress, ArtifactSource, CircuitDefinition, WorkerArtifacts } from "../types.js";
import type { PooledWorker } from "../pool/worker-pool.js";

export interface CircuitLoad {
  /** The circuit's pinned verification key. */
  readonly vkey: Record<string, unknown>;
  /** Time spent loading into this worker (0 when it already held the circuit). */
  readonly artifactsMs: number;
  readonly networkBytes: number;
}

export interface CircuitLoading {
  /** Make `worker` hold `circuit`; a no-op when it already does. */
  ensure(worker: PooledWorker, circuit: CircuitDefinition, signal: AbortSignal, onProgress?: (p: ArtifactProgress) => void): Promise<CircuitLoad>;
  /** Expected milliseconds for a worker that lacks `circuit` to load it (progress planning). */
  expectedMs(circuit: CircuitDefinition): number;
}

/**
 * Artifacts loaded inside the prover workers (fetch, SHA-256, IndexedDB all off the caller's
 * thread). Relative artifact URLs resolve against `baseUrl`, else the page's base URL: a
 * worker's own location is its script's, which is not where a dapp serves its circuits.
 * @example createProver({ circuits, artifacts: workerArtifacts({ baseUrl: "/circuits/" }) })
 */
export function workerArtifacts(options: { readonly baseUrl?: string | URL } = {}): WorkerArtifacts {
  return { kind: "worker", ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}) };
}

export function isWorkerArtifacts(value: unknown): value is WorkerArtifacts {
  return typeof value === "object" && value !== null && (value as WorkerArtifacts).kind === "worker";
}

/**
 * Throughputs for planning progress before anything was measured: a download over a typical
 * connection, and a read back from IndexedDB/disk plus SHA-256. Replaced by measurements.
 */
const DEFAULT_NETWORK_BYTES_PER_MS = 5_000;
const DEFAULT_LOCAL_BYTES_PER_MS = 150_000;

function circuitBytes(circuit: CircuitDefinition): number {
  return circuit.wasm.bytes + circuit.zkey.bytes + circuit.vkey.bytes;
}

/** What loading into one worker takes, before bookkeeping. */
type LoadInto = (worker: PooledWorker, circuit: CircuitDefinition, signal: AbortSignal, onProgress: (p: ArtifactProgress) => void) => Promise<{ vkey: Record<string, unknown>; networkBytes: number }>;

export function createCircuitLoading(source: ArtifactSource | WorkerArtifacts, clock: Clock): CircuitLoading {
  const vkeys = new Map<string, Record<string, unknown>>();
  // Measured bytes per ms of loads that downloaded, and of loads that did not.
  let networkRate = DEFAULT_NETWORK_BYTES_PER_MS;
  let localRate = DEFAULT_LOCAL_BYTES_PER_MS;
  const learn = (circuit: CircuitDefinition, ms: number, networkBytes: number) => {
    if (!(ms > 0)) return;
    const rate = circuitBytes(circuit) / ms;
    if (networkBytes > 0) networkRate = rate;
    else localRate = rate;
  };
  const loadInto: LoadInto = isWorkerArtifacts(source) ? inWorker(source) : fromSource(source);

  return {
    expectedMs: (circuit) => circuitBytes(circuit) / (vkeys.has(circuit.id) ? localRate : networkRate),
    async ensure(worker, circuit, signal, onProgress) {
      const vkey = vkeys.get(circuit.id);
      if (worker.circuits.has(circuit.id) && vkey) return { vkey, artifactsMs: 0, networkBytes: 0 };
      const t0 = clock.now();
      const r = await raceSignal(loadInto(worker, circuit, signal, onProgress ?? (() => undefined)), signal, loadCancelled({ circuitId: circuit.id }));
      vkeys.set(circuit.id, r.vkey);
      worker.circuits.add(circuit.id);
      const artifactsMs = clock.now() - t0;
      learn(circuit, artifactsMs, r.networkBytes);
      return { vkey: r.vkey, artifactsMs, networkBytes: r.networkBytes };
    },
  };
}

/** `url` made absolute against the page, so the worker does not read it against its own script. */
function absolute(url: string, page: string | undefined): string {
  if (isAbsoluteUrl(url) || page === undefined) return url;
  try {
    return new URL(url, page).toString();
  } catch {
    return url;
  }
}

/** The worker fetches, checks and stores; only the pins cross, progress comes back. */
function inWorker(source: WorkerArtifacts): LoadInto {
  const base = (globalThis as { document?: { baseURI?: string } }).document?.baseURI ?? (globalThis as { location?: { href?: string } }).location?.href;
  const pinned = (circuit: CircuitDefinition): CircuitDefinition => {
    const at = (ref: CircuitDefinition["wasm"]) => ({ url: absolute(resolveArtifactUrl(ref.url, source.baseUrl), base), bytes: ref.bytes, sha256: ref.sha256 });
    // Only plain data crosses to the worker: the pins, not `meta` (it may hold anything).
    return { id: circuit.id, wasm: at(circuit.wasm), zkey: at(circuit.zkey), vkey: at(circuit.vkey) };
  };
  return async (worker, circuit, _signal, onProgress) => {
    if (!worker.has("loadPinned")) throw new SystemError("This prover worker cannot load artifacts itself.", { details: { circuitId: circuit.id } });
    const loaded = await worker.call("loadPinned", pinned(circuit), Comlink.proxy(onProgress));
    return { vkey: loaded.vkey, networkBytes: loaded.networkBytes };
  };
}

/** The source loads and checks on this thread; a copy is transferred (the source keeps its own for the next worker). */
function fromSource(source: ArtifactSource): LoadInto {
  return async (worker, circuit, signal, onProgress) => {
    const artifacts = await source.load(circuit, { signal, onProgress });
    const wasm = artifacts.wasm.slice();
    const zkey = artifacts.zkey.slice();
    await worker.call("load", circuit.id, Comlink.transfer(wasm, [wasm.buffer]), Comlink.transfer(zkey, [zkey.buffer]));
    return { vkey: artifacts.vkey, networkBytes: artifacts.networkBytes };
  };
}
