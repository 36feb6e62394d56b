/**
 * The facade end to end with REAL proofs: `createNodeProofAPI` → queue → worker_threads running
 * the built worker (dist/prover.node-worker.js: run `npm run build` first) → snarkjs → verify
 * against the pinned vkey → public signals checked against the TypeScript reference.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CancelledError, ProofError } from "../../src/lib/proof/core/errors.js";
import { buildCircuitInput } from "../../src/lib/proof/ebsl/circuit-input.js";
import { computeCircuitOutputs } from "../../src/lib/proof/ebsl/fixed-point.js";
import { entryStatementSteps, loneEntryPosition, runSteps } from "../../src/lib/proof/ebsl/registry-tree.js";
import type { Attestation } from "../../src/lib/proof/ebsl/types.js";
import type { ProgressEvent } from "../../src/lib/proof/request/request-types.js";
import type { ProofLifecycleEvent } from "../../src/lib/proof/request/lifecycle-events.js";
import { resultHash } from "../../src/lib/proof/core/content-hash.js";
import { createNodeProofAPI, ProofPriority, type NodeProofAPIOptions, type ProofAPI } from "../../src/node.js";
import { rejection } from "../support/rejection.js";

const root = new URL("../../", import.meta.url);
const WORKER = new URL("dist/prover.node-worker.js", root);
const CAPPED_WORKER = new URL("tests/integration/support/wasm-memory-capped-worker.mjs", root);
const manifest = JSON.parse(readFileSync(new URL("circuits/manifest.json", root), "utf8")) as {
  circuits: Record<string, { vkey: { path: string } }>;
};
const vkeyOf = (circuitId: string) => JSON.parse(readFileSync(fileURLToPath(new URL(`circuits/${manifest.circuits[circuitId]!.vkey.path}`, root)), "utf8")) as object;

const NOW = Date.now();
const SUBJECT = "0xabc";
function attestation(i: number): Attestation {
  return {
    source: `0x${(i + 1).toString(16)}`,
    target: SUBJECT,
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i,
    expires_at: NOW + 86_400_000,
  };
}
const list = (n: number) => Array.from({ length: n }, (_, i) => attestation(i));

/** The TypeScript reference's integers for `n` attestations on `capacity`. */
function reference(n: number, capacity: number, reveal: boolean) {
  const input = buildCircuitInput({ attestations: list(n), subject: SUBJECT, now: NOW, threshold: 600_000n, reveal, capacities: [capacity] });
  const { root } = runSteps(entryStatementSteps(input.publicInputs.subject, input.slots, loneEntryPosition()));
  return { ...computeCircuitOutputs(input.slots, input.publicInputs), root };
}


let apis: ProofAPI[] = [];
function make(options: NodeProofAPIOptions = {}): ProofAPI {
  const api = createNodeProofAPI({ workerUrl: WORKER, proverOptions: { poolSize: 1 }, ...options });
  apis.push(api);
  return api;
}

afterEach(() => {
  for (const api of apis) api.dispose();
  apis = [];
});
afterAll(async () => {
  // snarkjs.groth16.verify built a threaded curve in this process; it keeps the process alive.
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("proofAPI with real proofs (Node)", () => {
  it("exact reveals the reference score, threshold hides it; both verify independently", async () => {
    const api = make();
    const progress: ProgressEvent[] = [];
    const exactRequest = api.requestProof(list(5), "exact", { now: NOW, onProgress: (e) => progress.push(e) });
    expect(api.getRequestStatus(exactRequest.requestId)).toBeDefined();
    const exact = await exactRequest;
    const ref = reference(5, 16, true);
    expect(exact.circuitId).toBe("ebsl-16");
    expect(exact.publicSignals[1]).toBe(String(exact.score));
    expect(exact.score).toBe(Number(ref.score));
    expect(exact.publicSignals[0]).toBe(String(ref.commitment));
    expect(exact.publicSignals.slice(3)).toEqual([String(NOW), String(0xabcn), "600000", "1", String(ref.root)]);
    expect(exact.hash).toBe(resultHash("ebsl-16", exact.proof, exact.publicSignals));
    expect(exact).toMatchObject({ attestationsUsed: 5, truncated: false, attempts: 1, requestId: exactRequest.requestId });
    expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), [...exact.publicSignals], exact.proof)).toBe(true);

    // progress: real stages, monotonic, ending at 100
    const values = progress.map((e) => e.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(new Set(progress.map((e) => e.stage))).toEqual(new Set(["queued", "selecting", "starting", "artifacts", "witness", "proving", "verifying", "done"]));
    expect(progress.some((e) => e.step?.includes("multiexp"))).toBe(true);
    expect(progress.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });

    const threshold = await api.requestProof(list(5), "threshold", { now: NOW });
    const tref = reference(5, 16, false);
    expect(threshold.score).toBeUndefined();
    expect(threshold.publicSignals[1]).toBe("0");
    expect(threshold.publicSignals[2]).toBe(String(tref.meets));
    expect(threshold.meetsThreshold).toBe(tref.meets === 1n);
    expect(threshold.publicSignals[6]).toBe("0");
    expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), [...threshold.publicSignals], threshold.proof)).toBe(true);
    // a tampered signal does not verify
    const forged = [...threshold.publicSignals];
    forged[2] = forged[2] === "1" ? "0" : "1";
    expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), forged, threshold.proof)).toBe(false);
  });

  it("a burst of mixed priorities on one worker completes in priority order", async () => {
    const api = make();
    const completed: string[] = [];
    api.subscribe((e: ProofLifecycleEvent) => {
      if (e.type === "completed") completed.push(e.requestId);
    });
    const first = api.requestProof(list(1), "threshold", { now: NOW, priority: ProofPriority.LOW });
    const burst = [
      ["low", ProofPriority.LOW],
      ["normal-1", ProofPriority.NORMAL],
      ["critical", ProofPriority.CRITICAL],
      ["high", ProofPriority.HIGH],
      ["normal-2", ProofPriority.NORMAL],
    ] as const;
    const requests = burst.map(([name, priority], i) => ({ name, request: api.requestProof(list(2 + i), "threshold", { now: NOW, priority }) }));
    const names = new Map(requests.map((r) => [r.request.requestId, r.name]));
    await Promise.all([first, ...requests.map((r) => r.request)]);
    // The first job may already be running; the rest must follow priority, FIFO within a level.
    const rest = completed.filter((id) => id !== first.requestId).map((id) => names.get(id));
    expect(rest).toEqual(["critical", "high", "normal-1", "normal-2", "low"]);
    expect(api.getQueueStats()).toMatchObject({ completed: 6, failed: 0, queued: 0, processing: 0 });
  });

  it("a real memory limit on the medium circuit falls back to the small one, truncated", async () => {
    // A fresh worker per proof: a worker whose wasm heap just hit its limit is not reused (see report).
    // The cap is sized for snarkjs's memory; bn254 proves the medium circuit within it.
    const api = make({ workerUrl: CAPPED_WORKER, proverOptions: { poolSize: 1, maxProofsPerWorker: 1, backend: "snarkjs" } });
    const events: ProofLifecycleEvent[] = [];
    api.subscribe((e) => events.push(e));
    const result = await api.requestProof(list(20), "exact", { now: NOW });
    expect(result).toMatchObject({ circuitId: "ebsl-16", truncated: true, attestationsUsed: 16, fallbackReason: "RESOURCE_EXHAUSTED", attempts: 2 });
    expect(events.find((e) => e.type === "attempt-failed")).toMatchObject({ circuitId: "ebsl-64", code: "RESOURCE_EXHAUSTED", willRetry: false });
    expect(events.find((e) => e.type === "fallback")).toMatchObject({ fromCircuitId: "ebsl-64", toCircuitId: "ebsl-16" });
    const subset = buildCircuitInput({ attestations: list(20), subject: SUBJECT, now: NOW, threshold: 600_000n, reveal: true, capacities: [16, 64], forceCapacity: 16 });
    const ref = computeCircuitOutputs(subset.slots, subset.publicInputs);
    expect(result.publicSignals[0]).toBe(String(ref.commitment));
    expect(result.score).toBe(Number(ref.score));
    expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), [...result.publicSignals], result.proof)).toBe(true);

    const forbidden = await rejection(api.requestProof(list(20), "exact", { now: NOW, allowFallback: false }));
    expect(forbidden.code).toBe("RESOURCE_EXHAUSTED");
    expect(forbidden.recoverability).toBe("fallback");
  });

  it("cancel while queued and while proving settles with CancelledError; the next request succeeds", async () => {
    const api = make();
    let proving!: () => void;
    const reachedProving = new Promise<void>((resolve) => (proving = resolve));
    const running = api.requestProof(list(3), "exact", {
      now: NOW,
      onProgress: (e) => {
        if (e.stage === "proving") proving();
      },
    });
    const queued = api.requestProof(list(4), "exact", { now: NOW });
    expect(api.getRequestStatus(queued.requestId)?.status).toBe("QUEUED");
    expect(api.cancelProof(queued.requestId)).toBe(true);
    const queuedError = await rejection(queued);
    expect(queuedError).toBeInstanceOf(CancelledError);
    expect(queuedError.code).toBe("CANCELLED");

    await reachedProving;
    expect(api.getRequestStatus(running.requestId)).toMatchObject({ status: "PROCESSING", stage: "proving" });
    api.cancelProof(running.requestId);
    const runningError = await rejection(running);
    expect(runningError).toBeInstanceOf(CancelledError);
    expect(api.getRequestStatus(running.requestId)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });

    const next = await api.requestProof(list(2), "exact", { now: NOW });
    expect(next.circuitId).toBe("ebsl-16");
    expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), [...next.publicSignals], next.proof)).toBe(true);
    expect(api.getQueueStats()).toMatchObject({ completed: 1, cancelled: 2, processing: 0 });
  });
});
