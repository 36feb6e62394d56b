import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import { RequestRegistry } from "../../../src/lib/proof/request/request-state.js";
import type { JobSnapshot, PredictionProvider, RequestAction } from "../../../src/lib/proof/request/request-state.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";

/** A registry with one request "q" and a dispatcher that collects the reported events. */
function one(options: { prediction?: PredictionProvider; wallNow?: () => number } = {}) {
  const r = new RequestRegistry({ clock: { wallNow: options.wallNow ?? (() => 0) }, prediction: options.prediction, maxFinished: 100 });
  r.add({ id: "q", kind: "exact", priority: ProofPriority.NORMAL, circuitId: "c" });
  const events: ProgressEvent[] = [];
  const send = (...actions: RequestAction[]) => {
    for (const a of actions) {
      const e = r.dispatch("q", a);
      if (e) events.push(e);
    }
  };
  return { r, events, send };
}
const prover = (phase: "artifacts" | "proving" | "verifying" | "done", percent: number): RequestAction => ({ type: "prover", report: { phase, percent } });

describe("reduceRequest through RequestRegistry.dispatch", () => {
  it("maps stages into one monotonic percentage that survives retries", () => {
    const { r, events, send } = one();
    send({ type: "queued" }, { type: "attempt", circuitId: "c", attempt: 1 });
    send({ type: "prover", report: { phase: "artifacts", percent: 2, artifact: { circuitId: "c", artifact: "zkey", loadedBytes: 5, totalBytes: 10, source: "network" } } });
    send(prover("proving", 60));
    const atFailure = r.get("q")!.progress;
    send({ type: "retrying" }, { type: "attempt", circuitId: "c", attempt: 2 }, prover("artifacts", 0), prover("proving", 50), prover("verifying", 97), { type: "done" });
    const values = events.map((e) => e.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(atFailure).toBeCloseTo(1 + 98 * 0.6, 2);
    // attempt 2 continues from where attempt 1 stopped: 50% of its run is half-way from there to 99
    expect(events.find((e) => e.attempt === 2 && e.stage === "proving")!.progress).toBeCloseTo(atFailure + (99 - atFailure) * 0.5, 1);
    expect(events.map((e) => e.stage)).toEqual(["queued", "selecting", "artifacts", "proving", "retrying", "selecting", "artifacts", "proving", "verifying", "done"]);
    expect(events[2]!.bytes).toEqual({ loaded: 5, total: 10 });
    // Which artifact and where its bytes come from, next to the bytes; absent elsewhere.
    expect(events[2]).toMatchObject({ artifact: "zkey", source: "network" });
    expect(events.filter((e) => e.artifact !== undefined || e.source !== undefined)).toEqual([events[2]]);
    expect(events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });
    // The reported events and the record are one state.
    expect(r.get("q")).toMatchObject({ status: "COMPLETED", progress: 100, attempt: 2, stage: "done" });
  });

  it("stays below 100 until done, clamps the prover's figures, and freezes after a terminal state", () => {
    const { r, events, send } = one();
    send({ type: "attempt", circuitId: "c", attempt: 1 }, prover("done", 100));
    expect(r.get("q")).toMatchObject({ progress: 99, stage: "verifying" });
    send(prover("proving", 250), prover("proving", Number.NaN));
    expect(r.get("q")!.progress).toBe(99);
    send({ type: "failed", code: "VERIFICATION_FAILED" });
    const frozen = r.get("q");
    const reported = events.length;
    send(prover("proving", 100), { type: "done" });
    expect(events.length).toBe(reported);
    expect(r.get("q")).toBe(frozen);
    expect(frozen).toMatchObject({ status: "FAILED", stage: "failed", errorCode: "VERIFICATION_FAILED", progress: 99 });
  });

  it("estimates remaining time from the prediction and the attempt's progress", () => {
    const { events, send } = one({ prediction: (id) => (id === "c" ? 1000 : undefined) });
    send({ type: "queued" }, { type: "attempt", circuitId: "c", attempt: 1 }, prover("proving", 75), { type: "retrying" }, { type: "done" });
    expect(events.map((e) => e.estimatedRemainingMs)).toEqual([undefined, 1000, 250, undefined, 0]);
    const broken = one({
      prediction: () => {
        throw new Error("metrics down");
      },
    });
    broken.send({ type: "attempt", circuitId: "c", attempt: 1 });
    expect(broken.events[0]!.estimatedRemainingMs).toBeUndefined();
  });

  it("stamps start and finish times once", () => {
    let now = 100;
    const { r, send } = one({ wallNow: () => now });
    expect(r.get("q")).toMatchObject({ status: "QUEUED", progress: 0, createdAt: 100 });
    now = 150;
    send({ type: "preparing", circuitId: "c" });
    now = 170;
    send({ type: "attempt", circuitId: "c", attempt: 1 });
    now = 200;
    send({ type: "cancelled", code: "CANCELLED" });
    expect(r.get("q")).toMatchObject({ startedAt: 150, finishedAt: 200, status: "CANCELLED", errorCode: "CANCELLED" });
    expect(r.active()).toEqual([]);
  });
});

describe("RequestRegistry views: the jobs store and one job's store", () => {
  const add = (r: RequestRegistry, id: string, priority: ProofPriority = ProofPriority.NORMAL) => r.add({ id, kind: "exact", priority, circuitId: "c" });

  it("keeps a bounded number of finished records, never dropping active ones", () => {
    const r = new RequestRegistry({ clock: { wallNow: () => 0 }, maxFinished: 2 });
    add(r, "live");
    for (const id of ["f1", "f2", "f3"]) {
      add(r, id);
      r.dispatch(id, { type: "done" });
    }
    expect(r.get("f1")).toBeUndefined();
    expect(r.get("f2")?.status).toBe("COMPLETED");
    expect(r.get("live")?.status).toBe("QUEUED");
    expect(get(r.jobs).map((j) => j.id)).toEqual(["live", "f2", "f3"]);
  });

  it("lists jobs as the very records getRequestStatus returns, publishing only on change", () => {
    const r = new RequestRegistry({ clock: { wallNow: () => 0 }, maxFinished: 100 });
    const lists: (readonly JobSnapshot[])[] = [];
    const un = r.jobs.subscribe((l) => lists.push(l));
    expect(lists).toEqual([[]]);
    add(r, "a", ProofPriority.HIGH);
    add(r, "b");
    r.dispatch("a", { type: "attempt", circuitId: "c", attempt: 1 });
    r.dispatch("a", { type: "prover", report: { phase: "proving", percent: 40, step: "multiexp B2" } });
    expect(get(r.jobs).map((j) => [j.id, j.status, j.stage])).toEqual([
      ["a", "PROCESSING", "proving"],
      ["b", "QUEUED", "queued"],
    ]);
    expect(r.get("a")).toMatchObject({ step: "multiexp B2", attempt: 1, priority: ProofPriority.HIGH });
    const before = lists.length;
    expect(r.dispatch("zzz", { type: "done" })).toBeUndefined(); // unknown id: no change
    r.dispatch("a", { type: "prover", report: { phase: "proving", percent: 40, step: "multiexp B2" } }); // same state: no change
    expect(lists.length).toBe(before);
    expect(get(r.jobs)[0]).toBe(r.get("a"));
    un();
  });

  it("one job's store follows that job and re-runs only when it changes", () => {
    const r = new RequestRegistry({ clock: { wallNow: () => 0 }, prediction: () => 1200, maxFinished: 100 });
    const seen: (JobSnapshot | undefined)[] = [];
    const un = r.job("x").subscribe((j) => seen.push(j));
    expect(seen).toEqual([undefined]);
    add(r, "x");
    add(r, "other");
    r.dispatch("other", { type: "attempt", circuitId: "c", attempt: 1 });
    r.dispatch("x", { type: "attempt", circuitId: "c", attempt: 1 });
    r.dispatch("x", { type: "failed", code: "PROVING_FAILED" });
    expect(seen.map((j) => j?.status)).toEqual([undefined, "QUEUED", "PROCESSING", "FAILED"]);
    expect(seen[2]?.estimatedRemainingMs).toBe(1200);
    expect(seen[3]).not.toHaveProperty("estimatedRemainingMs");
    un();
  });
});
