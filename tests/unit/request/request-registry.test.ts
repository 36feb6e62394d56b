import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import { RequestRegistry } from "../../../src/lib/proof/request/request-registry.js";

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
