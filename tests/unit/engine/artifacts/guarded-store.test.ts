import { describe, expect, it } from "vitest";
import type { Clock } from "../../../../src/lib/proof/core/clock.js";
import { CancelledError, type ProofError } from "../../../../src/lib/proof/core/errors.js";
import type { ArtifactStore } from "../../../../src/lib/proof/engine/artifacts/artifact-store.js";
import { guardStore } from "../../../../src/lib/proof/engine/artifacts/guarded-store.js";

/** A clock whose timers fire only when `fire()` is called. */
function timerClock(): Clock & { fire(): void } {
  const timers = new Map<number, () => void>();
  let next = 1;
  return {
    now: () => 0,
    wallNow: () => 0,
    setTimeout: (fn) => {
      timers.set(next, fn);
      return next++;
    },
    clearTimeout: (id) => void timers.delete(id as number),
    fire: () => [...timers.values()].forEach((fn) => fn()),
  };
}

function store(overrides: Partial<ArtifactStore> = {}): ArtifactStore {
  const data = new Map<string, Uint8Array>();
  return {
    get: async (k) => data.get(k),
    put: async (k, v) => void data.set(k, v),
    delete: async (k) => void data.delete(k),
    clear: async () => data.clear(),
    usage: async () => ({ artifacts: data.size, bytes: 0 }),
    ...overrides,
  };
}

const live = () => new AbortController().signal;

describe("guardStore", () => {
  it("a failed write is reported and leaves the store on; flush waits for writes", async () => {
    const errors: ProofError[] = [];
    const g = guardStore({ store: store({ put: async () => Promise.reject(new DOMException("full", "QuotaExceededError")) }), clock: timerClock(), readTimeoutMs: 10, onError: (e) => errors.push(e) });
    await g.put("a", new Uint8Array(1));
    await g.flush();
    expect(errors.map((e) => [e.code, e.details["operation"], e.details["disabled"]])).toEqual([["STORAGE_ERROR", "write", false]]);
    expect(g.active).toBe(true);
  });

  it("a failed or timed-out read is reported and turns the store off; later reads skip it", async () => {
    const errors: ProofError[] = [];
    let reads = 0;
    const clock = timerClock();
    const g = guardStore({ store: store({ get: () => (reads++, new Promise(() => undefined)) }), clock, readTimeoutMs: 10, onError: (e) => errors.push(e) });
    const pending = g.get("a", live());
    clock.fire();
    expect(await pending).toBeUndefined();
    expect(g.active).toBe(false);
    expect(await g.get("a", live())).toBeUndefined();
    expect(reads).toBe(1);
    expect(errors[0]?.details["operation"]).toBe("read");
  });

  it("an aborted read rejects with the caller's reason and does not turn the store off", async () => {
    const g = guardStore({ store: store({ get: () => new Promise(() => undefined) }), clock: timerClock(), readTimeoutMs: 10, onError: () => undefined });
    const controller = new AbortController();
    const pending = g.get("a", controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(g.active).toBe(true);
  });

  it("a throwing listener does not fail the load", async () => {
    const g = guardStore({ store: store({ delete: async () => Promise.reject(new Error("x")) }), clock: timerClock(), readTimeoutMs: 10, onError: () => { throw new Error("listener"); } });
    await expect(g.delete("a")).resolves.toBeUndefined();
  });
});
