import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import { CancelledError, ProofError, QueueFullError, TimeoutError, ValidationError, WitnessConstraintError } from "../../../src/lib/proof/core/errors.js";
import { ProofPriority, ProofQueue } from "../../../src/lib/proof/request/priority-queue.js";
import type { QueueEntryOptions, QueueStats } from "../../../src/lib/proof/request/priority-queue.js";

/** Run `fn` in a turn of `queue`, as the pipeline does: enter (QUEUE_FULL thrown synchronously), work, leave. */
function add<T>(queue: ProofQueue, fn: (context: { signal: AbortSignal | undefined; waitMs: number }) => Promise<T>, options: QueueEntryOptions = {}): Promise<T> {
  return queue.enter(options).then(async (turn) => {
    try {
      const value = await fn({ signal: options.signal, waitMs: turn.waitMs });
      turn.leave();
      return value;
    } catch (error) {
      turn.leave(error);
      throw error;
    }
  });
}

/** Only `now()` matters to the queue; tests move time by hand. */
function fakeClock(): Clock & { t: number } {
  const clock = {
    t: 0,
    now: () => clock.t,
    wallNow: () => clock.t,
    setTimeout: () => {
      throw new Error("the queue must not start timers");
    },
    clearTimeout: () => undefined,
  };
  return clock;
}

/** A job the test finishes by hand. */
function deferred<T = string>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Queue `labels` behind a blocker so ordering is decided by the queue, then record start order. */
async function startOrder(concurrency: number, jobs: Array<[string, ProofPriority]>): Promise<string[]> {
  const queue = new ProofQueue({ concurrency, clock: fakeClock(), maxQueued: 100 });
  const order: string[] = [];
  const blockers = Array.from({ length: concurrency }, () => deferred());
  const blocked = blockers.map((b, i) =>
    add(queue, async () => {
      order.push(`block${i}`);
      return b.promise;
    }),
  );
  const all = jobs.map(([label, priority]) =>
    add(queue, 
      async () => {
        order.push(label);
        await flush();
        return label;
      },
      { priority },
    ),
  );
  for (const b of blockers) b.resolve("done");
  await Promise.all([...blocked, ...all]);
  await queue.onIdle();
  return order.filter((l) => !l.startsWith("block"));
}

const MIXED: Array<[string, ProofPriority]> = [
  ["low-1", ProofPriority.LOW],
  ["normal-1", ProofPriority.NORMAL],
  ["critical-1", ProofPriority.CRITICAL],
  ["high-1", ProofPriority.HIGH],
  ["low-2", ProofPriority.LOW],
  ["high-2", ProofPriority.HIGH],
  ["normal-2", ProofPriority.NORMAL],
  ["critical-2", ProofPriority.CRITICAL],
];
const EXPECTED = ["critical-1", "critical-2", "high-1", "high-2", "normal-1", "normal-2", "low-1", "low-2"];

describe("ProofQueue ordering", () => {
  it("exposes the priority levels by name", () => {
    expect(ProofPriority).toEqual({ LOW: 0, NORMAL: 1, HIGH: 2, CRITICAL: 3 });
  });

  it("runs by priority, FIFO within a level (concurrency 1)", async () => {
    expect(await startOrder(1, MIXED)).toEqual(EXPECTED);
  });

  it("runs by priority, FIFO within a level (concurrency 2)", async () => {
    expect(await startOrder(2, MIXED)).toEqual(EXPECTED);
  });

  it("never runs more than `concurrency` jobs at once, and follows a raised concurrency", async () => {
    const queue = new ProofQueue({ concurrency: 2, maxQueued: 100 });
    const gates = Array.from({ length: 5 }, () => deferred());
    let running = 0;
    let peak = 0;
    const all = gates.map((g) =>
      add(queue, async () => {
        running++;
        peak = Math.max(peak, running);
        await g.promise;
        running--;
      }),
    );
    await flush();
    expect(queue.getStats()).toMatchObject({ processing: 2, queued: 3 });
    queue.concurrency = 3;
    await flush();
    expect(queue.getStats()).toMatchObject({ processing: 3, queued: 2 });
    for (const g of gates) g.resolve("x");
    await Promise.all(all);
    expect(peak).toBe(3);
  });
});

describe("ProofQueue bound", () => {
  it("throws QUEUE_FULL synchronously at the bound, losing nothing already accepted", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 3 });
    const gate = deferred();
    const done: string[] = [];
    const running = add(queue, async () => {
      await gate.promise;
      done.push("running");
    });
    await flush(); // the first job has left the waiting list
    const accepted = ["a", "b", "c"].map((l) => add(queue, async () => void done.push(l)));
    let thrown: unknown;
    try {
      void add(queue, async () => void done.push("rejected"));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(QueueFullError);
    expect((thrown as ProofError).code).toBe("QUEUE_FULL");
    expect((thrown as ProofError).details).toEqual({ bound: 3, size: 3 });
    gate.resolve("x");
    await Promise.all([running, ...accepted]);
    expect(done).toEqual(["running", "a", "b", "c"]);
    expect(queue.getStats()).toMatchObject({ completed: 4, failed: 0, cancelled: 0, queued: 0 });
    // Room again after draining.
    await expect(add(queue, async () => "again")).resolves.toBe("again");
  });

});

describe("ProofQueue abort", () => {
  it("a job aborted while queued is removed and rejects at once with CancelledError", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const gate = deferred();
    const first = add(queue, () => gate.promise);
    const controller = new AbortController();
    let ran = false;
    const victim = add(queue, 
      async () => {
        ran = true;
      },
      { signal: controller.signal },
    );
    const after = add(queue, async () => "after");
    await flush();
    expect(queue.getStats().queued).toBe(2);
    controller.abort();
    const err = await victim.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect((err as ProofError).cause).toBe(controller.signal.reason);
    expect(queue.getStats()).toMatchObject({ queued: 1, processing: 1, cancelled: 1 });
    gate.resolve("first");
    expect(await first).toBe("first");
    expect(await after).toBe("after");
    expect(ran).toBe(false);
  });

  it("a ProofError abort reason is passed through as is", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const gate = deferred();
    void add(queue, () => gate.promise);
    const controller = new AbortController();
    const victim = add(queue, async () => 1, { signal: controller.signal });
    const reason = new TimeoutError();
    controller.abort(reason);
    await expect(victim).rejects.toBe(reason);
    gate.resolve("x");
  });

  it("an already-aborted signal is refused without queueing", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const controller = new AbortController();
    controller.abort();
    await expect(add(queue, async () => 1, { signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
    expect(queue.getStats().queued).toBe(0);
  });

  it("a running job keeps its slot until it settles, and receives the caller's signal", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const controller = new AbortController();
    const stopped = deferred<void>();
    let seen: AbortSignal | undefined;
    const running = add(queue, 
      async ({ signal }) => {
        seen = signal;
        await stopped.promise; // e.g. the pool terminating the worker
        throw new CancelledError();
      },
      { signal: controller.signal },
    );
    let nextStarted = false;
    const next = add(queue, async () => {
      nextStarted = true;
    });
    await flush();
    controller.abort();
    await flush();
    expect(seen).toBe(controller.signal);
    expect(nextStarted).toBe(false);
    stopped.resolve();
    await expect(running).rejects.toBeInstanceOf(CancelledError);
    await next;
    expect(nextStarted).toBe(true);
    expect(queue.getStats()).toMatchObject({ cancelled: 1, completed: 1 });
  });

  it("clear() rejects every queued job with DISPOSED and leaves the running one", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const gate = deferred();
    const running = add(queue, () => gate.promise);
    const queued = [add(queue, async () => 1), add(queue, async () => 2)];
    await flush();
    queue.clear();
    for (const q of queued) await expect(q).rejects.toMatchObject({ code: "DISPOSED" });
    gate.resolve("kept");
    expect(await running).toBe("kept");
    await queue.onIdle();
  });
});

describe("ProofQueue stats", () => {
  it("counts and averages wait and processing times by the injected clock", async () => {
    const clock = fakeClock();
    const queue = new ProofQueue({ concurrency: 1, clock, maxQueued: 100 });
    const updates: QueueStats[] = [];
    const unsubscribe = queue.subscribe((s) => updates.push(s));
    const g1 = deferred();
    const g2 = deferred();
    const j1 = add(queue, () => g1.promise); // t=0, starts at 0
    const j2 = add(queue, async () => {
      await g2.promise;
      throw new WitnessConstraintError();
    }); // t=0, starts at 100
    const controller = new AbortController();
    const j3 = add(queue, async () => 3, { signal: controller.signal });
    await flush();
    expect(queue.getStats()).toEqual({ queued: 2, processing: 1, completed: 0, failed: 0, cancelled: 0, averageWaitMs: 0, averageProcessingMs: 0, completionRate: 0 });

    clock.t = 40;
    controller.abort();
    await expect(j3).rejects.toBeInstanceOf(CancelledError);
    clock.t = 100;
    g1.resolve("one"); // j1 ran 0 → 100
    await j1;
    await flush();
    clock.t = 400;
    g2.resolve("two"); // j2 waited 100, ran 100 → 400
    await expect(j2).rejects.toBeInstanceOf(WitnessConstraintError);
    await queue.onIdle();
    await flush();

    expect(queue.getStats()).toEqual({
      queued: 0,
      processing: 0,
      completed: 1,
      failed: 1,
      cancelled: 1,
      averageWaitMs: 50, // (0 + 100) / 2 started jobs
      averageProcessingMs: 200, // (100 + 300) / 2 jobs that ran
      completionRate: 1 / 3,
    });
    expect(updates.length).toBeGreaterThanOrEqual(6);
    expect(updates.at(-1)).toEqual(queue.getStats());
    unsubscribe();
    const count = updates.length;
    await add(queue, async () => 1);
    expect(updates.length).toBe(count);
  });

  it("onIdle resolves only after queued and running work is done", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const gate = deferred();
    void add(queue, () => gate.promise);
    void add(queue, async () => 2);
    let idle = false;
    const idlePromise = queue.onIdle().then(() => {
      idle = true;
    });
    await flush();
    expect(idle).toBe(false);
    gate.resolve("x");
    await idlePromise;
    expect(queue.getStats()).toMatchObject({ completed: 2, queued: 0, processing: 0 });
  });
});

describe("ProofQueue.store (Svelte store contract)", () => {
  const flushAll = async () => {
    for (let i = 0; i < 20; i++) await Promise.resolve();
  };
  it("its store follows the queue and listens only while subscribed", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 100 });
    const store = queue.store;
    const processing: number[] = [];
    const un = store.subscribe((s) => processing.push(s.processing));
    let release!: () => void;
    const job = add(queue, () => new Promise<void>((r) => (release = r)));
    await flushAll();
    expect(get(store)).toMatchObject({ processing: 1, queued: 0 });
    release();
    await job;
    await flushAll();
    expect(get(store)).toMatchObject({ processing: 0, completed: 1, completionRate: 1 });
    expect(processing).toContain(1);
    expect(processing.at(-1)).toBe(0);
    un();
  });
});

describe("ProofQueue turns", () => {
  it("a turn counts once however often it leaves, and its slot goes to the next request", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 10 });
    const first = await queue.enter();
    let granted = false;
    const next = queue.enter().then((turn) => ((granted = true), turn));
    await flush();
    expect(granted).toBe(false);
    first.leave(new TimeoutError());
    first.leave();
    (await next).leave();
    expect(queue.getStats()).toMatchObject({ failed: 1, completed: 1, processing: 0, queued: 0 });
  });

  it("a turn whose request was aborted while running keeps its slot until it leaves, and counts as cancelled", async () => {
    const queue = new ProofQueue({ concurrency: 1, maxQueued: 10 });
    const controller = new AbortController();
    const turn = await queue.enter({ signal: controller.signal });
    let granted = false;
    const next = queue.enter().then((t) => ((granted = true), t));
    controller.abort();
    await flush();
    expect(granted).toBe(false);
    turn.leave(new Error("stopped"));
    (await next).leave();
    expect(queue.getStats()).toMatchObject({ cancelled: 1, completed: 1 });
  });
});
