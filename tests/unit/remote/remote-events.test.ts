import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import { followRemote, RECONNECT, type RemoteEvent } from "../../../src/lib/proof/remote/remote-events.js";
import { resolveRemote } from "../../../src/lib/proof/remote/remote-options.js";

/** What each successive connection does: the events it delivers, then how it closes. */
type Script = { events: RemoteEvent[]; code: number };

function fakeSocket(scripts: Script[]) {
  const opened: string[] = [];
  class FakeSocket {
    onmessage: ((m: { data: string }) => void) | null = null;
    onclose: ((c: { code: number }) => void) | null = null;
    onerror: (() => void) | null = null;
    constructor(url: URL) {
      opened.push(String(url));
      const script = scripts.shift() ?? { events: [], code: 1006 };
      setTimeout(() => {
        for (const e of script.events) this.onmessage?.({ data: JSON.stringify(e) });
        this.onclose?.({ code: script.code });
      }, 0);
    }
    close() {
      setTimeout(() => this.onclose?.({ code: 1000 }), 0);
    }
  }
  return { Socket: FakeSocket as unknown as typeof WebSocket, opened };
}

/** A clock whose timers fire on the next turn, recording the pauses asked for. */
function instantClock(pauses: number[]): Clock {
  return {
    now: () => 0,
    wallNow: () => 0,
    setTimeout: (fn, ms) => {
      pauses.push(ms);
      return setTimeout(fn, 0);
    },
    clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
}

const progress = (p: number): RemoteEvent => ({ type: "progress", progress: p, stage: "proving" });
const completed: RemoteEvent = { type: "completed", progress: 100, result: {} };

describe("followRemote", () => {
  it("settles on the outcome without waiting for the socket to close, and closes it", async () => {
    const closed: number[] = [];
    class SilentSocket {
      onmessage: ((m: { data: string }) => void) | null = null;
      onclose: ((c: { code: number }) => void) | null = null;
      onerror: (() => void) | null = null;
      constructor() {
        // The outcome arrives; the server's close never does.
        setTimeout(() => this.onmessage?.({ data: JSON.stringify(completed) }), 0);
      }
      close(code: number) {
        closed.push(code);
      }
    }
    const remote = resolveRemote({ url: "http://127.0.0.1:1/", fetch: (() => undefined) as never, WebSocket: SilentSocket as unknown as typeof WebSocket })!;
    await expect(followRemote(remote, "/v1/proofs/j0/events", () => undefined, new AbortController().signal)).resolves.toEqual(completed);
    expect(closed).toEqual([1000]);
  });

  it("reconnects after a drop before the outcome and resumes from the state the service sends", async () => {
    const { Socket, opened } = fakeSocket([
      { events: [progress(10), progress(40)], code: 1006 },
      { events: [], code: 1006 },
      { events: [progress(40), progress(70), completed], code: 1000 },
    ]);
    const remote = resolveRemote({ url: "http://127.0.0.1:1/", fetch: (() => undefined) as never, WebSocket: Socket })!;
    const seen: number[] = [];
    const pauses: number[] = [];
    const end = await followRemote(remote, "/v1/proofs/j1/events", (e) => seen.push(e["progress"] as number), new AbortController().signal, instantClock(pauses));
    expect(end).toEqual(completed);
    expect(seen).toEqual([10, 40, 40, 70, 100]);
    expect(opened).toHaveLength(3);
    expect(opened.every((u) => u === "ws://127.0.0.1:1/v1/proofs/j1/events")).toBe(true);
    // After a connection that delivered events the pause starts again from the base.
    expect(pauses).toEqual([RECONNECT.baseMs, 2 * RECONNECT.baseMs]);
  });

  it("gives up after the configured connections in a row that deliver nothing", async () => {
    const { Socket, opened } = fakeSocket([]);
    const remote = resolveRemote({ url: "http://127.0.0.1:1/", fetch: (() => undefined) as never, WebSocket: Socket })!;
    const pauses: number[] = [];
    await expect(followRemote(remote, "/e", () => undefined, new AbortController().signal, instantClock(pauses))).rejects.toThrow("live status closed (1006)");
    expect(opened).toHaveLength(RECONNECT.attempts + 1);
    expect(Math.max(...pauses)).toBe(RECONNECT.capMs);
  });

  it("an abort ends the wait between connections at once", async () => {
    const { Socket } = fakeSocket([{ events: [progress(5)], code: 1006 }]);
    const remote = resolveRemote({ url: "http://127.0.0.1:1/", fetch: (() => undefined) as never, WebSocket: Socket })!;
    const controller = new AbortController();
    const clock: Clock = { now: () => 0, wallNow: () => 0, setTimeout: (fn, ms) => setTimeout(fn, ms * 1000), clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>) };
    const pending = followRemote(remote, "/e", () => setTimeout(() => controller.abort(new Error("stop")), 20), controller.signal, clock);
    await expect(pending).rejects.toThrow("stop");
  });
});
