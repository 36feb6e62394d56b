import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import { canonicalInputJson } from "../../../src/lib/proof/engine/canonical-input.js";
import type { Groth16Proof } from "../../../src/lib/proof/engine/types.js";
import { ProvingError } from "../../../src/lib/proof/core/errors.js";
import { createMemoryCacheBackend, type CachedProof } from "../../../src/lib/proof/cache/cache-backend.js";
import { createIdbCacheBackend } from "../../../src/lib/proof/cache/idb-cache-backend.js";
import { cacheKey, ProofCache, type StoreStats, type ComputedProof } from "../../../src/lib/proof/cache/proof-cache.js";
import { resultHash } from "../../../src/lib/proof/core/content-hash.js";
import { fakeClock, PROOF, seededRandom, SIGNALS } from "./trust-fixtures.js";
import { resolveTrustOptions } from "../../../src/lib/proof/client/trust-options.js";

/** Resolved limits, as the facade hands them to the cache. */
const LIMITS = { max: 50, ttlMs: 3_600_000 } as const;

const INPUT = canonicalInputJson({ secret: 424242n, subject: 7n });

function computed(n = 1): ComputedProof<{ score: number }> {
  return { circuitId: "c1", proof: { ...PROOF, pi_a: [String(n), "2", "1"] }, publicSignals: SIGNALS, result: { score: n } };
}

/** A compute that resolves when told, counting calls. */
function deferredCompute() {
  let calls = 0;
  let release!: (v: ComputedProof<{ score: number }>) => void;
  let fail!: (e: unknown) => void;
  const compute = () => {
    calls++;
    return new Promise<ComputedProof<{ score: number }>>((res, rej) => {
      release = res;
      fail = rej;
    });
  };
  return { compute, calls: () => calls, release: (v = computed()) => release(v), fail: (e: unknown) => fail(e) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("cacheKey", () => {
  it("is a salted hex digest that never contains the input", () => {
    const k1 = cacheKey("c1", INPUT, "aa");
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
    expect(k1).not.toContain("424242");
    expect(cacheKey("c1", INPUT, "bb")).not.toBe(k1);
    expect(cacheKey("c2", INPUT, "aa")).not.toBe(k1);
    expect(cacheKey("c1", canonicalInputJson({ subject: 7n, secret: "424242" }), "aa")).toBe(k1);
  });
});

describe("ProofCache", () => {
  it("misses, then hits with a real hit rate, returning copies with hash and time", async () => {
    const clock = fakeClock();
    const cache = new ProofCache<{ score: number }>({ ...LIMITS, clock, random: seededRandom() });
    const key = await cache.keyFor("c1", INPUT);
    const compute = vi.fn(async () => computed(5));
    const first = await cache.getOrCompute(key, compute);
    expect(first.source).toBe("miss");
    expect(first.entry.hash).toBe(resultHash("c1", first.entry.proof, SIGNALS));
    expect(first.entry.createdAt).toBe(clock.wallNow());
    expect(first.entry.result).toEqual({ score: 5 });
    (first.entry.proof as Groth16Proof).pi_a[0] = "666"; // mutating a copy cannot poison the cache
    const second = await cache.getOrCompute(key, compute);
    const third = await cache.getOrCompute(key, compute);
    expect([second.source, third.source]).toEqual(["hit", "hit"]);
    expect(second.entry.proof.pi_a[0]).toBe("5");
    expect(compute).toHaveBeenCalledTimes(1);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 1, tampered: 0, size: 1, hitRate: 2 / 3 });
  });

  it("does not cache failures: the next call recomputes", async () => {
    const cache = new ProofCache({ ...LIMITS, clock: fakeClock() });
    const key = await cache.keyFor("c1", INPUT);
    const job = deferredCompute();
    const a = cache.getOrCompute(key, job.compute);
    await tick();
    job.fail(new ProvingError());
    await expect(a).rejects.toBeInstanceOf(ProvingError);
    expect(cache.stats().size).toBe(0);
    const again = await cache.getOrCompute(key, async () => computed(2));
    expect(again.source).toBe("miss");
    expect(job.calls()).toBe(1);
  });

  it("serves memory hits without the extra check: the entry was verified before it entered the cache", async () => {
    const check = vi.fn(async (_entry: CachedProof) => true);
    const cache = new ProofCache({ ...LIMITS, clock: fakeClock(), check });
    const key = await cache.keyFor("c1", INPUT);
    await cache.getOrCompute(key, async () => computed(1));
    for (let i = 0; i < 3; i++) expect(await cache.getOrCompute(key, async () => computed(2))).toMatchObject({ source: "hit", origin: "memory" });
    expect(check).not.toHaveBeenCalled();
  });

  it("verifies an entry read back from storage once; only a definite failure is tampering", async () => {
    const backend = createMemoryCacheBackend();
    const writer = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend, random: seededRandom(2) });
    const key = await writer.keyFor("c1", INPUT);
    await writer.getOrCompute(key, async () => computed(1));
    await tick();

    // A check that cannot run (crashed verifier, timeout) is not tampering: the entry stays and this lookup proves afresh.
    let answer: boolean | Error = new Error("verifier crashed");
    const check = vi.fn(async (_entry: CachedProof) => {
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const reader = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend, check });
    const compute = vi.fn(async () => computed(1));
    expect((await reader.getOrCompute(key, compute)).source).toBe("miss");
    expect(reader.stats()).toMatchObject({ tampered: 0, size: 1 });
    expect(compute).toHaveBeenCalledTimes(1);

    // Stored again and read by a fresh instance: verified once, then trusted.
    await tick();
    answer = true;
    check.mockClear();
    const third = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend, check });
    expect(await third.getOrCompute(key, compute)).toMatchObject({ source: "hit", origin: "storage" });
    expect(await third.getOrCompute(key, compute)).toMatchObject({ source: "hit", origin: "memory" });
    expect(check).toHaveBeenCalledTimes(1);

    // "Does not verify" is tampering: dropped, counted, recomputed.
    answer = false;
    const fourth = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend, check });
    expect((await fourth.getOrCompute(key, compute)).source).toBe("miss");
    expect(fourth.stats()).toMatchObject({ tampered: 1, hits: 0, misses: 1, size: 1 });
  });

  it("detects a tampered proof and a tampered public signal in persisted entries", async () => {
    const backend = createMemoryCacheBackend();
    const first = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend, random: seededRandom(1) });
    const k1 = await first.keyFor("c1", INPUT);
    const k2 = await first.keyFor("c1", canonicalInputJson({ other: 1n }));
    const k3 = await first.keyFor("c1", canonicalInputJson({ other: 2n }));
    for (const [k, n] of [[k1, 1], [k2, 2], [k3, 3]] as const) await first.getOrCompute(k, async () => computed(n));
    await tick();
    expect(backend.data.size).toBe(3);
    const e1 = backend.data.get(k1) as CachedProof;
    backend.data.set(k1, { ...e1, proof: { ...e1.proof, pi_c: ["9", "9", "1"] } });
    const e2 = backend.data.get(k2) as CachedProof;
    backend.data.set(k2, { ...e2, publicSignals: ["11", "22", "34"] });

    const second = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend });
    expect(await second.keyFor("c1", INPUT)).toBe(k1); // the salt persisted
    expect(second.stats()).toMatchObject({ tampered: 2, size: 1 });
    const compute = vi.fn(async () => computed(1));
    expect((await second.getOrCompute(k1, compute)).source).toBe("miss");
    expect((await second.getOrCompute(k3, compute)).source).toBe("hit");
    expect(compute).toHaveBeenCalledTimes(1);
  });

  it("expires entries after the TTL of the injected clock, and evicts beyond max", async () => {
    const clock = fakeClock();
    const cache = new ProofCache({ ...LIMITS, clock, max: 2 });
    // The defaults come from the facade's options (core/defaults.ts), resolved before the cache is built.
    expect(resolveTrustOptions({}).cache).toMatchObject({ max: 50, ttlMs: 3_600_000 });
    const key = await cache.keyFor("c1", INPUT);
    await cache.getOrCompute(key, async () => computed());
    clock.advance(3_599_999);
    expect((await cache.getOrCompute(key, async () => computed())).source).toBe("hit");
    clock.advance(3_600_000);
    expect((await cache.getOrCompute(key, async () => computed())).source).toBe("miss");
    expect(cache.stats().expirations).toBe(1);
    for (const n of [1n, 2n]) await cache.getOrCompute(await cache.keyFor("c1", canonicalInputJson({ n })), async () => computed());
    expect(cache.stats()).toMatchObject({ evictions: 1, size: 2 });
  });

  it("clear() empties memory and persistence; stats are a store", async () => {
    const backend = createMemoryCacheBackend();
    const cache = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend });
    const seen: StoreStats[] = [];
    const stop = cache.subscribe((s) => seen.push(s));
    const key = await cache.keyFor("c1", INPUT);
    await cache.getOrCompute(key, async () => computed());
    await cache.getOrCompute(key, async () => computed());
    await cache.clear();
    stop();
    expect(backend.data.size).toBe(0);
    expect(cache.stats().size).toBe(0);
    expect(seen.at(-1)).toMatchObject({ size: 0, hits: 1, misses: 1 });
    expect(seen.some((s) => s.size === 1)).toBe(true);
  });

  it("persists through IndexedDB (idb-keyval, own store) with only public data", async () => {
    const backend = createIdbCacheBackend({ dbName: "proofline-proofs-test" });
    const a = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend });
    const key = await a.keyFor("c1", INPUT);
    await a.getOrCompute(key, async () => computed(3));
    await tick();
    const stored = await backend.loadAll();
    expect(stored.map(([k]) => k)).toEqual([key]);
    expect(JSON.stringify(stored)).not.toContain("424242");
    const b = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: backend });
    const hit = await b.getOrCompute(await b.keyFor("c1", INPUT), async () => computed(4));
    expect(hit.source).toBe("hit");
    expect(hit.entry.result).toEqual({ score: 3 });
    await b.clear();
    expect(await backend.loadAll()).toEqual([]);
    expect(await backend.getSalt()).toMatch(/^[0-9a-f]{64}$/);
  });

  it("keeps working in memory when persistence fails", async () => {
    const errors: unknown[] = [];
    const broken = { ...createMemoryCacheBackend(), getSalt: async () => { throw new Error("quota"); } };
    const cache = new ProofCache({ ...LIMITS, clock: fakeClock(), persistence: broken, onStorageError: (e) => errors.push(e) });
    const key = await cache.keyFor("c1", INPUT);
    await cache.getOrCompute(key, async () => computed());
    expect((await cache.getOrCompute(key, async () => computed())).source).toBe("hit");
    expect(errors).toHaveLength(1);
  });
});
