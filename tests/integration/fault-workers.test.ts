/**
 * Each worker fault produces the REAL failure it claims, through the built fault worker
 * (dist/prover.fault-node-worker.js wrapping the real prover core; run `npm run build` first)
 * and the real pool: a crash kills the worker thread (WORKER_CRASHED), a memory fault is V8's
 * own WebAssembly RangeError (RESOURCE_EXHAUSTED), a stall outlives the budget (TIMEOUT); the
 * pool replaces the worker and the next proof succeeds. A small-device cap makes snarkjs itself
 * run out of memory on ebsl-64 only.
 */
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import type { ProofError } from "../../src/lib/proof/core/errors.js";
import type { Attestation } from "../../src/lib/proof/ebsl/types.js";
import type { ProofLifecycleEvent } from "../../src/lib/proof/request/lifecycle-events.js";
import { createNodeProofAPI, type NodeProofAPIOptions, type ProofAPI } from "../../src/node.js";
import { createNodeFaultWorkerFactory } from "../../src/testing.js";
import type { FaultPlan } from "../../src/lib/proof/testing/fault-plan.js";

const root = new URL("../../", import.meta.url);
const FAULT_WORKER = new URL("dist/prover.fault-node-worker.js", root);
const NOW = 1_767_225_600_000;
const list = (n: number, salt: number): Attestation[] =>
  Array.from({ length: n }, (_, i) => ({
    source: `0x${(0x1000 + salt * 64 + i).toString(16)}`,
    target: "0xabc",
    opinion: { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 },
    attestation_type: "trust" as const,
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000,
    expires_at: NOW + 86_400_000,
  }));

let apis: ProofAPI[] = [];
afterEach(() => {
  for (const api of apis) api.dispose();
  apis = [];
});

function make(plans: FaultPlan | FaultPlan[], options: NodeProofAPIOptions = {}, factoryOptions: { wasmPageCap?: number } = {}) {
  const spawned: number[] = [];
  const factory = createNodeFaultWorkerFactory(plans, { Worker, url: FAULT_WORKER, stallMs: 120_000, onSpawn: (w) => spawned.push((w as Worker).threadId), ...factoryOptions });
  const api = createNodeProofAPI({ workerFactory: factory, proverOptions: { poolSize: 1 }, retry: { attempts: 1 }, cache: false, rateLimit: false, ...options } as NodeProofAPIOptions);
  apis.push(api);
  return { api, factory, spawned };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "resolved";
  } catch (e) {
    return (e as ProofError).code;
  }
}

// ebsl-64 is built on demand (npm run circuits:build -- medium) and the facade only uses committed
// variants: the tests that need it run when it is committed again.
const HAS_EBSL_64 = (JSON.parse(readFileSync(new URL("../../packages/circuits/manifest.json", import.meta.url), "utf8")) as { circuits: Record<string, { committed?: boolean }> }).circuits["ebsl-64"]?.committed === true;

describe("fault worker (built) with real proofs", () => {
  it.each([
    ["crash", "WORKER_CRASHED"],
    ["memory", "RESOURCE_EXHAUSTED"],
    ["stall", "TIMEOUT"],
  ] as const)("%s → %s, worker replaced, next proof succeeds", async (kind, code) => {
    const { api, factory, spawned } = make({ kind, nth: 1, seed: 3 }, { timeoutMs: 8000 });
    const events: ProofLifecycleEvent[] = [];
    api.subscribe((e) => events.push(e));
    expect(await codeOf(api.requestProof(list(3, 1), "exact", { now: NOW }))).toBe(code);
    expect(events.find((e) => e.type === "attempt-failed")).toMatchObject({ circuitId: "ebsl-16", code });
    const next = await api.requestProof(list(3, 2), "exact", { now: NOW });
    expect(next.circuitId).toBe("ebsl-16");
    expect(factory.schedule.injected).toEqual([{ kind, circuitId: "ebsl-16", event: 1 }]);
    expect(spawned.length).toBe(2);
  });

  it.skipIf(!HAS_EBSL_64)("wasmPageCap 64: snarkjs really runs out of memory on ebsl-64 and the request falls back", async () => {
    const { api, factory } = make([], {}, { wasmPageCap: 64 });
    const result = await api.requestProof(list(20, 3), "exact", { now: NOW });
    expect(result).toMatchObject({ circuitId: "ebsl-16", truncated: true, fallbackReason: "RESOURCE_EXHAUSTED" });
    expect(factory.schedule.injected).toEqual([]);
  });
});
