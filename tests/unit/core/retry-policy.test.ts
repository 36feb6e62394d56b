import { describe, expect, it } from "vitest";
import { IntegrityError, ProofError, createProofError } from "../../../src/lib/proof/core/errors.js";
import type { ProofErrorCode } from "../../../src/lib/proof/core/errors.js";
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy, retryDecision, retryDelay, shouldRetry } from "../../../src/lib/proof/core/retry-policy.js";

const failWith = (code: ProofErrorCode) => createProofError(code);

describe("retryDelay", () => {
  const policy = resolveRetryPolicy({ attempts: 10, baseMs: 250, capMs: 5000 });

  it("is random() times the capped exponential backoff", () => {
    expect(retryDelay(1, policy, () => 0.5)).toBe(125);
    expect(retryDelay(2, policy, () => 0.5)).toBe(250);
    expect(retryDelay(3, policy, () => 0.5)).toBe(500);
    expect(retryDelay(5, policy, () => 1)).toBe(4000);
    expect(retryDelay(6, policy, () => 1)).toBe(5000); // 250·32 = 8000 → cap
    expect(retryDelay(60, policy, () => 0.25)).toBe(1250);
    expect(retryDelay(2000, policy, () => 1)).toBe(5000); // no overflow to NaN/Infinity
    expect(retryDelay(3, policy, () => 0)).toBe(0);
  });

  it("without jitter is exactly the backoff", () => {
    const none = resolveRetryPolicy({ jitter: "none" });
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => retryDelay(a, none, () => 0.1))).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  });

  it("defaults match the issue and bad policies are rejected with the field", () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ attempts: 3, baseMs: 250, capMs: 5000, jitter: "full" });
    expect(() => resolveRetryPolicy({ attempts: 0 })).toThrow(/attempts = 0/);
    expect(() => resolveRetryPolicy({ baseMs: Number.NaN })).toThrow(/baseMs = NaN/);
  });
});

describe("shouldRetry", () => {
  const policy = resolveRetryPolicy({ attempts: 3 });
  it("retries only retryable codes while attempts are left", () => {
    expect(shouldRetry(failWith("NETWORK_ERROR"), 1, policy)).toBe(true);
    expect(shouldRetry(failWith("PROVING_FAILED"), 2, policy)).toBe(true);
    expect(shouldRetry(failWith("PROVING_FAILED"), 3, policy)).toBe(false);
    for (const code of ["RESOURCE_EXHAUSTED", "WORKER_CRASHED", "TIMEOUT", "WITNESS_CONSTRAINT_FAILED", "CANCELLED", "ARTIFACT_INTEGRITY"] as const) {
      expect(shouldRetry(failWith(code), 1, policy), code).toBe(false);
    }
  });
});

describe("retryDecision", () => {
  it("retries a retryable failure with exact delays, then stops with the attempts counted", () => {
    const fetchFailed = () => new TypeError("fetch failed");
    const decisions = [1, 2, 3].map((attempt) => retryDecision(fetchFailed(), attempt, { random: () => 0.5 }));
    expect(decisions.map((d) => [d.retry, d.retry ? d.delayMs : undefined, d.error.code])).toEqual([
      [true, 125, "NETWORK_ERROR"],
      [true, 250, "NETWORK_ERROR"],
      [false, undefined, "NETWORK_ERROR"],
    ]);
    expect(decisions[2]!.error.details["retryAttempts"]).toBe(3);
  });

  it("caps the delay", () => {
    const policy = resolveRetryPolicy({ attempts: 5, baseMs: 1000, capMs: 3000 });
    const decisions = [1, 2, 3, 4, 5].map((attempt) => retryDecision(failWith("PROVING_FAILED"), attempt, { random: () => 1, policy }));
    expect(decisions.map((d) => (d.retry ? d.delayMs : "stop"))).toEqual([1000, 2000, 3000, 3000, "stop"]);
    expect(decisions[4]!.error.code).toBe("PROVING_FAILED");
    expect(decisions[4]!.error.details["retryAttempts"]).toBe(5);
  });

  it.each(["RESOURCE_EXHAUSTED", "TIMEOUT", "WITNESS_INPUT_INVALID", "ARTIFACT_INTEGRITY", "ARTIFACT_INVALID"] as const)("does not retry %s", (code) => {
    const decision = retryDecision(failWith(code), 1);
    expect(decision.retry).toBe(false);
    expect(decision.error).toBeInstanceOf(ProofError);
    expect(decision.error.code).toBe(code);
    expect(decision.error.details["retryAttempts"]).toBe(1);
  });

  it("keeps the failing layer's own details: the retry count goes under retryAttempts", () => {
    const loaderError = new IntegrityError("zkey does not match its pin", { details: { artifact: "zkey", attempts: 2 } });
    expect(retryDecision(loaderError, 1).error.details).toMatchObject({ artifact: "zkey", attempts: 2, retryAttempts: 1 });
  });

  it("a malformed zkey behind a correct pin is ARTIFACT_INVALID and not retried", () => {
    const decision = retryDecision(new TypeError("Cannot read properties of undefined (reading 'set')"), 1, { context: { circuitId: "ebsl-16", stage: "proving" } });
    expect([decision.error.code, decision.retry]).toEqual(["ARTIFACT_INVALID", false]);
  });

  it("classifies raw errors with the attempt number", () => {
    const { error } = retryDecision(new RangeError("WebAssembly.Memory(): could not allocate memory"), 1, { context: { circuitId: "ebsl-64", stage: "proving" } });
    expect(error.code).toBe("RESOURCE_EXHAUSTED");
    expect(error.details["circuitId"]).toBe("ebsl-64");
    expect(error.details["attempt"]).toBe(1);
  });
});
