/**
 * The service's per-client live buffer: a reader that never flushes costs at most maxInFlight
 * written messages plus one coalesced progress event, and still gets the outcome.
 */
import { describe, expect, it } from "vitest";
import { boundedSink } from "../../../packages/server/src/live.mjs";

describe("boundedSink", () => {
  it("keeps a slow reader's backlog bounded, coalesces progress to the latest, always sends the end", () => {
    const written: string[] = [];
    const callbacks: (() => void)[] = [];
    let ended = 0;
    const sink = boundedSink({ maxInFlight: 4, write: (data, done) => (written.push(data), callbacks.push(done)), end: () => ended++ });
    for (let p = 0; p < 1000; p++) {
      sink.push({ type: "progress", progress: p / 10 });
      expect(sink.stats().inFlight).toBeLessThanOrEqual(4);
    }
    // The socket never flushed: only 4 messages were handed to it, the 996 others coalesced into one.
    expect(written).toHaveLength(4);
    expect(sink.stats().pending).toBe(true);
    // Draining sends the LATEST progress, not the skipped ones.
    callbacks.shift()!();
    expect(JSON.parse(written.at(-1)!)).toEqual({ type: "progress", progress: 99.9 });
    sink.push({ type: "completed", progress: 100 });
    expect(JSON.parse(written.at(-1)!).type).toBe("completed");
    expect(ended).toBe(0);
    while (callbacks.length) callbacks.shift()!();
    expect(ended).toBe(1);
    sink.push({ type: "progress", progress: 1 });
    expect(written.filter((w) => w.includes('"completed"'))).toHaveLength(1);
    expect(written).toHaveLength(6);
  });

  it("a fast reader gets every event in order", () => {
    const written: string[] = [];
    const sink = boundedSink({ maxInFlight: 2, write: (data, done) => (written.push(data), done()), end: () => undefined });
    for (let p = 0; p < 50; p++) sink.push({ type: "progress", progress: p });
    expect(written.map((w) => JSON.parse(w).progress)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
