import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import { LifecycleEmitter, type ProofLifecycleEvent } from "../../../src/lib/proof/request/lifecycle-events.js";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import { ProofJob, type PipelineRequest } from "../../../src/lib/proof/request/proof-pipeline.js";
import { RequestRegistry } from "../../../src/lib/proof/request/request-state.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";
import type { PreparedVariant, RequestPlan } from "../../../src/lib/proof/request/request-plan.js";

function clockAt(t: { now: number }): Clock {
  return { now: () => t.now, wallNow: () => 1_000 + t.now, setTimeout: () => 0 as never, clearTimeout: () => undefined };
}

function job(options: { userId?: string; onProgress?: (e: ProgressEvent) => void } = {}) {
  const t = { now: 10 };
  const clock = clockAt(t);
  const registry = new RequestRegistry({ clock, maxFinished: 10 });
  const events = new LifecycleEmitter();
  const seen: ProofLifecycleEvent[] = [];
  events.subscribe((e) => seen.push(e));
  const plan = { kind: "exact", variants: ["small", "big"] } as unknown as RequestPlan<PreparedVariant, unknown>;
  const request: PipelineRequest<PreparedVariant, unknown> = {
    requestId: "r1",
    plan,
    priority: ProofPriority.HIGH,
    signal: new AbortController().signal,
    allowFallback: true,
    submittedAt: 4,
    ...(options.userId !== undefined ? { userId: options.userId } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  return { j: new ProofJob(request, { registry, events, clock }), registry, seen, t };
}

describe("ProofJob", () => {
  it("registers its request queued on the first planned variant and announces it", () => {
    const { j, registry, seen } = job({ userId: "u" });
    expect(registry.get("r1")).toMatchObject({ status: "QUEUED", stage: "queued", circuitId: "small", priority: ProofPriority.HIGH });
    expect(seen.map((e) => e.type)).toEqual(["accepted", "stage"]);
    expect(seen[0]).toMatchObject({ requestId: "r1", circuitId: "small", kind: "exact", userId: "u", at: 1_010 });
    expect(j.circuitId).toBe("small");
  });

  it("counts attempts over every variant and follows the circuit being proved", () => {
    const { j, registry } = job();
    expect(j.attempt("small")).toBe(1);
    expect(j.attempt("big")).toBe(2);
    expect(j.circuitId).toBe("big");
    expect(registry.get("r1")).toMatchObject({ status: "PROCESSING", attempt: 2, circuitId: "big" });
  });

  it("announces a stage once, however many reports it gets, and measures time since submission", () => {
    const { j, seen, t } = job();
    j.attempt("small");
    j.onProverProgress({ phase: "proving", percent: 10 });
    j.onProverProgress({ phase: "proving", percent: 20 });
    expect(seen.filter((e) => e.type === "stage").map((e) => (e as { stage: string }).stage)).toEqual(["queued", "selecting", "proving"]);
    t.now = 50;
    expect(j.totalMs()).toBe(46);
  });

  it("names its user only on the events that carry one", () => {
    const { j, seen } = job({ userId: "u" });
    j.emit({ type: "fallback", fromCircuitId: "small", toCircuitId: "big", code: "TIMEOUT" });
    j.emit({ type: "failed", circuitId: "big", attempts: 1, code: "TIMEOUT", totalMs: 1 });
    expect(seen.find((e) => e.type === "fallback")).not.toHaveProperty("userId");
    expect(seen.find((e) => e.type === "stage")).not.toHaveProperty("userId");
    expect(seen.find((e) => e.type === "failed")).toMatchObject({ userId: "u" });
  });

  it("a throwing progress callback does not break the job", () => {
    const { j, registry } = job({
      onProgress: () => {
        throw new Error("the caller's bug");
      },
    });
    expect(() => j.attempt("small")).not.toThrow();
    expect(registry.get("r1")).toMatchObject({ attempt: 1 });
  });
});
