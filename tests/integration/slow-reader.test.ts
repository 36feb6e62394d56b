/**
 * A slow WebSocket reader against the service's live buffer, over a REAL socket (the `ws`
 * library the service uses, 127.0.0.1): the client stops reading while a job emits 200,000
 * progress events of 1 kB (200 MB if each were kept). The kernel's buffers fill, the sink then
 * holds at most its in-flight bound, the rest is coalesced into the latest progress, and the
 * server process's memory does not grow with the events. When the client reads again it gets a
 * bounded number of messages, monotonic, ending with the outcome.
 */
import { describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { boundedSink } from "../../packages/server/src/live.mjs";

const EVENTS = 200_000;
const PAD = "x".repeat(1000);

describe("a slow socket reader", () => {
  it("costs the server a bounded buffer, and still gets every job's end", async () => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const { port } = server.address() as { port: number };
    let maxInFlight = 0;
    let pushed = 0;
    let rssGrowthMiB = 0;
    const serverDone = new Promise<void>((resolve) => {
      server.on("connection", async (socket) => {
        const sink = boundedSink({ maxInFlight: 8, write: (data, done) => socket.send(data, () => done()), end: () => socket.close(1000) });
        const rss0 = process.memoryUsage().rss;
        for (let i = 0; i < EVENTS; i++) {
          sink.push({ type: "progress", progress: (i / EVENTS) * 100, pad: PAD });
          pushed++;
          maxInFlight = Math.max(maxInFlight, sink.stats().inFlight);
          // Let the socket write between bursts, as a job's events arrive over time.
          if (i % 5000 === 0) await new Promise((r) => setImmediate(r));
        }
        rssGrowthMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
        sink.push({ type: "completed", progress: 100 });
        resolve();
      });
    });
    const client = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: { type: string; progress: number }[] = [];
    client.on("message", (data) => received.push(JSON.parse(String(data))));
    await new Promise<void>((resolve) => client.once("open", () => resolve()));
    // Stop reading: the client's socket is paused, so the kernel buffers fill and stay full.
    (client as unknown as { _socket: { pause(): void } })._socket.pause();
    await serverDone;
    expect(pushed).toBe(EVENTS);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    // 200 MB of events went through; the server kept a bounded part of them.
    expect(rssGrowthMiB).toBeLessThan(64);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    await new Promise<void>((resolve) => client.once("close", () => resolve()));
    server.close();
    console.log(`slow reader: ${EVENTS} events pushed, ${received.length} delivered, server RSS growth ${rssGrowthMiB.toFixed(1)} MiB, max in flight ${maxInFlight}`);
    expect(received.at(-1)!.type).toBe("completed");
    expect(received.length).toBeLessThan(EVENTS / 10);
    const progress = received.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  }, 60_000);
});
