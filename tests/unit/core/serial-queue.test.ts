import { describe, expect, it } from "vitest";
import { serialQueue, takeTurn } from "../../../src/lib/proof/core/serial-queue.js";
import { deferred } from "../engine/fakes.js";

describe("serialQueue", () => {
  it("starts each task only after the previous one settled, in call order", async () => {
    const serial = serialQueue();
    const log: string[] = [];
    const gate = deferred<void>();
    const a = serial(async () => (log.push("a start"), await gate.promise, log.push("a end"), "a"));
    const b = serial(() => (log.push("b"), "b"));
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["a start"]);
    gate.resolve();
    expect(await Promise.all([a, b])).toEqual(["a", "b"]);
    expect(log).toEqual(["a start", "a end", "b"]);
  });

  it("a failure rejects only its caller; the next task still runs", async () => {
    const serial = serialQueue();
    const failed = serial(async () => Promise.reject(new Error("boom")));
    const thrown = serial((): number => {
      throw new Error("sync");
    });
    const next = serial(async () => 3);
    await expect(failed).rejects.toThrow("boom");
    await expect(thrown).rejects.toThrow("sync");
    expect(await next).toBe(3);
  });

  it("takeTurn holds the queue across the holder's own awaits until it leaves", async () => {
    const serial = serialQueue();
    const log: string[] = [];
    const first = serial(async () => void log.push("first"));
    const leave = await takeTurn(serial);
    log.push("turn");
    const after = serial(() => void log.push("after"));
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(["first", "turn"]);
    leave();
    await Promise.all([first, after]);
    expect(log).toEqual(["first", "turn", "after"]);
  });
});
