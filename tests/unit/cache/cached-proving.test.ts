/**
 * The proof cache through the facade (fake prover whose `verify` accepts exactly the pairs it
 * issued): verification failures never returned nor cached, hits and hit rate, in-flight
 * sharing with independent cancellation, tampered entries detected and reproved, and
 * re-randomised hits.
 */
import { describe, expect, it } from "vitest";
import { ProofError, TimeoutError } from "../../../src/lib/proof/core/errors.js";
import { createProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import type { ProofAPIOptions } from "../../../src/lib/proof/client/options.js";
import type { ProofLifecycleEvent } from "../../../src/lib/proof/request/lifecycle-events.js";
import { createMemoryCacheBackend } from "../../../src/lib/proof/cache/cache-backend.js";
import { resultHash } from "../../../src/lib/proof/core/content-hash.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestations, settle } from "../client/fakes.js";
import { rejection } from "../../support/rejection.js";

function setup(extra: Partial<ProofAPIOptions> = {}, prover = new FakeProver()) {
  const clock = new AutoClock();
  let n = 0;
  const api = createProofAPI({ prover, circuits: CIRCUITS, clock, random: () => 0.5, yieldToHost: noYield, concurrency: 2, generateId: () => `r${++n}`, retry: { attempts: 1 }, ...extra });
  const events: ProofLifecycleEvent[] = [];
  api.subscribe((e) => events.push(e));
  return { api, prover, clock, events };
}


const opts = { now: NOW };

describe("verification before return and before caching", () => {
  it("a tampered public signal or an unverified proof is a typed error, never returned, never cached", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["tamper", "unverified"];
    expect((await rejection(api.requestProof(attestations(2), "exact", opts))).code).toBe("PUBLIC_SIGNAL_MISMATCH");
    expect((await rejection(api.requestProof(attestations(2), "exact", opts))).code).toBe("VERIFICATION_FAILED");
    expect(api.getCacheStats()).toMatchObject({ size: 0, hits: 0 });
    const ok = await api.requestProof(attestations(2), "exact", opts);
    expect(ok.cached).toBe(false);
    expect(prover.calls).toHaveLength(3);
    expect(await prover.verify("ebsl-16", ok.proof, [...ok.publicSignals])).toBe(true);
  });
});

describe("proof cache", () => {
  it("a repeated request is a memory hit (no second verification), with a real hit rate and cached timings", async () => {
    const { api, prover, events } = setup();
    const first = await api.requestProof(attestations(3), "exact", opts);
    const verifiesBefore = prover.verifyCalls;
    const second = await api.requestProof(attestations(3), "exact", opts);
    const other = await api.requestProof(attestations(4), "exact", opts);
    expect(prover.calls).toHaveLength(2);
    // Verified by the prover before it entered the cache: a memory hit calls no verifier.
    expect(prover.verifyCalls).toBe(verifiesBefore);
    expect(first).toMatchObject({ cached: false });
    expect(second).toMatchObject({ cached: true, cacheSource: "hit", attempts: 1, hash: first.hash, publicSignals: first.publicSignals });
    expect(second.timings).toMatchObject({ witnessMs: 0, proveMs: 0, artifactsMs: 0 });
    expect(other.cached).toBe(false);
    expect(api.getCacheStats()).toMatchObject({ hits: 1, misses: 2, size: 2, tampered: 0 });
    expect(api.getCacheStats().hitRate).toBeCloseTo(1 / 3, 10);
    expect(events.filter((e) => e.type === "completed").map((e) => (e as { cached?: string }).cached)).toEqual([undefined, "hit", undefined]);
    await api.clearCache();
    await api.requestProof(attestations(3), "exact", opts);
    expect(prover.calls).toHaveLength(3);
  });

  it("keys ignore userId and property order but not the statement (threshold, now, proof type)", async () => {
    const { api, prover } = setup();
    await api.requestProof(attestations(2), "exact", { ...opts, userId: "0xa" });
    await api.requestProof(attestations(2), "exact", { ...opts, userId: "0xb" });
    expect(prover.calls).toHaveLength(1);
    await api.requestProof(attestations(2), "threshold", opts);
    await api.requestProof(attestations(2), "threshold", { ...opts, threshold: 500_000 });
    await api.requestProof(attestations(2), "exact", { now: NOW + 1 });
    expect(prover.calls).toHaveLength(4);
  });

  it("cache: false proves every time", async () => {
    const { api, prover } = setup({ cache: false });
    await api.requestProof(attestations(2), "exact", opts);
    await api.requestProof(attestations(2), "exact", opts);
    expect(prover.calls).toHaveLength(2);
    expect(api.getCacheStats()).toMatchObject({ hits: 0, misses: 0, hitRate: 0 });
  });

  it("two identical concurrent requests share ONE prove call", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const a = api.requestProof(attestations(3), "exact", opts);
    const b = api.requestProof(attestations(3), "exact", opts);
    await settle();
    expect(prover.calls).toHaveLength(1);
    prover.calls[0]!.release();
    const [ra, rb] = await Promise.all([a, b]);
    expect(prover.calls).toHaveLength(1);
    expect(ra.cached).toBe(false);
    expect(rb).toMatchObject({ cached: true, cacheSource: "joined", publicSignals: ra.publicSignals });
    expect(rb.timings.proveMs).toBe(ra.timings.proveMs);
    expect(api.getCacheStats()).toMatchObject({ inflightJoins: 1, misses: 1, hits: 0 });
  });

  it("one caller cancelling does not cancel the other; the shared job stops only when all cancelled", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold", "hold"];
    const a = api.requestProof(attestations(3), "exact", opts);
    const b = api.requestProof(attestations(3), "exact", opts);
    await settle();
    expect(prover.calls).toHaveLength(1);
    api.cancelProof(a.requestId);
    expect((await rejection(a)).code).toBe("CANCELLED");
    expect(prover.calls[0]!.options.signal?.aborted).toBe(false);
    prover.calls[0]!.release();
    expect((await b).cached).toBe(true);

    const c = api.requestProof(attestations(5), "exact", opts);
    const d = api.requestProof(attestations(5), "exact", opts);
    await settle();
    expect(prover.calls).toHaveLength(2);
    api.cancelProof(c.requestId);
    await rejection(c);
    expect(prover.calls[1]!.options.signal?.aborted).toBe(false);
    api.cancelProof(d.requestId);
    expect((await rejection(d)).code).toBe("CANCELLED");
    expect(prover.calls[1]!.options.signal?.aborted).toBe(true);
    expect(api.getCacheStats()).toMatchObject({ inflight: 0 });
  });

  it("a tampered entry (bad hash; or valid hash over a forged proof) is dropped, counted and reproved", async () => {
    const backend = createMemoryCacheBackend();
    const first = setup({ cache: { persist: backend } });
    const original = await first.api.requestProof(attestations(3), "exact", opts);
    await settle();
    expect(backend.data.size).toBe(1);
    const [key] = [...backend.data.keys()];
    expect(key).toMatch(/^[0-9a-f]{64}$/); // a salted digest: no plaintext input in keys
    expect(JSON.stringify([...backend.data.values()])).not.toContain("0x1");

    // 1. An edited public signal without fixing the hash: caught by the hash when loaded.
    const entry = backend.data.get(key!) as { publicSignals: string[]; proof: { pi_c: string[] }; circuitId: string; hash: string };
    backend.data.set(key!, { ...entry, publicSignals: ["1", ...entry.publicSignals.slice(1)] });
    const second = setup({ cache: { persist: backend } }, first.prover);
    const reproved = await second.api.requestProof(attestations(3), "exact", opts);
    expect(reproved.cached).toBe(false);
    expect(reproved.publicSignals).toEqual(original.publicSignals);
    expect(second.api.getCacheStats()).toMatchObject({ tampered: 1, hits: 0, misses: 1 });
    expect(first.prover.calls).toHaveLength(2);

    // 2. A forged proof with a recomputed hash: the hash passes, verification in the prover does not.
    await settle();
    const stored = backend.data.get(key!) as typeof entry;
    const forgedProof = { ...stored.proof, pi_c: ["9", "9", "1"] };
    backend.data.set(key!, { ...stored, proof: forgedProof, hash: resultHash(stored.circuitId, forgedProof as never, stored.publicSignals) });
    const third = setup({ cache: { persist: backend } }, first.prover);
    const again = await third.api.requestProof(attestations(3), "exact", opts);
    expect(again.cached).toBe(false);
    expect(again.proof.pi_c).not.toEqual(["9", "9", "1"]);
    expect(third.api.getCacheStats()).toMatchObject({ tampered: 1, hits: 0, misses: 1 });
    expect(first.prover.calls).toHaveLength(3);

    // 3. Untampered: a hit across "visits".
    await settle();
    const fourth = setup({ cache: { persist: backend } }, first.prover);
    expect((await fourth.api.requestProof(attestations(3), "exact", opts)).cached).toBe(true);
    expect(first.prover.calls).toHaveLength(3);
  });

  it("a memory hit needs neither a worker nor a verification; the registry hashes run in short steps", async () => {
    let yields = 0;
    const { api, prover } = setup({ yieldToHost: async () => void yields++ });
    await api.requestProof(attestations(20), "exact", opts);
    const fresh = yields;
    const hit = await api.requestProof(attestations(20), "exact", opts);
    expect(hit.cacheSource).toBe("hit");
    expect(prover.calls).toHaveLength(1);
    expect(prover.verifyCalls).toBe(0);
    // The same input is rebuilt (its root is part of the key) in short steps; the path from its
    // entry to the root is remembered, so it takes no more steps than the first time.
    expect(yields - fresh).toBeGreaterThan(0);
    expect(yields - fresh).toBeLessThanOrEqual(fresh);
  });

  it("a stored entry whose verification cannot run (timeout) is kept and not counted as tampered", async () => {
    const backend = createMemoryCacheBackend();
    const first = setup({ cache: { persist: backend } });
    await first.api.requestProof(attestations(3), "exact", opts);
    await settle();
    const flaky = new FakeProver();
    flaky.verify = async () => {
      throw new TimeoutError();
    };
    const second = setup({ cache: { persist: backend } }, flaky);
    const result = await second.api.requestProof(attestations(3), "exact", opts);
    expect(result.cached).toBe(false);
    expect(second.api.getCacheStats()).toMatchObject({ tampered: 0, size: 1 });
  });

  it("a stored entry whose read-back check was cancelled is verified again on its next hit", async () => {
    const backend = createMemoryCacheBackend();
    const first = setup({ cache: { persist: backend } });
    await first.api.requestProof(attestations(3), "exact", opts);
    await settle();
    const verifies = first.prover.verifyCalls;
    const verify = first.prover.verify.bind(first.prover);
    let hold = true;
    let entered = 0;
    first.prover.verify = async (...args: Parameters<typeof verify>) => {
      entered++;
      if (hold) return new Promise<boolean>(() => undefined);
      return verify(...args);
    };
    const second = setup({ cache: { persist: backend } }, first.prover);
    const cancelled = second.api.requestProof(attestations(3), "exact", opts);
    while (entered === 0) await settle();
    second.api.cancelProof(cancelled.requestId); // while the entry read back from storage is being verified
    expect((await rejection(cancelled)).code).toBe("CANCELLED");
    hold = false;
    const hit = await second.api.requestProof(attestations(3), "exact", opts);
    expect(hit.cacheSource).toBe("hit");
    expect(first.prover.verifyCalls).toBe(verifies + 1); // not trusted as a memory entry: verified on this hit
  });

  it("rerandomize: hits and joins get distinct proofs that verify, with their own hash", async () => {
    const { api, prover } = setup({ cache: { rerandomize: true } });
    const first = await api.requestProof(attestations(3), "exact", opts);
    const second = await api.requestProof(attestations(3), "exact", opts);
    const third = await api.requestProof(attestations(3), "exact", opts);
    expect(prover.calls).toHaveLength(1);
    expect(prover.rerandomizeCalls).toBe(2);
    const proofs = new Set([first, second, third].map((r) => JSON.stringify(r.proof)));
    expect(proofs.size).toBe(3);
    expect(new Set([first.hash, second.hash, third.hash]).size).toBe(3);
    expect(second.hash).toBe(resultHash(second.circuitId, second.proof, second.publicSignals));
    for (const r of [first, second, third]) expect(await prover.verify(r.circuitId, r.proof, [...r.publicSignals])).toBe(true);
  });
});
