/** Rate limit and allow/block lists through the facade: typed errors before anything is queued. */
import { describe, expect, it } from "vitest";
import { AccessDeniedError, ProofError, RateLimitError } from "../../../src/lib/proof/errors.js";
import { createProofAPI } from "../../../src/lib/proof/pipeline/proof-api.js";
import type { ProofAPIOptions } from "../../../src/lib/proof/pipeline/options.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestations } from "./fakes.js";
import { rejection } from "../../support/rejection.js";

function setup(extra: Partial<ProofAPIOptions> = {}) {
  const prover = new FakeProver();
  const clock = new AutoClock();
  let n = 0;
  // cache off: every admitted request reaches the prover, so "nothing queued" is observable.
  const api = createProofAPI({ prover, circuits: CIRCUITS, clock, concurrency: 1, generateId: () => `r${++n}`, cache: false, ...extra });
  return { api, prover, clock };
}


describe("rate limit", () => {
  it("defaults to 10 per hour per user (sliding window) with a typed error carrying retryAfterMs; nothing queued", async () => {
    const { api, prover, clock } = setup();
    for (let i = 0; i < 10; i++) {
      await api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xAbC" });
      clock.t += 60_000;
    }
    const denied = api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xabc" }); // same user, other case
    const error = await rejection(denied);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.code).toBe("RATE_LIMITED");
    // The first of the 10 was at t0; now is t0 + 10 min, so a slot frees in 50 min.
    expect(error.details["retryAfterMs"]).toBe(3_600_000 - 600_000);
    expect(prover.calls).toHaveLength(10);
    expect(api.getQueueStats()).toMatchObject({ queued: 0, processing: 0 });
    expect(api.getRequestStatus(denied.requestId)).toBeUndefined();
    // Another user and anonymous requests are not affected.
    await api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xdef" });
    await api.requestProof(attestations(2), "exact", { now: NOW });
    clock.t += error.details["retryAfterMs"] as number;
    await api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xabc" });
    expect(prover.calls).toHaveLength(13);
  });

  it("is configurable and can be turned off", async () => {
    const limited = setup({ rateLimit: { max: 1, windowMs: 1000 } });
    await limited.api.requestProof(attestations(2), "exact", { now: NOW, userId: "u" });
    const e = await rejection(limited.api.requestProof(attestations(2), "exact", { now: NOW, userId: "u" }));
    expect(e.details["retryAfterMs"]).toBe(1000);
    const open = setup({ rateLimit: false });
    for (let i = 0; i < 12; i++) await open.api.requestProof(attestations(2), "exact", { now: NOW, userId: "u" });
    expect(open.prover.calls).toHaveLength(12);
  });
});

describe("allow and block lists", () => {
  it("block list wins; a non-empty allow list admits only its members and no anonymous caller", async () => {
    const { api, prover } = setup({ allowList: ["0xAAA", "0xbbb"], blockList: ["0xbbb"] });
    const blocked = await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xBBB" }));
    expect(blocked).toBeInstanceOf(AccessDeniedError);
    expect(blocked.details["reason"]).toBe("blocked");
    expect((await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xccc" }))).details["reason"]).toBe("not-allowed");
    expect((await rejection(api.requestProof(attestations(2), "exact", { now: NOW }))).details["reason"]).toBe("anonymous");
    expect(prover.calls).toHaveLength(0);
    await api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xaaa" });
    expect(prover.calls).toHaveLength(1);
  });

  it("rejects bad options with a ValidationError naming the option", () => {
    expect(() => setup({ rateLimit: { max: 0 } })).toThrow(/rateLimit\.max/);
    expect(() => setup({ blockList: [""] })).toThrow(/blockList\[0\]/);
    expect(() => setup({ cache: { ttlMs: -1 } })).toThrow(/cache\.ttlMs/);
    expect(() => setup({ telemetry: {} as never })).toThrow(/telemetry/);
  });
});
