/**
 * A `fetch` wrapper for the artifact loader that fails downloads the way networks do. TEST-ONLY
 * (see fault-plan.ts).
 *
 * - `network-drop`: the response starts normally (status 200, headers) and its body stream
 *   errors after about half the bytes, like a connection reset mid-download. The loader sees a
 *   real stream error from `reader.read()`, not a rejected fetch.
 * - `corrupt`: the body streams in full, with one byte (seeded position) flipped: the size is
 *   right and only the SHA-256 can tell.
 */
import { FAULT_MARKER, FaultSchedule, NETWORK_FAULT_KINDS, seededRandom, type FaultPlan, type NetworkFaultKind } from "./fault-plan.js";

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

/** A faulty fetch, with the schedule that decided its faults (for assertions and reports). */
export type FaultyFetch = FetchFn & { readonly schedule: FaultSchedule<NetworkFaultKind> };

function requestUrl(input: unknown): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return String((input as { url?: unknown })?.url ?? input);
}

function expectedLength(response: Response): number | undefined {
  const n = Number(response.headers.get("content-length"));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The same status and headers around a replacement body. */
function rewrap(response: Response, body: ReadableStream<Uint8Array>): Response {
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function dropHalfway(response: Response, url: string): Response {
  const source = response.body;
  if (!source) throw new TypeError(`${FAULT_MARKER}: network dropped (no body) for ${url}`);
  const total = expectedLength(response);
  const reader = source.getReader();
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const cut = total !== undefined ? Math.floor(total / 2) : 1;
      if (sent >= cut) {
        void reader.cancel().catch(() => undefined);
        // undici reports a reset connection as TypeError("terminated"); browsers as TypeError too.
        controller.error(new TypeError(`terminated (${FAULT_MARKER}: network dropped after ${sent} bytes)`));
        return;
      }
      const { done, value } = await reader.read();
      if (done) {
        controller.error(new TypeError(`terminated (${FAULT_MARKER}: network dropped at end of stream)`));
        return;
      }
      const part = value.subarray(0, Math.max(1, Math.min(value.byteLength, cut - sent)));
      sent += part.byteLength;
      controller.enqueue(part);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return rewrap(response, body);
}

function corruptOneByte(response: Response, seed: number): Response {
  const source = response.body;
  if (!source) return response;
  const total = expectedLength(response) ?? 1;
  const target = Math.floor(seededRandom(seed)() * total);
  let offset = 0;
  const body = source.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        if (target >= offset && target < offset + chunk.byteLength) {
          const copy = chunk.slice();
          copy[target - offset] = copy[target - offset]! ^ 0xff;
          chunk = copy;
        }
        offset += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
  );
  return rewrap(response, body);
}

/**
 * Wrap `fetch` (default `globalThis.fetch`) with network faults; pass the result as the
 * artifact loader's `fetch`.
 * @example
 * const fetch = createFaultyFetch({ kind: "network-drop", artifact: "zkey", nth: 1, seed: 1 });
 * const loader = createArtifactLoader({ fetch, store: null, baseUrl });
 */
export function createFaultyFetch(plans: FaultPlan | readonly FaultPlan[], inner?: FetchFn): FaultyFetch {
  const schedule = new FaultSchedule<NetworkFaultKind>(plans, NETWORK_FAULT_KINDS);
  const base: FetchFn = inner ?? ((input, init) => globalThis.fetch(input, init));
  const faulty = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = requestUrl(input);
    const fault = schedule.decide({ url });
    const response = await base(input, init);
    if (!fault || !response.ok) return response;
    return fault.kind === "network-drop" ? dropHalfway(response, url) : corruptOneByte(response, fault.seed + schedule.injected.length);
  };
  return Object.assign(faulty, { schedule });
}
