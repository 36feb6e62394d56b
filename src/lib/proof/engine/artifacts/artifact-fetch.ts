/**
 * Streaming download of one pinned artifact: byte progress, an AbortSignal that settles the
 * promise at once, and typed errors. Integrity is NOT checked here (see artifact-loader.ts).
 */
import { abortError, raceSignal, type AbortErrorOptions } from "../../core/abort.js";
import { ArtifactNotFoundError, NetworkError, ProofError, type ErrorDetails } from "../../core/errors.js";
import type { ArtifactKind } from "../types.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Statuses that mean "this URL has no such file": retrying cannot help, the location is wrong. */
const NOT_THERE = new Set([401, 403, 404, 410]);
const WHERE_TO_FIX =
  "Set artifactsBaseUrl to the folder that holds build/ (proofline's EBSL circuits: npm i @proofline/circuits and serve its files, or, with Vite, add the proofline/vite plugin).";
const notTheArtifact = (url: unknown, artifact: string, circuitId: string) => `${String(url)} is not the ${artifact} artifact of ${circuitId}`;

export interface FetchArtifactOptions {
  /** The fetch to use (injected so tests and Node choose their own). */
  readonly fetch: FetchLike;
  readonly circuitId: string;
  readonly artifact: ArtifactKind;
  /** The pinned size: the buffer is allocated once at this size so a 20 MB zkey is never re-copied. */
  readonly expectedBytes: number;
  readonly signal?: AbortSignal;
  /** Called with the running count of bytes received (monotonic). */
  readonly onBytes?: (loadedBytes: number) => void;
  /** HTTP cache mode; the loader passes "reload" for its one clean re-download. */
  readonly cache?: RequestCache;
}

/** Strip credentials, query and fragment: a URL may appear in error details, its secrets may not. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    u.search = "";
    u.hash = "";
    return u.toString();
  } catch {
    return url.replace(/[?#].*$/, "");
  }
}

/**
 * How artifact operations name an untyped abort, for the abort module's `abortError` and
 * `raceSignal` (a typed reason, e.g. the prover's TimeoutError, is kept as is).
 */
export function loadCancelled(details: ErrorDetails = {}): AbortErrorOptions {
  return { message: "Artifact load cancelled", details };
}

/**
 * Collects chunks into one buffer pre-sized to the pinned length. More bytes than pinned is
 * already an integrity failure, so we stop there instead of growing without bound.
 */
class ByteSink {
  #buffer: Uint8Array;
  length = 0;
  overflowed = false;

  constructor(expected: number) {
    this.#buffer = new Uint8Array(Math.max(0, expected));
  }

  push(chunk: Uint8Array): void {
    const end = this.length + chunk.byteLength;
    if (end > this.#buffer.length) {
      const grown = new Uint8Array(end);
      grown.set(this.#buffer.subarray(0, this.length));
      this.#buffer = grown;
      this.overflowed = true;
    }
    this.#buffer.set(chunk, this.length);
    this.length = end;
  }

  bytes(): Uint8Array {
    return this.length === this.#buffer.length ? this.#buffer : this.#buffer.slice(0, this.length);
  }
}

/**
 * Download one artifact. Resolves with exactly the bytes received (possibly of the wrong size:
 * the caller checks size and SHA-256). Rejects with NetworkError (HTTP status or transport
 * failure) or, on abort, with `abortError(signal, loadCancelled(...))`.
 */
export async function fetchArtifact(url: string, options: FetchArtifactOptions): Promise<Uint8Array> {
  const { signal, circuitId, artifact } = options;
  const details = { circuitId, artifact, url: redactUrl(url) };
  const report = (n: number) => {
    try {
      options.onBytes?.(n);
    } catch {
      // A throwing progress listener must not break the download.
    }
  };

  let response: Response;
  try {
    const init: RequestInit = {};
    if (signal) init.signal = signal;
    if (options.cache) init.cache = options.cache;
    response = await raceSignal(options.fetch(url, init), signal, loadCancelled(details));
  } catch (error) {
    throw classify(error, signal, details);
  }

  if (!response.ok) {
    response.body?.cancel().catch(() => undefined);
    if (NOT_THERE.has(response.status)) {
      throw new ArtifactNotFoundError(`${notTheArtifact(details.url, artifact, circuitId)}: HTTP ${response.status}. ${WHERE_TO_FIX}`, {
        details: { ...details, status: response.status, expectedBytes: options.expectedBytes },
      });
    }
    throw new NetworkError(`Download of the ${artifact} artifact of ${circuitId} from ${details.url} failed with HTTP ${response.status}${response.status >= 500 ? " (a server error: proofline retries it)" : ""}. ${WHERE_TO_FIX}`, {
      details: { ...details, status: response.status },
    });
  }
  // A dev server or an SPA host answers a missing file with its index.html and status 200: that
  // is never an artifact (wasm, zkey and vkey are binary or JSON), so it is not downloaded, and
  // not downloaded again.
  const type = response.headers?.get?.("content-type") ?? "";
  if (/^text\/html\b/i.test(type)) {
    response.body?.cancel().catch(() => undefined);
    const length = Number(response.headers.get("content-length") ?? Number.NaN);
    throw new ArtifactNotFoundError(`${notTheArtifact(details.url, artifact, circuitId)}: an HTML page (${type}${Number.isFinite(length) ? `, ${length} bytes` : ""}) instead of ${options.expectedBytes} bytes. ${WHERE_TO_FIX}`, {
      details: { ...details, status: response.status, contentType: type, expectedBytes: options.expectedBytes, ...(Number.isFinite(length) ? { receivedBytes: length } : {}) },
    });
  }

  if (!response.body) {
    try {
      const bytes = new Uint8Array(await raceSignal(response.arrayBuffer(), signal, loadCancelled(details)));
      report(bytes.byteLength);
      return bytes;
    } catch (error) {
      throw classify(error, signal, details);
    }
  }

  const reader = response.body.getReader();
  const sink = new ByteSink(options.expectedBytes);
  try {
    for (;;) {
      const { done, value } = await raceSignal(reader.read(), signal, loadCancelled(details));
      if (done) break;
      sink.push(value);
      report(sink.length);
      if (sink.overflowed) {
        reader.cancel().catch(() => undefined);
        break;
      }
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    throw classify(error, signal, details);
  }
  return sink.bytes();
}

/**
 * What went wrong with a download, in words that survive the worker boundary (a `cause` does
 * not cross it): the error's name and message, and the network code underneath where the
 * runtime gives one (Node's fetch: "fetch failed" caused by ECONNREFUSED). URLs and network
 * errors hold nothing private.
 */
function fetchFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const inner = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof inner?.code === "string" ? inner.code : typeof inner?.message === "string" ? inner.message : undefined;
  return `${error.name}: ${error.message}${code ? ` (${code})` : ""}`.slice(0, 300);
}

/** What to check when a request never got an HTTP answer: in a browser it is most often CORS. */
const NETWORK_FIX =
  "Check that the artifacts host is reachable from this page and, if it is another origin, that it answers with Access-Control-Allow-Origin (a browser reports a CORS refusal as a plain network failure); proofline retries network failures by itself.";

function classify(error: unknown, signal: AbortSignal | undefined, details: ErrorDetails): ProofError {
  if (signal?.aborted) return abortError(signal, loadCancelled(details));
  if (error instanceof ProofError) return error;
  const reason = fetchFailure(error);
  return new NetworkError(`Download of the ${String(details.artifact)} artifact of ${String(details.circuitId)} from ${String(details.url)} failed: ${reason}. ${NETWORK_FIX}`, {
    cause: error,
    details: { ...details, status: null, reason },
  });
}
