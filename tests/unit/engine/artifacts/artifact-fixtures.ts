/** Test doubles for the artifact layer: a request-counting fake fetch and pinned test artifacts. */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../../../../src/lib/proof/engine/artifacts/digest.js";
import type { ArtifactRef, CircuitDefinition } from "../../../../src/lib/proof/engine/types.js";

export type Reply = Uint8Array | { status: number } | { error: Error } | { hangAfter: Uint8Array };

export interface FakeFetch {
  (url: string, init?: RequestInit): Promise<Response>;
  readonly calls: { url: string; init: RequestInit | undefined }[];
  countFor(url: string): number;
}

/** Deterministic pseudo-random bytes. */
export function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export const hexOf = (b: Uint8Array) => toHex(sha256(b));

export function refFor(url: string, bytes: Uint8Array): ArtifactRef {
  return { url, bytes: bytes.byteLength, sha256: hexOf(bytes) };
}

export interface TestCircuit {
  readonly circuit: CircuitDefinition;
  readonly wasm: Uint8Array;
  readonly zkey: Uint8Array;
  readonly vkey: Uint8Array;
  readonly vkeyJson: Record<string, unknown>;
}

export function testCircuit(id = "c1", sizes = { wasm: 3000, zkey: 10_000 }, base = "https://cdn.test/"): TestCircuit {
  const wasm = bytesOf(sizes.wasm, 7 + id.length);
  const zkey = bytesOf(sizes.zkey, 99 + id.length);
  const vkeyJson = { protocol: "groth16", curve: "bn128", nPublic: 2, id };
  const vkey = new TextEncoder().encode(JSON.stringify(vkeyJson));
  return {
    circuit: { id, wasm: refFor(`${base}${id}.wasm`, wasm), zkey: refFor(`${base}${id}.zkey`, zkey), vkey: refFor(`${base}${id}.vkey.json`, vkey) },
    wasm,
    zkey,
    vkey,
    vkeyJson,
  };
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException("Aborted", "AbortError");
}

/** A stream of `bytes` in `chunk`-sized pieces; with `hang`, it stalls forever after the bytes. */
function streamOf(bytes: Uint8Array, chunk: number, signal: AbortSignal | undefined, hang: boolean): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (signal?.aborted) {
        controller.error(abortError(signal));
        return;
      }
      if (offset < bytes.byteLength) {
        controller.enqueue(bytes.slice(offset, offset + chunk));
        offset += chunk;
        return;
      }
      if (hang) return new Promise<void>(() => undefined);
      controller.close();
    },
  });
}

/**
 * A fetch serving `routes[url]` replies in order (the last one repeats). Counts every call.
 * `noBody` makes responses without a stream (arrayBuffer fallback).
 */
export function fakeFetch(routes: Record<string, Reply[]>, options: { chunk?: number; noBody?: boolean } = {}): FakeFetch {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const served = new Map<string, number>();
  const fn = async (url: string, init?: RequestInit): Promise<Response> => {
    calls.push({ url, init });
    const replies = routes[url];
    if (!replies || replies.length === 0) return { ok: false, status: 404, body: null } as unknown as Response;
    const i = served.get(url) ?? 0;
    served.set(url, i + 1);
    const reply = replies[Math.min(i, replies.length - 1)]!;
    await Promise.resolve();
    if (init?.signal?.aborted) throw abortError(init.signal);
    if ("error" in reply) throw reply.error;
    if ("status" in reply) return { ok: reply.status < 400, status: reply.status, body: null } as unknown as Response;
    const bytes = "hangAfter" in reply ? reply.hangAfter : reply;
    const hang = "hangAfter" in reply;
    if (options.noBody) {
      return { ok: true, status: 200, body: null, arrayBuffer: async () => bytes.slice().buffer } as unknown as Response;
    }
    return { ok: true, status: 200, body: streamOf(bytes, options.chunk ?? 1024, init?.signal ?? undefined, hang) } as unknown as Response;
  };
  return Object.assign(fn, { calls, countFor: (url: string) => calls.filter((c) => c.url === url).length });
}

/** Routes serving a test circuit's three artifacts correctly. */
export function routesFor(t: TestCircuit): Record<string, Reply[]> {
  return { [t.circuit.wasm.url]: [t.wasm], [t.circuit.zkey.url]: [t.zkey], [t.circuit.vkey.url]: [t.vkey] };
}
