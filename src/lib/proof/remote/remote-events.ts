/**
 * Live job events from the service: a WebSocket when the environment has one, else a
 * Server-Sent Events stream read with fetch. Either way each event is one JSON object; the
 * stream ends after the job's last event.
 *
 * A stream that drops before the job's outcome (the API instance holding it restarted or died,
 * a proxy cut it) is opened again, after a growing pause: the service answers a new subscriber
 * with the job's current state first, so the client resumes where the job is (the job lives in
 * the service's queue, not in the connection). Any instance of the service can serve it.
 */
import { systemClock, sleep, type Clock } from "../core/clock.js";
import type { ResolvedRemote } from "./remote-options.js";

export interface RemoteEvent {
  readonly type: "progress" | "completed" | "failed" | "cancelled";
  readonly [key: string]: unknown;
}

/** Base64url of the key, as a subprotocol token (browsers cannot set headers on a WebSocket). */
const keyProtocol = (key: string) => `proofline-key.${btoa(key).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "")}`;

/**
 * Reconnection as data: pauses of baseMs, 2·baseMs, ... up to capMs; after `attempts`
 * connections in a row that delivered nothing, the stream's error stands.
 */
export const RECONNECT = Object.freeze({ attempts: 6, baseMs: 250, capMs: 4000 });

/**
 * Calls `onEvent` for every event until the job ends or `signal` aborts; resolves with the last
 * event (undefined when aborted). Reconnects after a drop, as above.
 */
export async function followRemote(
  remote: ResolvedRemote,
  path: string,
  onEvent: (e: RemoteEvent) => void,
  signal: AbortSignal,
  clock: Clock = systemClock,
): Promise<RemoteEvent | undefined> {
  const url = new URL(path.replace(/^\//, ""), remote.base);
  let failures = 0;
  for (;;) {
    let delivered = false;
    const seen = (e: RemoteEvent) => {
      delivered = true;
      onEvent(e);
    };
    let dropped: unknown;
    try {
      const last = await (remote.WebSocket ? viaSocket(remote, new URL(url), seen, signal) : viaSse(remote, new URL(url), seen, signal));
      if (signal.aborted) return undefined;
      if (last && last.type !== "progress") return last;
    } catch (error) {
      if (signal.aborted) return undefined;
      dropped = error;
    }
    failures = delivered ? 1 : failures + 1;
    if (failures > RECONNECT.attempts) throw dropped ?? new Error("live status ended before the job's outcome");
    await sleep(Math.min(RECONNECT.capMs, RECONNECT.baseMs * 2 ** (failures - 1)), signal, clock);
  }
}

function viaSocket(remote: ResolvedRemote, url: URL, onEvent: (e: RemoteEvent) => void, signal: AbortSignal): Promise<RemoteEvent | undefined> {
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const Socket = remote.WebSocket!;
  return new Promise((resolve, reject) => {
    const socket = remote.apiKey ? new Socket(url, ["proofline", keyProtocol(remote.apiKey)]) : new Socket(url);
    let last: RemoteEvent | undefined;
    const stop = () => socket.close(1000);
    signal.addEventListener("abort", stop, { once: true });
    socket.onmessage = (message) => {
      last = JSON.parse(String(message.data)) as RemoteEvent;
      onEvent(last);
      if (last.type !== "progress") {
        // The outcome is the stream's last word: settle now instead of after the close
        // handshake (a round trip, and a scheduling delay on a busy server).
        signal.removeEventListener("abort", stop);
        resolve(last);
        stop();
      }
    };
    socket.onerror = () => undefined;
    socket.onclose = (close) => {
      signal.removeEventListener("abort", stop);
      if (last && last.type !== "progress") resolve(last);
      else if (signal.aborted) resolve(undefined);
      else reject(new Error(`live status closed (${close.code})`));
    };
  });
}

async function viaSse(remote: ResolvedRemote, url: URL, onEvent: (e: RemoteEvent) => void, signal: AbortSignal): Promise<RemoteEvent | undefined> {
  const res = await remote.fetch(url, { headers: { accept: "text/event-stream", ...(remote.apiKey ? { authorization: `Bearer ${remote.apiKey}` } : {}) }, signal });
  if (!res.ok || !res.body) throw new Error(`live status answered ${res.status}`);
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let last: RemoteEvent | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const chunk = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = chunk.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
      if (!data) continue;
      last = JSON.parse(data) as RemoteEvent;
      onEvent(last);
    }
  }
  return last;
}
