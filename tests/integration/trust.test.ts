/**
 * The trust layer with REAL proofs through `createNodeProofAPI` (run `npm run build` first: the
 * workers run dist/prover.node-worker.js): cache hits with a real hit rate, one proving job for
 * two identical concurrent requests, re-randomised cached proofs that differ and verify with
 * snarkjs against the manifest's vkey, and a cache entry tampered in its persistence backend
 * that is detected, counted and reproved.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { ProofLifecycleEvent } from "../../src/lib/proof/request/lifecycle-events.js";
import { createMemoryCacheBackend } from "../../src/lib/proof/cache/cache-backend.js";
import { resultHash } from "../../src/lib/proof/core/content-hash.js";
import { createNodeProofAPI, type NodeProofAPIOptions, type ProofAPI } from "../../src/node.js";
import { attestationList } from "./support/attestations.js";

const root = new URL("../../", import.meta.url);
const WORKER = new URL("dist/prover.node-worker.js", root);
const manifest = JSON.parse(readFileSync(new URL("circuits/manifest.json", root), "utf8")) as { circuits: Record<string, { vkey: { path: string } }> };
const vkey16 = JSON.parse(readFileSync(fileURLToPath(new URL(`circuits/${manifest.circuits["ebsl-16"]!.vkey.path}`, root)), "utf8")) as object;

const NOW = Date.now();
const list = (n: number) => attestationList(n, NOW);

let apis: ProofAPI[] = [];
function make(options: NodeProofAPIOptions = {}): { api: ProofAPI; events: ProofLifecycleEvent[] } {
  const api = createNodeProofAPI({ workerUrl: WORKER, proverOptions: { poolSize: 1 }, ...options });
  apis.push(api);
  const events: ProofLifecycleEvent[] = [];
  api.subscribe((e) => events.push(e));
  return { api, events };
}
const provedJobs = (events: ProofLifecycleEvent[]) => events.filter((e) => e.type === "completed" && e.cached === undefined).length;

afterEach(() => {
  for (const api of apis) api.dispose();
  apis = [];
});
afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("trust layer with real proofs (Node)", () => {
  it("repeat → cache hit; identical concurrent requests → one proving job; re-randomised hits differ and verify", async () => {
    // Two queue slots on one worker so the concurrent pair really runs at once and shares.
    const { api, events } = make({ concurrency: 2, cache: { rerandomize: true } });
    const first = await api.requestProof(list(3), "exact", { now: NOW });
    const again = await api.requestProof(list(3), "exact", { now: NOW });
    expect(first.cached).toBe(false);
    expect(again).toMatchObject({ cached: true, cacheSource: "hit", publicSignals: first.publicSignals });
    expect(api.getCacheStats().hitRate).toBeGreaterThan(0);
    expect(api.getCacheStats()).toMatchObject({ hits: 1, misses: 1 });
    expect(JSON.stringify(again.proof)).not.toBe(JSON.stringify(first.proof));
    expect(again.hash).toBe(resultHash(again.circuitId, again.proof, again.publicSignals));
    expect(again.hash).not.toBe(first.hash);
    for (const r of [first, again]) expect(await snarkjs.groth16.verify(vkey16, [...r.publicSignals], r.proof)).toBe(true);

    const [a, b] = await Promise.all([api.requestProof(list(4), "threshold", { now: NOW }), api.requestProof(list(4), "threshold", { now: NOW })]);
    expect(provedJobs(events)).toBe(2); // list(3) once, list(4) once
    expect([a.cached, b.cached].sort()).toEqual([false, true]);
    expect(api.getCacheStats().inflightJoins).toBe(1);
    expect(await snarkjs.groth16.verify(vkey16, [...b.publicSignals], b.proof)).toBe(true);
    expect(JSON.stringify(b.proof)).not.toBe(JSON.stringify(a.proof));

    const metrics = api.getMetricsSnapshot();
    expect(metrics.circuits["ebsl-16"]).toMatchObject({ total: 4, successes: 4, failures: 0 });
    expect(metrics.circuits["ebsl-16"]!.durations.prove!.count).toBe(2);
    expect(api.metricsPrometheus()).toContain('proofline_proofs_total{circuit="ebsl-16",outcome="success"} 4');
    expect(api.verifyAuditLog()).toEqual({ ok: true });
    expect(api.getAuditLog().map((e) => e.type)).toEqual(expect.arrayContaining(["request", "result", "cache_hit"]));
  });

  it("a cache entry tampered in its persistence backend is detected, counted and reproved", async () => {
    const backend = createMemoryCacheBackend();
    const before = make({ cache: { persist: backend } });
    const original = await before.api.requestProof(list(2), "exact", { now: NOW });
    await new Promise((r) => setTimeout(r, 10)); // persistence writes are fire-and-forget
    expect(backend.data.size).toBe(1);
    const [key, value] = [...backend.data][0]!;
    const stored = value as { circuitId: string; proof: { pi_a: string[] }; publicSignals: string[] };
    // A valid-looking entry: another point for pi_a and a recomputed hash. Only verification can tell.
    const forged = { ...stored.proof, pi_a: [...original.proof.pi_c] };
    backend.data.set(key, { ...stored, proof: forged, hash: resultHash(stored.circuitId, forged as never, stored.publicSignals) });

    const after = make({ cache: { persist: backend } });
    const reproved = await after.api.requestProof(list(2), "exact", { now: NOW });
    expect(reproved.cached).toBe(false);
    expect(after.api.getCacheStats()).toMatchObject({ tampered: 1, hits: 0, misses: 1 });
    expect(provedJobs(after.events)).toBe(1);
    expect(await snarkjs.groth16.verify(vkey16, [...reproved.publicSignals], reproved.proof)).toBe(true);
    expect(reproved.publicSignals).toEqual(original.publicSignals);
  });
});
