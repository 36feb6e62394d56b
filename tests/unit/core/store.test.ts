import { describe, expect, it } from "vitest";
import { derived as svelteDerived, get } from "svelte/store";
import { ProofStatus } from "../../../src/lib/proof/request/request-types.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";
import { ProofPriority, ProofQueue } from "../../../src/lib/proof/request/priority-queue.js";
import type { QueueStats } from "../../../src/lib/proof/request/priority-queue.js";
import { createJobsStore, createQueueStatsStore, derived, jobProgressStore, readable, writable } from "../../../src/lib/proof/core/store.js";
import type { JobSnapshot, QueueStatsSource } from "../../../src/lib/proof/core/store.js";

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

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

/** A hand-rolled stats source so the store test does not depend on queue internals. */
function statsSource(initial: QueueStats) {
  let stats = initial;
  const listeners = new Set<(s: QueueStats) => void>();
  const source: QueueStatsSource & { push(s: QueueStats): void; listeners: number } = {
    getStats: () => stats,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    push: (s) => {
      stats = s;
      for (const l of listeners) l(s);
    },
    get listeners() {
      return listeners.size;
    },
  };
  return source;
}

const ZERO: QueueStats = { queued: 0, processing: 0, completed: 0, failed: 0, cancelled: 0, averageWaitMs: 0, averageProcessingMs: 0, completionRate: 0 };

describe("createQueueStatsStore", () => {
  it("reads the source at once, follows it, and only listens while subscribed", () => {
    const source = statsSource(ZERO);
    const store = createQueueStatsStore(source);
    expect(source.listeners).toBe(0);
    source.push({ ...ZERO, queued: 4 }); // before anyone subscribes
    const seen: QueueStats[] = [];
    const un = store.subscribe((s) => seen.push(s));
    expect(source.listeners).toBe(1);
    expect(seen.map((s) => s.queued)).toEqual([4]);
    source.push({ ...ZERO, queued: 3, processing: 1 });
    expect(get(store)).toMatchObject({ queued: 3, processing: 1 });
    un();
    expect(source.listeners).toBe(0);
    source.push({ ...ZERO, completed: 9 });
    expect(seen).toHaveLength(2);
    expect(get(store).completed).toBe(9);
  });

  it("follows a real ProofQueue", async () => {
    const queue = new ProofQueue({ concurrency: 1 });
    const store = createQueueStatsStore(queue);
    const processing: number[] = [];
    const un = store.subscribe((s) => processing.push(s.processing));
    let release!: () => void;
    const job = queue.add(() => new Promise<void>((r) => (release = r)));
    await flush();
    expect(get(store)).toMatchObject({ processing: 1, queued: 0 });
    release();
    await job;
    await flush();
    expect(get(store)).toMatchObject({ processing: 0, completed: 1, completionRate: 1 });
    expect(processing).toContain(1);
    expect(processing.at(-1)).toBe(0);
    un();
  });
});

const job = (id: string, extra: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id,
  status: ProofStatus.QUEUED,
  progress: 0,
  stage: "queued",
  priority: ProofPriority.NORMAL,
  ...extra,
});
const event = (requestId: string, extra: Partial<ProgressEvent>): ProgressEvent => ({
  requestId,
  status: ProofStatus.PROCESSING,
  progress: 0,
  stage: "proving",
  ...extra,
});

describe("createJobsStore and jobProgressStore", () => {
  it("lists jobs and applies progress; progress never goes down; finished jobs are final", () => {
    const jobs = createJobsStore();
    const lists: (readonly JobSnapshot[])[] = [];
    const un = jobs.subscribe((l) => lists.push(l));
    expect(lists).toEqual([[]]);
    jobs.add(job("a", { priority: ProofPriority.HIGH, circuitId: "ebsl-16" }));
    jobs.add(job("b"));
    jobs.applyProgress(event("a", { progress: 40, stage: "witness", attempt: 1 }));
    jobs.applyProgress(event("a", { progress: 25, stage: "proving", step: "multiexp B2" })); // lower: kept at 40
    expect(get(jobs).map((j) => [j.id, j.status, j.progress, j.stage])).toEqual([
      ["a", "PROCESSING", 40, "proving"],
      ["b", "QUEUED", 0, "queued"],
    ]);
    expect(jobs.getJob("a")).toMatchObject({ step: "multiexp B2", attempt: 1, circuitId: "ebsl-16", priority: 2 });
    jobs.applyProgress(event("b", { status: ProofStatus.FAILED, stage: "failed", progress: 10, errorCode: "RESOURCE_EXHAUSTED" }));
    jobs.applyProgress(event("b", { status: ProofStatus.PROCESSING, progress: 90 })); // ignored: b is final
    expect(jobs.getJob("b")).toMatchObject({ status: "FAILED", progress: 10, errorCode: "RESOURCE_EXHAUSTED" });
    const before = lists.length;
    jobs.applyProgress(event("zzz", { progress: 50 })); // unknown id: no change
    jobs.applyProgress(event("a", { progress: 40, stage: "proving", step: "multiexp B2", attempt: 1 })); // identical: no change
    expect(lists.length).toBe(before);
    un();
    jobs.remove("a");
    expect(get(jobs).map((j) => j.id)).toEqual(["b"]);
  });

  it("jobProgressStore follows one job and re-runs only when that job changes", () => {
    const jobs = createJobsStore();
    const one = jobProgressStore(jobs, "x");
    const seen: (JobSnapshot | undefined)[] = [];
    const un = one.subscribe((j) => seen.push(j));
    expect(seen).toEqual([undefined]);
    jobs.add(job("x"));
    jobs.add(job("other"));
    jobs.applyProgress(event("other", { progress: 50 }));
    jobs.applyProgress(event("x", { progress: 30, estimatedRemainingMs: 1200 }));
    jobs.applyProgress(event("x", { status: ProofStatus.COMPLETED, stage: "done", progress: 100 }));
    expect(seen.map((j) => j?.progress)).toEqual([undefined, 0, 30, 100]);
    expect(seen[2]?.estimatedRemainingMs).toBe(1200);
    expect(seen[3]).not.toHaveProperty("estimatedRemainingMs");
    expect(get(one)?.status).toBe("COMPLETED");
    un();
    jobs.remove("x");
    expect(seen).toHaveLength(4);
    expect(get(one)).toBeUndefined();
  });

  it("keeps at most maxFinished finished jobs, never dropping active ones", () => {
    const jobs = createJobsStore({ maxFinished: 2 });
    for (const id of ["f1", "active", "f2", "f3"]) jobs.add(job(id));
    for (const id of ["f1", "f2", "f3"]) jobs.applyProgress(event(id, { status: ProofStatus.COMPLETED, stage: "done", progress: 100 }));
    expect(get(jobs).map((j) => j.id)).toEqual(["active", "f2", "f3"]);
  });
});
