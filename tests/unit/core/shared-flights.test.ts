import { describe, expect, it } from "vitest";
import { PromiseMemo, SharedFlights } from "../../../src/lib/proof/core/shared-flights.js";
import { CancelledError, TimeoutError } from "../../../src/lib/proof/core/errors.js";
import { deferred } from "../engine/fakes.js";

/** What an owner does (the artifact loader, the cached prover): wait for the flight under `key`, or start one and wait for it. */
function joinFlight<T, E>(flights: SharedFlights<T, E>, key: string, start: (signal: AbortSignal, emit: (e: E) => void) => Promise<T>, onEvent: (e: E) => void, signal: AbortSignal | undefined): Promise<T> {
  const waiting = flights.wait(key, onEvent, signal);
  if (waiting) return waiting;
  const controller = new AbortController();
  const listeners = new Set<(e: E) => void>();
  const emit = (e: E) => listeners.forEach((l) => l(e));
  flights.add(key, { controller, listeners, promise: Promise.resolve().then(() => start(controller.signal, emit)) });
  return flights.wait(key, onEvent, signal)!;
}

describe("SharedFlights", () => {
  it("runs one task for concurrent joiners and fans out events", async () => {
    const flights = new SharedFlights<string, number>();
    const gate = deferred<void>();
    let starts = 0;
    const start = async (_s: AbortSignal, emit: (n: number) => void) => {
      starts++;
      emit(1);
      await gate.promise;
      emit(2);
      return "v";
    };
    const a: number[] = [];
    const b: number[] = [];
    const pa = joinFlight(flights, "k", start, (n) => a.push(n), undefined);
    const pb = joinFlight(flights, "k", start, (n) => b.push(n), undefined);
    expect(flights.size).toBe(1);
    await Promise.resolve();
    gate.resolve();
    expect(await Promise.all([pa, pb])).toEqual(["v", "v"]);
    expect(starts).toBe(1);
    expect(a).toEqual([1, 2]);
    expect(b).toEqual([1, 2]);
    expect(flights.size).toBe(0);
  });

  it("aborts the task only when the last waiter leaves, with each waiter's own reason", async () => {
    const flights = new SharedFlights<string, never>();
    let taskSignal: AbortSignal | undefined;
    const start = (s: AbortSignal) => {
      taskSignal = s;
      return new Promise<string>((_, reject) => s.addEventListener("abort", () => reject(s.reason)));
    };
    const ac1 = new AbortController();
    const ac2 = new AbortController();
    const p1 = joinFlight(flights, "k", start, () => undefined, ac1.signal);
    const p2 = joinFlight(flights, "k", start, () => undefined, ac2.signal);
    await Promise.resolve();
    ac1.abort();
    await expect(p1).rejects.toBeInstanceOf(CancelledError);
    expect(taskSignal!.aborted).toBe(false);
    ac2.abort(new TimeoutError("late"));
    await expect(p2).rejects.toBeInstanceOf(TimeoutError);
    expect(taskSignal!.aborted).toBe(true);
    expect(flights.size).toBe(0);
  });

  it("shares a failure with every waiter and forgets the key", async () => {
    const flights = new SharedFlights<string, never>();
    const start = async () => {
      throw new Error("boom");
    };
    const ps = [joinFlight(flights, "k", start, () => undefined, undefined), joinFlight(flights, "k", start, () => undefined, undefined)];
    for (const p of ps) await expect(p).rejects.toThrow("boom");
    expect(flights.size).toBe(0);
  });

  it("holds an added flight as data: waits share it, each listener stays only while its wait does", async () => {
    const flights = new SharedFlights<string, number>();
    expect(flights.wait("k", () => undefined, undefined)).toBeUndefined();
    const gate = deferred<string>();
    const flight = { controller: new AbortController(), listeners: new Set<(n: number) => void>(), promise: gate.promise };
    flights.add("k", flight);
    const a = (n: number) => n;
    const b = (n: number) => n;
    const leaving = new AbortController();
    const pa = flights.wait("k", a, undefined);
    const pb = flights.wait("k", b, leaving.signal);
    expect([...flight.listeners]).toEqual([a, b]);
    leaving.abort();
    await expect(pb).rejects.toBeInstanceOf(CancelledError);
    expect([...flight.listeners]).toEqual([a]);
    expect(flight.controller.signal.aborted).toBe(false); // a still waits
    gate.resolve("v");
    expect(await pa).toBe("v");
    expect(flight.listeners.size).toBe(0);
    expect(flights.has("k")).toBe(false);
  });
});

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
