import { describe, expect, it } from "vitest";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import { createProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import { requestMode, requestUserId, resolveRequestOptions } from "../../../src/lib/proof/client/request-options.js";
import type { ProofLifecycleEvent } from "../../../src/lib/proof/request/lifecycle-events.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestations } from "./fakes.js";
import { rejection } from "../../support/rejection.js";

const defaults = { priority: ProofPriority.NORMAL, allowFallback: true, remoteAvailable: false } as const;

function fieldOf(options: unknown): unknown {
  try {
    resolveRequestOptions(options, defaults, requestUserId(options));
  } catch (error) {
    return (error as { code: string; details: Record<string, unknown> }).code === "VALIDATION_ERROR" ? (error as { details: Record<string, unknown> }).details["field"] : error;
  }
  return "accepted";
}

describe("resolveRequestOptions", () => {
  it("fills defaults, canonicalises the user id and passes the plan's options through", () => {
    const signal = new AbortController().signal;
    const onProgress = () => undefined;
    const options = { userId: " 0x00AB ", signal, onProgress, subject: "0xabc", now: NOW, threshold: 500_000n };
    const r = resolveRequestOptions(options, defaults, requestUserId(options));
    expect(r).toEqual({ priority: 1, userId: "0xab", signal, onProgress, allowFallback: true, mode: "local", plan: { subject: "0xabc", now: NOW, threshold: 500_000n } });
    expect(resolveRequestOptions(undefined, defaults, requestUserId(undefined))).toMatchObject({ priority: 1, userId: undefined, allowFallback: true, mode: "local", plan: {} });
  });

  it("requestMode: defaults to local; remote and auto need the API's remote option", () => {
    expect(requestMode(undefined, false)).toBe("local");
    expect(requestMode(undefined, true)).toBe("local");
    expect(requestMode("local", false)).toBe("local");
    expect(fieldOf({ mode: "remote" })).toBe("mode");
    expect(fieldOf({ mode: "auto" })).toBe("mode");
    expect(() => requestMode("elsewhere", true)).toThrow(expect.objectContaining({ code: "VALIDATION_ERROR", details: expect.objectContaining({ field: "mode" }) }));
    expect(requestMode("remote", true)).toBe("remote");
    expect(requestMode("auto", true)).toBe("auto");
  });

  it("reads the mode with the other options: remote and auto only when the API has a remote service", () => {
    expect(resolveRequestOptions({ mode: "remote" }, { ...defaults, remoteAvailable: true }, undefined).mode).toBe("remote");
    expect(() => resolveRequestOptions({ mode: "remote" }, defaults, undefined)).toThrow(expect.objectContaining({ code: "VALIDATION_ERROR", details: expect.objectContaining({ field: "mode" }) }));
    let reads = 0;
    const counted = Object.defineProperty({}, "mode", { enumerable: true, get: () => (reads++, "auto") });
    resolveRequestOptions(counted, { ...defaults, remoteAvailable: true }, undefined);
    expect(reads).toBe(1);
  });

  it.each([
    ["options", "fast"],
    ["options", [1]],
    ["priority", { priority: 9 }],
    ["priority", { priority: "HIGH" }],
    ["userId", { userId: 42 }],
    ["userId", { userId: "u".repeat(257) }],
    ["userId", { userId: "ali\u200bce" }],
    ["signal", { signal: { aborted: false } }],
    ["signal", { signal: "stop" }],
    ["onProgress", { onProgress: "console.log" }],
    ["allowFallback", { allowFallback: "no" }],
    ["subject", { subject: "" }],
    ["subject", { subject: "s".repeat(257) }],
    ["now", { now: "yesterday" }],
    ["threshold", { threshold: "0.6" }],
    ["threshold", { threshold: 0.6 }],
    ["threshold", { threshold: 2_000_000 }],
    ["threshold", { threshold: -1n }],
    ["now", { now: 1.5 }],
    ["signal", { get signal() { throw new Error("secret"); } }],
  ])("refuses a bad %s with a ValidationError naming it", (field, options) => {
    expect(fieldOf(options)).toBe(field);
  });
});

describe("requestProof validates every option before anything is queued", () => {
  it("a non-AbortSignal signal is a typed ValidationError, not a TypeError; nothing is queued or recorded", async () => {
    const prover = new FakeProver();
    const api = createProofAPI({ prover, circuits: CIRCUITS, clock: new AutoClock(), yieldToHost: noYield, concurrency: 1 });
    const events: ProofLifecycleEvent[] = [];
    api.subscribe((e) => events.push(e));
    const signalLike = { aborted: false, reason: undefined };
    for (const [options, field] of [
      [{ now: NOW, signal: signalLike }, "signal"],
      [{ now: NOW, onProgress: 1 }, "onProgress"],
      [{ now: NOW, priority: -1 }, "priority"],
      [{ now: NOW, allowFallback: 0 }, "allowFallback"],
      [{ now: NOW, userId: "x".repeat(2 ** 21) }, "userId"],
    ] as const) {
      const error = await rejection(api.requestProof(attestations(2), "exact", options as never));
      expect([error.code, error.details["field"]]).toEqual(["VALIDATION_ERROR", field]);
    }
    expect(prover.calls).toHaveLength(0);
    expect(api.getQueueStats()).toMatchObject({ queued: 0, processing: 0 });
    // Refused requests with an invalid id leave no id in the audit trail; valid ones leave the canonical form only.
    expect(events.every((e) => e.type === "rejected" && !("userId" in e))).toBe(true);
    expect(api.getAuditLog().every((entry) => JSON.stringify(entry).length < 1024)).toBe(true);
    await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: "  0x000AbC", priority: 7 as never }));
    expect(events.at(-1)).toMatchObject({ type: "rejected", userId: "0xabc" });
  });
});
