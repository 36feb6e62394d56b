import { describe, expect, it } from "vitest";
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import { CancelledError, IntegrityError, ProofError, createProofError } from "../../../src/lib/proof/core/errors.js";
import type { ProofErrorCode } from "../../../src/lib/proof/core/errors.js";
import { DEFAULT_RETRY_POLICY, resolveRetryPolicy, retryDelay, runWithRetry, shouldRetry } from "../../../src/lib/proof/core/retry-policy.js";
import type { RetryEvent } from "../../../src/lib/proof/core/retry-policy.js";

/** Manual clock: timers fire only when the test advances time. Records every requested delay. */
class FakeClock implements Clock {
  t = 0;
  readonly requested: number[] = [];
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  now = () => this.t;
  wallNow = () => 1_700_000_000_000 + this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.requested.push(ms);
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.#timers.delete(handle as number);
  };
  get pending(): number {
    return this.#timers.size;
  }
  /** Advance to the earliest timer and fire it; returns false when none. */
  async fireNext(): Promise<boolean> {
    const entries = [...this.#timers.entries()].sort((a, b) => a[1].at - b[1].at);
    const first = entries[0];
    if (!first) return false;
    this.#timers.delete(first[0]);
    this.t = first[1].at;
    first[1].fn();
    await flush();
    return true;
  }
}

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** Drive a retry run to completion by firing timers as they are requested. */
async function drive<T>(clock: FakeClock, promise: Promise<T>): Promise<T> {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => undefined);
  await flush();
  while (!settled && (await clock.fireNext()));
  return tracked;
}

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

describe("runWithRetry", () => {
  it("retries a retryable failure with exact delays and reports attempt numbers", async () => {
    const clock = new FakeClock();
    const seen: number[] = [];
    const retries: RetryEvent[] = [];
    const run = runWithRetry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new TypeError("fetch failed");
        return "zkey-bytes";
      },
      { clock, random: () => 0.5, onRetry: (e) => retries.push(e) },
    );
    const result = await drive(clock, run);
    expect(result).toEqual({ value: "zkey-bytes", attempts: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.requested).toEqual([125, 250]);
    expect(clock.t).toBe(375);
    expect(retries.map((r) => [r.attempt, r.delayMs, r.error.code])).toEqual([
      [2, 125, "NETWORK_ERROR"],
      [3, 250, "NETWORK_ERROR"],
    ]);
  });

  it("a first success takes one attempt and no sleep", async () => {
    const clock = new FakeClock();
    const result = await runWithRetry(async () => 42, { clock });
    expect(result).toEqual({ value: 42, attempts: 1 });
    expect(clock.requested).toEqual([]);
  });

  it("caps the delay", async () => {
    const clock = new FakeClock();
    const run = runWithRetry(
      async () => {
        throw failWith("PROVING_FAILED");
      },
      { clock, random: () => 1, policy: resolveRetryPolicy({ attempts: 5, baseMs: 1000, capMs: 3000 }) },
    );
    const err = await drive(clock, run).catch((e: unknown) => e);
    expect(clock.requested).toEqual([1000, 2000, 3000, 3000]);
    expect((err as ProofError).code).toBe("PROVING_FAILED");
    expect((err as ProofError).details["retryAttempts"]).toBe(5);
  });

  it.each(["RESOURCE_EXHAUSTED", "TIMEOUT", "WITNESS_INPUT_INVALID", "ARTIFACT_INTEGRITY", "ARTIFACT_INVALID"] as const)("does not retry %s", async (code) => {
    const clock = new FakeClock();
    let calls = 0;
    const err = await runWithRetry(
      async () => {
        calls++;
        throw failWith(code);
      },
      { clock },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(clock.requested).toEqual([]);
    expect(err).toBeInstanceOf(ProofError);
    expect((err as ProofError).code).toBe(code);
    expect((err as ProofError).details["retryAttempts"]).toBe(1);
  });

  it("keeps the failing layer's own details: the retry count goes under retryAttempts", async () => {
    const loaderError = new IntegrityError("zkey does not match its pin", { details: { artifact: "zkey", attempts: 2 } });
    const err = (await runWithRetry(async () => {
      throw loaderError;
    }).catch((e: unknown) => e)) as ProofError;
    expect(err.details).toMatchObject({ artifact: "zkey", attempts: 2, retryAttempts: 1 });
  });

  it("a malformed zkey behind a correct pin is ARTIFACT_INVALID and not retried", async () => {
    let calls = 0;
    const err = (await runWithRetry(
      async () => {
        calls++;
        throw new TypeError("Cannot read properties of undefined (reading 'set')");
      },
      { context: { circuitId: "ebsl-16", stage: "proving" } },
    ).catch((e: unknown) => e)) as ProofError;
    expect([err.code, calls]).toEqual(["ARTIFACT_INVALID", 1]);
  });

  it("classifies raw errors with the attempt number", async () => {
    const err = (await runWithRetry(
      async () => {
        throw new RangeError("WebAssembly.Memory(): could not allocate memory");
      },
      { context: { circuitId: "ebsl-64", stage: "proving" } },
    ).catch((e: unknown) => e)) as ProofError;
    expect(err.code).toBe("RESOURCE_EXHAUSTED");
    expect(err.details["circuitId"]).toBe("ebsl-64");
    expect(err.details["attempt"]).toBe(1);
  });

  it("abort during the backoff sleep rejects at once with the signal's reason and stops", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let calls = 0;
    const run = runWithRetry(
      async () => {
        calls++;
        throw new TypeError("fetch failed");
      },
      { clock, signal: controller.signal, random: () => 1 },
    );
    const outcome = run.catch((e: unknown) => e);
    await flush();
    expect(calls).toBe(1);
    expect(clock.pending).toBe(1); // sleeping before attempt 2
    const reason = new CancelledError("user left the page");
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(clock.t).toBe(0); // no time had to pass
    expect(clock.pending).toBe(0); // the timer was cleared
    while (await clock.fireNext());
    expect(calls).toBe(1);
  });

  it("an already-aborted signal never calls fn", async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError());
    let calls = 0;
    const err = await runWithRetry(async () => ++calls, { signal: controller.signal }).catch((e: unknown) => e);
    expect(calls).toBe(0);
    expect(err).toBe(controller.signal.reason);
  });

  it("a failure caused by the abort ends with the signal's reason, not a retry", async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let calls = 0;
    const err = await runWithRetry(
      async () => {
        calls++;
        controller.abort();
        throw new TypeError("fetch failed");
      },
      { clock, signal: controller.signal },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect((err as DOMException).name).toBe("AbortError");
    expect(clock.requested).toEqual([]);
  });
});
