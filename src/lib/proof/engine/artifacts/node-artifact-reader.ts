/**
 * Node-only artifact reader: file paths and `file:` URLs through `fs/promises`, http(s) URLs
 * through fetch. Node modules are imported dynamically inside the call so a browser bundle that
 * somehow reaches this file still never statically pulls in `node:fs`. Only `src/node.ts` wires it.
 */
import { NetworkError } from "../../core/errors.js";
import { abortError } from "../../core/abort.js";
import { fetchArtifact, loadCancelled, type FetchLike } from "./artifact-fetch.js";
import type { ArtifactReader } from "./artifact-loader.js";

export interface NodeArtifactReaderOptions {
  /** Used for http(s) URLs. @default globalThis.fetch */
  readonly fetch?: FetchLike;
}

/**
 * Create a reader for `createArtifactLoader({ readFile })`. File reads report source "storage"
 * (no network bytes); a missing or unreadable file is a NetworkError (the artifact could not be
 * obtained) whose details carry the errno code, never file contents.
 * @example createArtifactLoader({ store: null, baseUrl: "/srv/circuits", readFile: createNodeArtifactReader() })
 */
export function createNodeArtifactReader(options: NodeArtifactReaderOptions = {}): ArtifactReader {
  return async (url, ctx) => {
    if (/^https?:/i.test(url)) {
      const f = options.fetch ?? globalThis.fetch.bind(globalThis);
      const bytes = await fetchArtifact(url, { ...ctx, fetch: f, ...(ctx.reload ? { cache: "reload" as const } : {}) });
      return { bytes, source: "network" };
    }
    const details = { circuitId: ctx.circuitId, artifact: ctx.artifact };
    if (ctx.signal.aborted) throw abortError(ctx.signal, loadCancelled(details));
    const [{ readFile }, { fileURLToPath }] = await Promise.all([import("node:fs/promises"), import("node:url")]);
    const path = /^file:/i.test(url) ? fileURLToPath(url) : url;
    let buf: Buffer;
    try {
      buf = await readFile(path, { signal: ctx.signal });
    } catch (error) {
      if (ctx.signal.aborted) throw abortError(ctx.signal, loadCancelled(details));
      const errno = (error as NodeJS.ErrnoException | undefined)?.code ?? "unknown";
      throw new NetworkError(`Reading the ${ctx.artifact} artifact of ${ctx.circuitId} failed (${errno})`, {
        cause: error,
        details: { ...details, path, errno, status: null },
      });
    }
    // Small Buffers may share Node's pool: copy those so a transfer never ships the pool.
    const bytes =
      buf.byteOffset === 0 && buf.buffer.byteLength === buf.byteLength ? new Uint8Array(buf.buffer, 0, buf.byteLength) : new Uint8Array(buf);
    // No onBytes here: those are download progress; the loader reports the file as "storage".
    return { bytes, source: "storage" };
  };
}
