/**
 * Remote proving options. Remote proving SENDS THE ATTESTATIONS (private inputs) to a server:
 * it is never a default. It runs only when the API was given `remote` AND a request asks for
 * it with `mode: "remote"`, or `mode: "auto"` and local proving cannot run on this device.
 */
import { invalid } from "../core/option-checks.js";

export interface RemoteOptions {
  /** The service's base URL (`@proofline/server`), e.g. "https://prover.example/". */
  readonly url: string | URL;
  /** Sent as `Authorization: Bearer` (and as a WebSocket subprotocol, which browsers allow). */
  readonly apiKey?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default globalThis.WebSocket; without one, live status is read as Server-Sent Events */
  readonly WebSocket?: typeof WebSocket;
}

/** Where a request is proved. `"auto"`: locally, remotely only when local proving cannot run. */
export type ProvingMode = "local" | "remote" | "auto";

export interface ResolvedRemote {
  readonly base: URL;
  readonly apiKey: string | undefined;
  readonly fetch: typeof fetch;
  readonly WebSocket: typeof WebSocket | undefined;
}

/** @throws ValidationError naming `remote.*` */
export function resolveRemote(options: RemoteOptions | undefined): ResolvedRemote | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== "object" || options === null) return invalid("remote", "must be an object { url }");
  let base: URL;
  try {
    base = new URL(String(options.url));
  } catch {
    return invalid("remote.url", "must be an absolute http(s) URL");
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") invalid("remote.url", "must be an absolute http(s) URL");
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  if (options.apiKey !== undefined && (typeof options.apiKey !== "string" || options.apiKey.length === 0 || options.apiKey.length > 512 || !/^[\x21-\x7e]+$/.test(options.apiKey))) {
    invalid("remote.apiKey", "must be a printable string of at most 512 characters");
  }
  const f = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof f !== "function") invalid("remote.fetch", "no fetch in this environment: pass one");
  return { base, apiKey: options.apiKey, fetch: f, WebSocket: options.WebSocket ?? (globalThis as { WebSocket?: typeof WebSocket }).WebSocket };
}
