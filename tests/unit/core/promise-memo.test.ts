import { describe, expect, it } from "vitest";
import { PromiseMemo } from "../../../src/lib/proof/core/promise-memo.js";
import { deferred } from "../engine/fakes.js";

describe("PromiseMemo", () => {
  it("starts one task per key and shares it, pending and fulfilled", async () => {
    const memo = PromiseMemo.strong<string, number>();
    const gate = deferred<number>();
    let starts = 0;
    const start = () => (starts++, gate.promise);
    const a = memo.get("k", start);
    const b = memo.get("k", start);
    gate.resolve(7);
    expect(await Promise.all([a, b, memo.get("k", start)])).toEqual([7, 7, 7]);
    expect(starts).toBe(1);
    expect(await memo.get("other", async () => 8)).toBe(8);
  });

  it("drops a rejected task: the next call starts afresh", async () => {
    const memo = PromiseMemo.strong<string, number>();
    await expect(memo.get("k", async () => Promise.reject(new Error("first")))).rejects.toThrow("first");
    expect(memo.peek("k")).toBeUndefined();
    expect(await memo.get("k", async () => 2)).toBe(2);
  });

  it("keeps a promise the caller started until it rejects, never one kept after it", async () => {
    const memo = PromiseMemo.strong<string, number>();
    const failing = () => {
      let fail!: (error: Error) => void;
      const promise = new Promise<number>((_, reject) => (fail = reject));
      return { promise, fail };
    };
    const first = failing();
    expect(memo.keep("k", first.promise)).toBe(first.promise);
    expect(memo.peek("k")).toBe(first.promise);
    first.fail(new Error("first"));
    await expect(first.promise).rejects.toThrow("first");
    expect(memo.peek("k")).toBeUndefined();
    const second = failing();
    const third = Promise.resolve(3);
    memo.keep("k", second.promise);
    memo.keep("k", third);
    second.fail(new Error("second"));
    await expect(second.promise).rejects.toThrow("second");
    expect(memo.peek("k")).toBe(third);
  });

  it("turns a synchronous throw of start into the key's rejection", async () => {
    const memo = PromiseMemo.strong<string, number>();
    const start = (): Promise<number> => {
      throw new Error("sync");
    };
    await expect(memo.get("k", start)).rejects.toThrow("sync");
    expect(memo.peek("k")).toBeUndefined();
  });

  it("set replaces the held task, and the replaced one's rejection leaves the new one in place", async () => {
    const memo = PromiseMemo.weak<object, string>();
    const key = {};
    let rejectOld!: (error: unknown) => void;
    const first = memo.get(key, () => new Promise<string>((_, reject) => (rejectOld = reject)));
    const second = memo.set(key, async () => "new");
    rejectOld(new Error("old failed"));
    await expect(first).rejects.toThrow("old failed");
    expect(memo.peek(key)).toBe(second);
    expect(await memo.get(key, async () => "unused")).toBe("new");
  });

  it("delete forgets a fulfilled task: the next get starts afresh", async () => {
    const memo = PromiseMemo.weak<object, number>();
    const key = {};
    let starts = 0;
    expect(await memo.get(key, async () => ++starts)).toBe(1);
    memo.delete(key);
    expect(memo.peek(key)).toBeUndefined();
    expect(await memo.get(key, async () => ++starts)).toBe(2);
  });
});
