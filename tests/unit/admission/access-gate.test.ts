/** The allow/block lists, and the rate limit and lists through the facade: typed errors before anything is queued. */
import { describe, expect, it } from "vitest";
import { AccessDeniedError, ProofError, RateLimitError } from "../../../src/lib/proof/core/errors.js";
import { AccessList } from "../../../src/lib/proof/admission/access-gate.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import { createProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import type { ProofAPIOptions } from "../../../src/lib/proof/client/options.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestations, settle } from "../client/fakes.js";
import { rejection } from "../../support/rejection.js";

function setup(extra: Partial<ProofAPIOptions> = {}) {
  const prover = new FakeProver();
  const clock = new AutoClock();
  let n = 0;
  // cache off: every admitted request reaches the prover, so "nothing queued" is observable.
  const api = createProofAPI({ prover, circuits: CIRCUITS, clock, concurrency: 1, generateId: () => `r${++n}`, cache: false, yieldToHost: noYield, ...extra });
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

describe("admission counts only admitted requests", () => {
  it("a QUEUE_FULL refusal does not use up the user's rate limit", async () => {
    const { api, prover } = setup({ rateLimit: { max: 1, windowMs: 3_600_000 }, maxQueued: 1 });
    prover.outcomes["ebsl-16"] = ["hold"];
    const running = api.requestProof(attestations(1), "exact", { now: NOW });
    await settle();
    const queued = api.requestProof(attestations(2), "exact", { now: NOW });
    expect((await rejection(api.requestProof(attestations(3), "exact", { now: NOW, userId: "u" }))).code).toBe("QUEUE_FULL");
    prover.calls[0]!.release();
    await Promise.all([running, queued]);
    // The refused request did not count: the user's one request of the window is still free.
    await api.requestProof(attestations(3), "exact", { now: NOW, userId: "u" });
    expect((await rejection(api.requestProof(attestations(4), "exact", { now: NOW, userId: "u" }))).code).toBe("RATE_LIMITED");
  });
});

describe("user ids are canonical everywhere (lists, rate limit, audit)", () => {
  it.each([
    ["a zero-padded hex spelling", "0x000abcde"],
    ["an upper-case prefix and digits", "0XABCDE"],
    ["surrounding whitespace", "  0xabcde\n"],
    ["fullwidth characters", "\uff10\uff58\uff41\uff42\uff43\uff44\uff45"],
  ])("a blocked id stays blocked when given as %s", async (_, spelling) => {
    const { api, prover } = setup({ blockList: ["0xABCDE"] });
    const error = await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: spelling }));
    expect(error.details["reason"]).toBe("blocked");
    expect(prover.calls).toHaveLength(0);
  });

  it("invisible variants are refused instead of getting fresh rate-limit buckets; the audit keeps the canonical id", async () => {
    const { api } = setup({ rateLimit: { max: 1, windowMs: 3_600_000 } });
    await api.requestProof(attestations(2), "exact", { now: NOW, userId: "0x00AbC" });
    for (const variant of ["0xabc\u200b", "\u200d0xabc", "0x\u2060abc"]) {
      expect((await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: variant }))).details["field"]).toBe("userId");
    }
    expect((await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: "\uff10\uff58\uff41\uff42\uff43" }))).code).toBe("RATE_LIMITED");
    const ids = api.getAuditLog().map((e) => (e as { userId?: string }).userId).filter((id) => id !== undefined);
    expect(new Set(ids)).toEqual(new Set(["0xabc"]));
  });

  it("refused requests with huge ids store nothing of them (ids are bounded at 256 characters)", async () => {
    const { api } = setup();
    const huge = "u".repeat(2 * 1024 * 1024);
    for (let i = 0; i < 5; i++) expect((await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: huge }))).details["field"]).toBe("userId");
    expect(JSON.stringify(api.getAuditLog()).length).toBeLessThan(10_000);
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
    expect(() => setup({ allowList: ["ok", "bad\u200b"] })).toThrow(/allowList\[1\]/);
    expect(() => setup({ cache: { ttlMs: -1 } })).toThrow(/cache\.ttlMs/);
    expect(() => setup({ telemetry: {} as never })).toThrow(/telemetry/);
  });
});

function reason(list: AccessList, id: string | undefined): unknown {
  try {
    list.check(id);
    return "ok";
  } catch (error) {
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect((error as ProofError).code).toBe("ACCESS_DENIED");
    return (error as ProofError).details.reason;
  }
}

describe("AccessList", () => {
  it("admits everyone when both lists are empty", () => {
    const list = new AccessList();
    expect(reason(list, "anyone")).toBe("ok");
    expect(reason(list, undefined)).toBe("ok");
  });

  it("always denies blocked users, even when allowed", () => {
    const list = new AccessList({ allow: ["0xAA"], block: ["0xaa", "mallory"] });
    expect(reason(list, "0xAa")).toBe("blocked");
    expect(reason(list, "mallory")).toBe("blocked");
  });

  it("a non-empty allow list admits only its members", () => {
    const list = new AccessList({ allow: ["0xAbC", "alice"] });
    expect(reason(list, "0xabc")).toBe("ok");
    expect(reason(list, "0XABC")).toBe("ok");
    expect(reason(list, "alice")).toBe("ok");
    expect(reason(list, "Alice")).toBe("not-allowed"); // non-hex ids compare exactly
    expect(reason(list, undefined)).toBe("anonymous");
  });

  it("can be changed at run time", () => {
    const list = new AccessList();
    list.block("0xDEAD");
    expect(reason(list, "0xdead")).toBe("blocked");
    list.unblock("0xdead");
    list.allow("bob");
    expect(reason(list, "0xdead")).toBe("not-allowed");
    list.disallow("bob");
    expect(reason(list, "0xdead")).toBe("ok");
    expect(list.snapshot()).toEqual({ allow: [], block: [] });
  });
});
