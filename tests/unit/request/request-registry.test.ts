import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import { RequestRegistry } from "../../../src/lib/proof/request/request-registry.js";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import type { JobSnapshot } from "../../../src/lib/proof/request/request-state.js";
import { ProofStatus } from "../../../src/lib/proof/request/request-types.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";

describe("RequestRegistry", () => {
  it("tracks status, progress and timestamps, and feeds the jobs store", () => {
    let now = 100;
    const r = new RequestRegistry({ wallNow: () => now });
    r.add({ id: "a", kind: "exact", priority: 1, circuitId: "ebsl-16" });
    expect(r.get("a")).toMatchObject({ status: "QUEUED", progress: 0, createdAt: 100 });
    now = 150;
    r.apply({ requestId: "a", status: "PROCESSING", stage: "proving", progress: 40, attempt: 1, circuitId: "ebsl-16", estimatedRemainingMs: 30 });
    r.apply({ requestId: "a", status: "PROCESSING", stage: "proving", progress: 20 });
    expect(r.get("a")).toMatchObject({ progress: 40, startedAt: 150, attempt: 1 });
    expect(r.get("a")!.estimatedRemainingMs).toBeUndefined();
    now = 200;
    r.apply({ requestId: "a", status: "FAILED", stage: "failed", progress: 40, errorCode: "PROVING_FAILED" });
    r.apply({ requestId: "a", status: "COMPLETED", stage: "done", progress: 100 });
    expect(r.get("a")).toMatchObject({ status: "FAILED", errorCode: "PROVING_FAILED", finishedAt: 200 });
    expect(get(r.jobs)[0]).toMatchObject({ id: "a", status: "FAILED", progress: 40 });
    expect(r.active()).toEqual([]);
  });

  it("keeps a bounded number of finished records, never dropping active ones", () => {
    const r = new RequestRegistry({ wallNow: () => 0, maxFinished: 2 });
    r.add({ id: "live", kind: "exact", priority: 1, circuitId: "c" });
    for (const id of ["f1", "f2", "f3"]) {
      r.add({ id, kind: "exact", priority: 1, circuitId: "c" });
      r.apply({ requestId: id, status: "COMPLETED", stage: "done", progress: 100 });
    }
    expect(r.get("f1")).toBeUndefined();
    expect(r.get("f2")?.status).toBe("COMPLETED");
    expect(r.get("f3")?.status).toBe("COMPLETED");
    expect(r.get("live")?.status).toBe("QUEUED");
    expect(get(r.jobs).map((j) => j.id)).toEqual(["live", "f2", "f3"]);
  });
});

const event = (requestId: string, extra: Partial<ProgressEvent>): ProgressEvent => ({
  requestId,
  status: ProofStatus.PROCESSING,
  progress: 0,
  stage: "proving",
  ...extra,
});
const add = (r: RequestRegistry, id: string, extra: { priority?: ProofPriority; circuitId?: string } = {}) =>
  r.add({ id, kind: "exact", priority: extra.priority ?? ProofPriority.NORMAL, circuitId: extra.circuitId ?? "c" });

describe("RequestRegistry views: the jobs store and one job's store", () => {
  it("lists jobs and applies progress; progress never goes down; finished jobs are final", () => {
    const r = new RequestRegistry({ wallNow: () => 0 });
    const lists: (readonly JobSnapshot[])[] = [];
    const un = r.jobs.subscribe((l) => lists.push(l));
    expect(lists).toEqual([[]]);
    add(r, "a", { priority: ProofPriority.HIGH, circuitId: "ebsl-16" });
    add(r, "b");
    r.apply(event("a", { progress: 40, stage: "witness", attempt: 1 }));
    r.apply(event("a", { progress: 25, stage: "proving", step: "multiexp B2" })); // lower: kept at 40
    r.apply(event("a", { progress: 250 })); // clamped to 100
    expect(get(r.jobs).map((j) => [j.id, j.status, j.progress, j.stage])).toEqual([
      ["a", "PROCESSING", 100, "proving"],
      ["b", "QUEUED", 0, "queued"],
    ]);
    expect(r.get("a")).toMatchObject({ step: "multiexp B2", attempt: 1, circuitId: "ebsl-16", priority: 2 });
    r.apply(event("b", { status: ProofStatus.FAILED, stage: "failed", progress: 10, errorCode: "RESOURCE_EXHAUSTED" }));
    r.apply(event("b", { status: ProofStatus.PROCESSING, progress: 90 })); // ignored: b is final
    expect(r.get("b")).toMatchObject({ status: "FAILED", progress: 10, errorCode: "RESOURCE_EXHAUSTED" });
    const before = lists.length;
    r.apply(event("zzz", { progress: 50 })); // unknown id: no change
    r.apply(event("a", { progress: 40, stage: "proving", step: "multiexp B2", attempt: 1 })); // same state: no change
    expect(lists.length).toBe(before);
    // getRequestStatus and the store are one state: the very same record objects.
    expect(get(r.jobs)[0]).toBe(r.get("a"));
    un();
  });

  it("one job's store follows that job and re-runs only when it changes", () => {
    const r = new RequestRegistry({ wallNow: () => 0 });
    const one = r.job("x");
    const seen: (JobSnapshot | undefined)[] = [];
    const un = one.subscribe((j) => seen.push(j));
    expect(seen).toEqual([undefined]);
    add(r, "x");
    add(r, "other");
    r.apply(event("other", { progress: 50 }));
    r.apply(event("x", { progress: 30, estimatedRemainingMs: 1200 }));
    r.apply(event("x", { status: ProofStatus.COMPLETED, stage: "done", progress: 100 }));
    expect(seen.map((j) => j?.progress)).toEqual([undefined, 0, 30, 100]);
    expect(seen[2]?.estimatedRemainingMs).toBe(1200);
    expect(seen[3]).not.toHaveProperty("estimatedRemainingMs");
    expect(get(one)?.status).toBe("COMPLETED");
    un();
  });
});
