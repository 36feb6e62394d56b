import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { AuditLog, auditEntryHash, GENESIS_HASH, verifyAuditChain, type AuditEntry, type AuditEvent } from "../../../src/lib/proof/observability/audit-log.js";
import { fakeClock } from "../cache/trust-fixtures.js";
import { resolveTrustOptions } from "../../../src/lib/proof/client/trust-options.js";

function filled(n: number, maxEntries = 1000): AuditLog {
  const clock = fakeClock();
  const log = new AuditLog({ clock, maxEntries });
  const types = ["request", "result", "cache_hit", "denied", "failure", "cancelled"] as const;
  for (let i = 0; i < n; i++) {
    clock.advance(10);
    const type = types[i % types.length]!;
    log.append({ type, requestId: `req-${i}`, userId: "0xabc", circuitId: "ebsl-16", ...(type === "failure" ? { code: "TIMEOUT" as const, durationMs: 1234 } : {}) });
  }
  return log;
}

/** Recompute a consistent hash for an edited entry (what a naive forger would do). */
function rehash(entry: AuditEntry): AuditEntry {
  const { hash: _, ...rest } = entry;
  return { ...rest, hash: auditEntryHash(rest) };
}

describe("AuditLog", () => {
  it("chains entries from the genesis hash with consecutive seq and wall time", () => {
    const log = filled(3);
    const [a, b, c] = log.entries();
    expect(a!.seq).toBe(1);
    expect(a!.prevHash).toBe(GENESIS_HASH);
    expect(b!.prevHash).toBe(a!.hash);
    expect(c!.prevHash).toBe(b!.hash);
    expect(c!.seq).toBe(3);
    expect(b!.at - a!.at).toBe(10);
    expect(log.verify()).toEqual({ ok: true });
    expect(log.head()).toEqual({ seq: 3, hash: c!.hash });
  });

  it("detects an edited entry", () => {
    const entries = filled(5).entries();
    entries[2] = { ...entries[2]!, circuitId: "ebsl-64" };
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 3, reason: "edited" });
  });

  it("detects a removed entry as a gap", () => {
    const entries = filled(5).entries();
    entries.splice(2, 1);
    expect(verifyAuditChain(entries)).toEqual({ ok: false, seq: 4, reason: "gap" });
  });

  it("detects a reordered entry, and a rehashed edit by its broken link", () => {
    const entries = filled(5).entries();
    const swapped = [entries[0]!, entries[2]!, entries[1]!, entries[3]!, entries[4]!];
    expect(verifyAuditChain(swapped)).toMatchObject({ ok: false, seq: 3 });
    const forged = [...entries];
    forged[1] = rehash({ ...entries[1]!, userId: "someone-else" });
    expect(verifyAuditChain(forged)).toEqual({ ok: false, seq: 3, reason: "broken-link" });
  });

  it("drops the oldest beyond maxEntries and stays verifiable from the anchor", () => {
    const log = filled(12, 5);
    const entries = log.entries();
    expect(entries.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12]);
    expect(log.anchor().seq).toBe(7);
    expect(log.anchor().hash).toBe(entries[0]!.prevHash);
    expect(log.verify()).toEqual({ ok: true });
    // Without the anchor the truncated chain does not verify from genesis.
    expect(verifyAuditChain(entries).ok).toBe(false);
    expect(resolveTrustOptions({}).auditMaxEntries).toBe(1000);
  });

  it("stores only whitelisted fields and returns copies", () => {
    const log = new AuditLog({ clock: fakeClock(), maxEntries: 1000 });
    const sneaky = { type: "request", requestId: "r1", attestations: [{ source: "0xsecret" }], input: { x: "424242" } } as unknown as AuditEvent;
    const entry = log.append(sneaky);
    expect(Object.keys(entry).sort()).toEqual(["at", "hash", "prevHash", "requestId", "seq", "type"]);
    expect(JSON.stringify(log.entries())).not.toMatch(/secret|424242/);
    const copy = log.entries()[0]!;
    (copy as { requestId: string }).requestId = "changed";
    expect(log.entries()[0]!.requestId).toBe("r1");
    expect(log.verify()).toEqual({ ok: true });
  });

  it("rejects malformed events", () => {
    const log = new AuditLog({ maxEntries: 1000 });
    expect(() => log.append({ type: "oops", requestId: "r" } as unknown as AuditEvent)).toThrow(ValidationError);
    expect(() => log.append({ type: "failure", requestId: "r", code: "NOPE" } as unknown as AuditEvent)).toThrow(/code/);
    expect(() => log.append({ type: "result", requestId: "r", durationMs: -1 })).toThrow(/durationMs/);
    expect(() => log.append({ type: "result", requestId: "" })).toThrow(/requestId/);
    expect(log.size).toBe(0);
  });

  it("is a store: subscribers get the current entries now and after each append", () => {
    const log = new AuditLog({ clock: fakeClock(), maxEntries: 1000 });
    const seen: number[] = [];
    const stop = log.subscribe((entries) => seen.push(entries.length));
    log.append({ type: "request", requestId: "a" });
    log.append({ type: "result", requestId: "a", durationMs: 5 });
    stop();
    log.append({ type: "request", requestId: "b" });
    expect(seen).toEqual([0, 1, 2]);
  });
});
