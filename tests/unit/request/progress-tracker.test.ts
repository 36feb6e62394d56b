import { describe, expect, it } from "vitest";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";
import { ProgressTracker } from "../../../src/lib/proof/request/progress-tracker.js";

function tracker(prediction?: (id: string) => number | undefined) {
  const events: ProgressEvent[] = [];
  const t = new ProgressTracker({ requestId: "q", emit: (e) => events.push(e), prediction });
  return { t, events };
}

describe("ProgressTracker", () => {
  it("maps stages into one monotonic percentage that survives retries", () => {
    const { t, events } = tracker();
    t.queued();
    t.startAttempt("c", 1);
    t.fromProver({ phase: "artifacts", percent: 2, artifact: { circuitId: "c", artifact: "zkey", loadedBytes: 5, totalBytes: 10, source: "network" } });
    t.fromProver({ phase: "proving", percent: 60 });
    const atFailure = t.progress;
    t.retrying();
    t.startAttempt("c", 2);
    t.fromProver({ phase: "artifacts", percent: 0 });
    t.fromProver({ phase: "proving", percent: 50 });
    t.fromProver({ phase: "verifying", percent: 97 });
    t.done();
    const values = events.map((e) => e.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(atFailure).toBeCloseTo(1 + 98 * 0.6, 5);
    // attempt 2 continues from where attempt 1 stopped: 50% of its run is half-way from there to 99
    expect(events.find((e) => e.attempt === 2 && e.stage === "proving")!.progress).toBeCloseTo(atFailure + (99 - atFailure) * 0.5, 1);
    expect(events.map((e) => e.stage)).toEqual(["queued", "selecting", "artifacts", "proving", "retrying", "selecting", "artifacts", "proving", "verifying", "done"]);
    expect(events[2]!.bytes).toEqual({ loaded: 5, total: 10 });
    // Which artifact and where its bytes come from, next to the bytes; absent elsewhere.
    expect(events[2]).toMatchObject({ artifact: "zkey", source: "network" });
    expect(events.filter((e) => e.artifact !== undefined || e.source !== undefined)).toEqual([events[2]]);
    expect(events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });
  });

  it("stays below 100 until done and freezes after a terminal state", () => {
    const { t, events } = tracker();
    t.startAttempt("c", 1);
    t.fromProver({ phase: "done", percent: 100 });
    expect(t.progress).toBe(99);
    expect(t.stage).toBe("verifying");
    t.failed("VERIFICATION_FAILED");
    t.fromProver({ phase: "proving", percent: 100 });
    t.done();
    expect(events.at(-1)).toMatchObject({ status: "FAILED", stage: "failed", errorCode: "VERIFICATION_FAILED", progress: 99 });
  });

  it("estimates remaining time from the prediction and the attempt's progress", () => {
    const { t, events } = tracker((id) => (id === "c" ? 1000 : undefined));
    t.queued();
    t.startAttempt("c", 1);
    t.fromProver({ phase: "proving", percent: 75 });
    expect(events[0]!.estimatedRemainingMs).toBeUndefined();
    expect(events[1]!.estimatedRemainingMs).toBe(1000);
    expect(events[2]!.estimatedRemainingMs).toBe(250);
    const { t: t2, events: e2 } = tracker(() => undefined);
    t2.startAttempt("c", 1);
    expect(e2[0]!.estimatedRemainingMs).toBeUndefined();
  });
});
