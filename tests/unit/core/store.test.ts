import { describe, expect, it } from "vitest";
import { derived as svelteDerived, get } from "svelte/store";
import { derived, readable, writable } from "../../../src/lib/proof/core/store.js";

describe("store primitives satisfy the Svelte store contract", () => {
  it("writable: run is called at once, updates propagate, unsubscribe stops them", () => {
    const store = writable(1);
    const seen: number[] = [];
    const unsubscribe = store.subscribe((v) => seen.push(v));
    expect(seen).toEqual([1]);
    store.set(2);
    store.update((v) => v * 10);
    store.set(20); // unchanged: no notification
    expect(seen).toEqual([1, 2, 20]);
    expect(get(store)).toBe(20);
    unsubscribe();
    store.set(3);
    expect(seen).toEqual([1, 2, 20]);
    expect(get(store)).toBe(3);
  });

  it("readable: start runs on the first subscriber and stops after the last", () => {
    let starts = 0;
    let stops = 0;
    let push: ((v: string) => void) | undefined;
    const store = readable("initial", (set) => {
      starts++;
      set("started");
      push = set;
      return () => {
        stops++;
        push = undefined;
      };
    });
    expect(starts).toBe(0); // no work without subscribers
    const a: string[] = [];
    const b: string[] = [];
    const unA = store.subscribe((v) => a.push(v));
    const unB = store.subscribe((v) => b.push(v));
    expect(a).toEqual(["started"]); // once, not "initial" then "started"
    expect(b).toEqual(["started"]);
    push?.("next");
    expect(a).toEqual(["started", "next"]);
    expect(b).toEqual(["started", "next"]);
    unA();
    expect(stops).toBe(0);
    unB();
    expect(stops).toBe(1);
    expect(starts).toBe(1);
    expect(get(store)).toBe("started"); // get() subscribes and unsubscribes: a fresh start
    expect(starts).toBe(2);
    expect(stops).toBe(2);
  });

  it("works as a source for svelte's own derived()", () => {
    const count = writable(2);
    const doubled = svelteDerived(count, (c) => c * 2);
    const seen: number[] = [];
    const un = doubled.subscribe((v) => seen.push(v));
    count.set(5);
    un();
    expect(seen).toEqual([4, 10]);
  });

  it("derived recomputes from its source only while subscribed", () => {
    const source = writable({ n: 1 });
    let calls = 0;
    const d = derived(source, (v) => {
      calls++;
      return v.n + 1;
    });
    expect(calls).toBe(0);
    expect(get(d)).toBe(2);
    source.set({ n: 5 });
    expect(calls).toBe(1);
    expect(get(d)).toBe(6);
  });
});
