import { describe, expect, it } from "vitest";
import { ProofError, RateLimitError, ValidationError } from "../../../src/lib/proof/core/errors.js";
import { RateLimiter } from "../../../src/lib/proof/admission/rate-limiter.js";
import { resolveTrustOptions } from "../../../src/lib/proof/client/trust-options.js";
import { fakeClock } from "../cache/trust-fixtures.js";

function retryAfter(fn: () => void): number {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as ProofError).code).toBe("RATE_LIMITED");
    return (error as ProofError).details.retryAfterMs as number;
  }
  throw new Error("expected RATE_LIMITED");
}

describe("RateLimiter", () => {
  it("defaults to 10 per hour", () => {
    const limiter = new RateLimiter({ limit: 10, windowMs: 3_600_000, clock: fakeClock() });
    expect([limiter.limit, limiter.windowMs]).toEqual([10, 3_600_000]);
  });

  it("admits `limit` events per window and gives the exact retry-after", () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ limit: 3, windowMs: 1000, clock });
    limiter.checkAndRecord("alice"); // t=0
    clock.advance(100);
    limiter.checkAndRecord("alice"); // t=100
    clock.advance(200);
    limiter.checkAndRecord("alice"); // t=300
    clock.advance(50); // t=350
    expect(limiter.remaining("alice")).toBe(0);
    expect(retryAfter(() => limiter.checkAndRecord("alice"))).toBe(650); // the t=0 event leaves at 1000
    expect(() => limiter.check("bob")).not.toThrow();
    clock.advance(649); // t=999: still counted
    expect(retryAfter(() => limiter.check("alice"))).toBe(1);
    clock.advance(1); // t=1000: the first event left the window
    expect(() => limiter.checkAndRecord("alice")).not.toThrow();
    expect(retryAfter(() => limiter.check("alice"))).toBe(100); // now the t=100 event is oldest
  });

  it("a denied check records nothing", () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ limit: 1, windowMs: 1000, clock });
    limiter.checkAndRecord("u");
    for (let i = 0; i < 5; i++) {
      clock.advance(100);
      expect(() => limiter.checkAndRecord("u")).toThrow(RateLimitError);
    }
    clock.advance(500); // t=1000
    expect(() => limiter.checkAndRecord("u")).not.toThrow();
  });

  it("retry-after is exact when record() went past the limit", () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ limit: 2, windowMs: 1000, clock });
    for (const t of [0, 10, 20, 30]) {
      clock.advance(t - clock.now());
      limiter.record("u");
    }
    // 4 events counted in the window; a check passes only once fewer than 2 remain: when t=20 leaves.
    expect(retryAfter(() => limiter.check("u"))).toBe(1020 - 30);
  });

  it("treats 0x addresses case-insensitively", () => {
    const limiter = new RateLimiter({ limit: 1, windowMs: 3_600_000, clock: fakeClock() });
    limiter.checkAndRecord("0xAbCdEf");
    expect(() => limiter.check("0xabcdef")).toThrow(RateLimitError);
    limiter.checkAndRecord("Alice");
    expect(() => limiter.check("alice")).not.toThrow();
  });

  it("forgets users whose window emptied (bounded memory)", () => {
    const clock = fakeClock(0);
    const limiter = new RateLimiter({ limit: 5, windowMs: 1000, clock, sweepEvery: 10 });
    for (let i = 0; i < 100; i++) limiter.record(`user-${i}`);
    expect(limiter.trackedUsers).toBe(100);
    clock.advance(1000);
    limiter.prune();
    expect(limiter.trackedUsers).toBe(0);
    for (let i = 0; i < 100; i++) limiter.record(`other-${i}`);
    clock.advance(1000);
    for (let i = 0; i < 10; i++) limiter.check("fresh"); // triggers the periodic sweep
    expect(limiter.trackedUsers).toBe(0);
  });

  it("its options are validated where the caller hands them in (the facade's rateLimit), echoing the bad value", () => {
    expect(() => resolveTrustOptions({ rateLimit: { max: 0 } })).toThrow(ValidationError);
    expect(() => resolveTrustOptions({ rateLimit: { windowMs: 1.5 } })).toThrow(/1\.5/);
  });
});
