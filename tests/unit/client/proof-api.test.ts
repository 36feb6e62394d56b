import { FakeFactory } from "../engine/fakes.js";
import { get } from "svelte/store";
import { describe, expect, it, vi } from "vitest";
import { NetworkError, VerificationError, ProofError, ProvingError, RateLimitError, ResourceExhaustedError, WitnessConstraintError, WitnessInputError, WorkerCrashedError, TimeoutError } from "../../../src/lib/proof/core/errors.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import { createProofAPI, ProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import type { ProofAPIOptions } from "../../../src/lib/proof/client/options.js";
import type { ProofLifecycleEvent } from "../../../src/lib/proof/request/lifecycle-events.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import type { Attestation } from "../../../src/lib/proof/ebsl/types.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestation, attestations, settle } from "./fakes.js";
import { rejection } from "../../support/rejection.js";

function setup(extra: Partial<ProofAPIOptions> = {}) {
  const prover = new FakeProver();
  const clock = new AutoClock();
  let n = 0;
  const api = createProofAPI({ prover, circuits: CIRCUITS, clock, random: () => 0.5, yieldToHost: noYield, concurrency: 1, generateId: () => `r${++n}`, ...extra });
  const events: ProofLifecycleEvent[] = [];
  api.subscribe((e) => events.push(e));
  return { api, prover, clock, events };
}


const opts = { now: NOW };

describe("ProofAPI.requestProof", () => {
  it("proves an exact request: verified, signals checked, score revealed, hash, requestId", async () => {
    const { api, prover } = setup();
    const req = api.requestProof(attestations(3), "exact", opts);
    expect(req.requestId).toBe("r1");
    const result = await req;
    expect(prover.calls).toHaveLength(1);
    expect(prover.calls[0]!.options.verify).toBe(true);
    expect(result.circuitId).toBe("ebsl-16");
    expect(result.requestId).toBe("r1");
    expect(result.publicSignals[6]).toBe("1");
    expect(String(result.score)).toBe(result.publicSignals[1]);
    expect(result.publicInputs).toEqual(result.publicSignals);
    expect(result.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(result.attestationsUsed).toBe(3);
    expect(result.truncated).toBe(false);
    expect(result.attempts).toBe(1);
    expect(result.fallbackReason).toBeUndefined();
    expect(api.getRequestStatus("r1")).toMatchObject({ status: "COMPLETED", progress: 100, stage: "done", circuitId: "ebsl-16" });
  });

  it("hides the score of a threshold proof", async () => {
    const { api } = setup();
    const result = await api.requestProof(attestations(3), "threshold", { ...opts, threshold: 500_000 });
    expect(result.score).toBeUndefined();
    expect(result.publicSignals[1]).toBe("0");
    expect(result.publicSignals[5]).toBe("500000");
    expect(result.publicSignals[6]).toBe("0");
    expect(result.threshold).toBe(500_000);
    expect(result.meetsThreshold).toBe(result.publicSignals[2] === "1");
  });

  it("validates before queueing: nothing queued, no record, typed error naming index and field", async () => {
    const { api, prover, events } = setup();
    const bad = [attestation(0), attestation(1, { weight: -1 })];
    const req = api.requestProof(bad, "exact", opts);
    const error = await rejection(req);
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.details).toMatchObject({ index: 1, field: "weight" });
    expect(prover.calls).toHaveLength(0);
    expect(api.getQueueStats()).toMatchObject({ queued: 0, processing: 0, completed: 0, failed: 0 });
    expect(api.getRequestStatus(req.requestId)).toBeUndefined();
    expect(get(api.stores.jobs)).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(["rejected"]);
    expect((await rejection(api.requestProof(attestations(2), "fuzzy" as "exact", opts))).details["field"]).toBe("proofType");
  });

  it("requires a subject when attestations have different targets", async () => {
    const { api, prover } = setup();
    const mixed = [attestation(0), attestation(1, { target: "0xdef" })];
    const error = await rejection(api.requestProof(mixed, "exact", opts));
    expect(error.details["field"]).toBe("subject");
    const ok = await api.requestProof(mixed, "exact", { ...opts, subject: "0xdef" });
    expect(ok.publicSignals[4]).toBe(String(0xdefn));
    expect(prover.calls).toHaveLength(1);
  });

  it("exposes the requestId before completion, in the status and in every progress event", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const seen: ProgressEvent[] = [];
    const req = api.requestProof(attestations(2), "exact", { ...opts, onProgress: (e) => seen.push(e) });
    expect(api.getRequestStatus(req.requestId)?.status).toMatch(/QUEUED|PROCESSING/);
    await settle();
    expect(api.getRequestStatus(req.requestId)).toMatchObject({ status: "PROCESSING", stage: "proving" });
    prover.calls[0]!.release();
    await req;
    expect(seen.length).toBeGreaterThan(4);
    expect(seen.every((e) => e.requestId === req.requestId)).toBe(true);
    expect(seen[0]).toMatchObject({ status: "QUEUED", stage: "queued", progress: 0 });
    expect(seen.at(-1)).toMatchObject({ status: "COMPLETED", stage: "done", progress: 100 });
    expect(seen.some((e) => e.stage === "artifacts" && e.bytes?.loaded === 50)).toBe(true);
    // Artifact events say which artifact and where its bytes came from.
    const artifactEvent = seen.find((e) => e.bytes !== undefined)!;
    expect(artifactEvent).toMatchObject({ artifact: "zkey", source: "network", bytes: { loaded: 50, total: 100 } });
    expect(seen.filter((e) => e.bytes === undefined).every((e) => e.artifact === undefined && e.source === undefined)).toBe(true);
  });

  it("does the costly input preparation in the job, after a yield, not in requestProof's synchronous part", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let yields = 0;
    const { api, prover } = setup({ yieldToHost: () => (++yields === 1 ? gate : Promise.resolve()) });
    const req = api.requestProof(attestations(20), "exact", opts); // ebsl-64: about 40 registry hashes
    await settle();
    // The job waits at its first yield: no Poseidon hash computed, nothing proved, yet it is running.
    expect(yields).toBe(1);
    expect(prover.calls).toHaveLength(0);
    expect(api.getRequestStatus(req.requestId)).toMatchObject({ status: "PROCESSING", stage: "selecting" });
    release();
    const result = await req;
    expect(result.circuitId).toBe("ebsl-64");
    // One yield before encoding and one after it, then one every few registry hashes.
    expect(yields).toBeGreaterThanOrEqual(2 + Math.ceil(40 / 6));
    expect(prover.calls).toHaveLength(1);
  });
});

describe("retry and fallback", () => {
  it("retries retryable codes and reports the attempt number in progress and result", async () => {
    const { api, prover, clock, events } = setup({ retry: { attempts: 3, baseMs: 100, capMs: 1000, jitter: "none" } });
    prover.outcomes["ebsl-16"] = [new ProvingError(), new ProvingError()];
    const seen: ProgressEvent[] = [];
    const result = await api.requestProof(attestations(2), "exact", { ...opts, onProgress: (e) => seen.push(e) });
    expect(result.attempts).toBe(3);
    expect(prover.calls.map((c) => c.circuitId)).toEqual(["ebsl-16", "ebsl-16", "ebsl-16"]);
    expect(clock.delays).toEqual(expect.arrayContaining([100, 200]));
    expect(seen.map((e) => e.attempt).filter((a) => a !== undefined)).toContain(3);
    expect(events.filter((e) => e.type === "attempt-failed").map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true]);
  });

  it("a cancel during a retry's backoff settles at once and no attempt follows", async () => {
    // Backoffs of 60 s never fire by themselves with this clock: the job waits in its backoff.
    const { api, prover } = setup({ retry: { attempts: 3, baseMs: 60_000, capMs: 60_000, jitter: "none" } });
    prover.outcomes["ebsl-16"] = [new ProvingError()];
    const req = api.requestProof(attestations(1), "exact", opts);
    await settle();
    expect(prover.calls).toHaveLength(1);
    expect(api.cancelProof(req.requestId)).toBe(true);
    expect((await rejection(req)).code).toBe("CANCELLED");
    await settle();
    expect(prover.calls).toHaveLength(1);
    expect(api.getRequestStatus(req.requestId)?.status).toBe("CANCELLED");
  });

  it("does not retry fatal codes", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = [new WitnessConstraintError()];
    const error = await rejection(api.requestProof(attestations(2), "exact", opts));
    expect(error.code).toBe("WITNESS_CONSTRAINT_FAILED");
    expect(prover.calls).toHaveLength(1);
  });

  it("a witness runtime rejecting the plan's own input means the wasm is another circuit's: ARTIFACT_INVALID, not retried", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = [new WitnessInputError(undefined, { details: { stage: "witness", signal: "a", circuitId: "ebsl-16" } })];
    const error = await rejection(api.requestProof(attestations(2), "exact", opts));
    expect([error.code, error.details]).toEqual(["ARTIFACT_INVALID", expect.objectContaining({ artifact: "wasm", signal: "a", circuitId: "ebsl-16" })]);
    expect(prover.calls).toHaveLength(1);
  });

  it("gives up after the policy's attempts with the last code", async () => {
    const { api, prover } = setup({ retry: { attempts: 2, jitter: "none", baseMs: 1 } });
    prover.outcomes["ebsl-16"] = [new ProvingError(), new ProvingError(), "ok"];
    const error = await rejection(api.requestProof(attestations(2), "exact", opts));
    expect(error.code).toBe("PROVING_FAILED");
    expect(prover.calls).toHaveLength(2);
    expect(api.getRequestStatus("r1")).toMatchObject({ status: "FAILED", errorCode: "PROVING_FAILED" });
  });

  it("rejects a proof whose public signals differ from the request, and one not verified", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["tamper", "unverified"];
    expect((await rejection(api.requestProof(attestations(2), "exact", opts))).code).toBe("PUBLIC_SIGNAL_MISMATCH");
    expect((await rejection(api.requestProof(attestations(2), "exact", opts))).code).toBe("VERIFICATION_FAILED");
    expect(prover.calls).toHaveLength(2);
  });

  it.each([
    ["RESOURCE_EXHAUSTED", () => new ResourceExhaustedError()],
    ["WORKER_CRASHED", () => new WorkerCrashedError()],
    ["TIMEOUT", () => new TimeoutError()],
  ])("falls back to the next smaller variant on %s, with the subset rule", async (code, make) => {
    const { api, prover, events } = setup();
    prover.outcomes["ebsl-64"] = [make()];
    const seen: number[] = [];
    const result = await api.requestProof(attestations(20), "exact", { ...opts, onProgress: (e) => seen.push(e.progress) });
    expect(prover.calls.map((c) => c.circuitId)).toEqual(["ebsl-64", "ebsl-16"]);
    expect(result).toMatchObject({ circuitId: "ebsl-16", attestationsUsed: 16, truncated: true, fallbackReason: code, attempts: 2 });
    expect((prover.calls[1]!.input["r"] as string[]).length).toBe(16);
    expect(events.find((e) => e.type === "fallback")).toMatchObject({ fromCircuitId: "ebsl-64", toCircuitId: "ebsl-16", code });
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]!);
  });

  it("only fallback-class codes fall back: fatal and exhausted retryable codes end on the large variant", async () => {
    const { api, prover } = setup({ retry: { attempts: 2, jitter: "none", baseMs: 1 } });
    prover.outcomes["ebsl-64"] = [new WitnessConstraintError(), new ProvingError(), new ProvingError()];
    expect((await rejection(api.requestProof(attestations(20), "exact", opts))).code).toBe("WITNESS_CONSTRAINT_FAILED");
    expect((await rejection(api.requestProof(attestations(20), "exact", opts))).code).toBe("PROVING_FAILED");
    expect(prover.calls.map((c) => c.circuitId)).toEqual(["ebsl-64", "ebsl-64", "ebsl-64"]);
  });

  it("allowFallback: false ends with the typed error", async () => {
    const { api, prover } = setup({ allowFallback: false });
    prover.outcomes["ebsl-64"] = [new ResourceExhaustedError()];
    const error = await rejection(api.requestProof(attestations(20), "exact", opts));
    expect(error).toBeInstanceOf(ResourceExhaustedError);
    expect(prover.calls.map((c) => c.circuitId)).toEqual(["ebsl-64"]);
    // and per request
    const { api: api2, prover: p2 } = setup();
    p2.outcomes["ebsl-64"] = [new WorkerCrashedError()];
    expect((await rejection(api2.requestProof(attestations(20), "exact", { ...opts, allowFallback: false }))).code).toBe("WORKER_CRASHED");
  });

  it("no smaller variant left: the fallback-class error is final", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = [new ResourceExhaustedError()];
    expect((await rejection(api.requestProof(attestations(5), "exact", opts))).code).toBe("RESOURCE_EXHAUSTED");
    expect(prover.calls).toHaveLength(1);
  });

  it("progress never decreases across a retry followed by a fallback", async () => {
    const { api, prover } = setup({ retry: { jitter: "none", baseMs: 5 } });
    prover.outcomes["ebsl-64"] = [new ProvingError(), new ResourceExhaustedError()];
    const seen: ProgressEvent[] = [];
    const result = await api.requestProof(attestations(20), "threshold", { ...opts, onProgress: (e) => seen.push(e) });
    expect(result.attempts).toBe(3);
    const values = seen.map((e) => e.progress);
    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(values.at(-1)).toBe(100);
    // the bar moved forward during the failed attempts and did not restart at 0
    const firstRetry = seen.findIndex((e) => e.stage === "retrying");
    expect(seen[firstRetry]!.progress).toBeGreaterThan(30);
    expect(seen.map((e) => e.stage)).toContain("retrying");
    expect(new Set(seen.map((e) => e.attempt).filter(Boolean))).toEqual(new Set([1, 2, 3]));
  });
});

describe("queue, cancel, dispose", () => {
  it("runs by priority with one slot, FIFO within a level", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const first = api.requestProof(attestations(1), "exact", opts);
    await settle();
    const low = api.requestProof(attestations(2), "exact", { ...opts, priority: ProofPriority.LOW });
    const high1 = api.requestProof(attestations(3), "exact", { ...opts, priority: ProofPriority.HIGH });
    const crit = api.requestProof(attestations(4), "exact", { ...opts, priority: ProofPriority.CRITICAL });
    const high2 = api.requestProof(attestations(5), "exact", { ...opts, priority: ProofPriority.HIGH });
    expect(api.getQueueStats()).toMatchObject({ queued: 4, processing: 1 });
    prover.calls[0]!.release();
    await Promise.all([first, low, high1, crit, high2]);
    expect(prover.calls.map((c) => (c.input["r"] as string[]).filter((x) => x !== "0").length)).toEqual([1, 4, 3, 5, 2]);
  });

  it("cancel while queued removes it (CANCELLED) and the prover never sees it", async () => {
    const { api, prover, events } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const running = api.requestProof(attestations(1), "exact", opts);
    await settle();
    const queued = api.requestProof(attestations(2), "exact", opts);
    expect(api.cancelProof(queued.requestId)).toBe(true);
    const error = await rejection(queued);
    expect(error.code).toBe("CANCELLED");
    expect(api.getRequestStatus(queued.requestId)).toMatchObject({ status: "CANCELLED", errorCode: "CANCELLED" });
    expect(events.find((e) => e.type === "cancelled")).toMatchObject({ requestId: queued.requestId, stage: "queued" });
    prover.calls[0]!.release();
    await running;
    expect(prover.calls).toHaveLength(1);
    expect(api.cancelProof(queued.requestId)).toBe(false);
  });

  it("cancel while proving (AbortSignal) settles with CANCELLED and the next request succeeds", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const controller = new AbortController();
    const req = api.requestProof(attestations(1), "exact", { ...opts, signal: controller.signal });
    await settle();
    expect(api.getRequestStatus(req.requestId)?.status).toBe("PROCESSING");
    controller.abort();
    expect((await rejection(req)).code).toBe("CANCELLED");
    expect(prover.calls[0]!.options.signal?.aborted).toBe(true);
    expect(api.getRequestStatus(req.requestId)?.status).toBe("CANCELLED");
    const next = await api.requestProof(attestations(1), "exact", opts);
    expect(next.circuitId).toBe("ebsl-16");
    expect(api.getQueueStats()).toMatchObject({ processing: 0, completed: 1, cancelled: 1 });
  });

  it("an already-aborted signal is refused before queueing", async () => {
    const { api, prover } = setup();
    const error = await rejection(api.requestProof(attestations(1), "exact", { ...opts, signal: AbortSignal.abort() }));
    expect(error.code).toBe("CANCELLED");
    expect(prover.calls).toHaveLength(0);
  });

  it("queue full is a typed error and leaves no record", async () => {
    const { api, prover } = setup({ maxQueued: 1 });
    prover.outcomes["ebsl-16"] = ["hold"];
    const a = api.requestProof(attestations(1), "exact", opts);
    await settle();
    const b = api.requestProof(attestations(1), "exact", opts);
    const c = api.requestProof(attestations(1), "exact", opts);
    const error = await rejection(c);
    expect(error.code).toBe("QUEUE_FULL");
    expect(error.details).toMatchObject({ bound: 1 });
    expect(api.getRequestStatus(c.requestId)).toBeUndefined();
    prover.calls[0]!.release();
    await Promise.all([a, b]);
  });

  it("dispose settles every pending request with DISPOSED and disposes an owned prover only", async () => {
    const { api, prover } = setup({ concurrency: 1 });
    prover.outcomes["ebsl-16"] = ["hold"];
    const running = api.requestProof(attestations(1), "exact", opts);
    await settle();
    const queued = [api.requestProof(attestations(2), "exact", opts), api.requestProof(attestations(3), "threshold", opts)];
    api.dispose();
    const codes = await Promise.all([running, ...queued].map((p) => rejection(p).then((e) => e.code)));
    expect(codes).toEqual(["DISPOSED", "DISPOSED", "DISPOSED"]);
    expect(prover.disposed).toBe(false); // injected prover: the caller's to dispose
    expect((await rejection(api.requestProof(attestations(1), "exact", opts))).code).toBe("DISPOSED");
    await expect(api.preload()).rejects.toMatchObject({ code: "DISPOSED" });
  });

  it("beforeQueue can refuse a request (rate limit seam) and sees no attestations", async () => {
    const seen: unknown[] = [];
    const { api, prover, events } = setup({
      beforeQueue: async (req) => {
        seen.push(req);
        if (req.userId === "blocked") throw new RateLimitError(undefined, { details: { retryAfterMs: 1000 } });
      },
    });
    const error = await rejection(api.requestProof(attestations(2), "exact", { ...opts, userId: "blocked" }));
    expect(error.code).toBe("RATE_LIMITED");
    expect(prover.calls).toHaveLength(0);
    await api.requestProof(attestations(2), "exact", { ...opts, userId: "alice", priority: ProofPriority.HIGH });
    expect(seen[1]).toEqual({ requestId: "r2", kind: "exact", userId: "alice", priority: 2, circuitId: "ebsl-16", attestationCount: 2 });
    expect(events.find((e) => e.type === "rejected")).toMatchObject({ requestId: "r1", code: "RATE_LIMITED", userId: "blocked" });
  });
});

describe("every accepted request settles", () => {
  it("a request parked in a beforeQueue hook that never settles ends on cancelProof, its signal and dispose", async () => {
    const { api, prover } = setup({ beforeQueue: () => new Promise<void>(() => undefined) });
    const byId = api.requestProof(attestations(1), "exact", opts);
    const controller = new AbortController();
    const bySignal = api.requestProof(attestations(1), "exact", { ...opts, signal: controller.signal });
    const byDispose = api.requestProof(attestations(1), "exact", opts);
    await settle();
    expect(api.cancelProof(byId.requestId)).toBe(true);
    controller.abort();
    expect((await rejection(byId)).code).toBe("CANCELLED");
    expect((await rejection(bySignal)).code).toBe("CANCELLED");
    api.dispose();
    expect((await rejection(byDispose)).code).toBe("DISPOSED");
    expect(prover.calls).toHaveLength(0);
  });

  it("a cancel during selection settles at once, even while the host never gives the job its turn back", async () => {
    let yields = 0;
    const { api, prover } = setup({ yieldToHost: () => (++yields === 1 ? new Promise<void>(() => undefined) : Promise.resolve()) });
    const req = api.requestProof(attestations(20), "exact", opts);
    await settle();
    expect(api.getRequestStatus(req.requestId)?.stage).toBe("selecting");
    api.cancelProof(req.requestId);
    expect((await rejection(req)).code).toBe("CANCELLED");
    expect(api.getRequestStatus(req.requestId)?.status).toBe("CANCELLED");
    expect(prover.calls).toHaveLength(0);
  });

  it("proves the attestations as they were at submission, also after a fallback: later edits by the caller change nothing", async () => {
    const run = async (edit: (list: Attestation[]) => void) => {
      const { api, prover } = setup();
      prover.outcomes["ebsl-64"] = [new ResourceExhaustedError()]; // the fallback re-encodes for ebsl-16
      const list = attestations(20);
      const pending = api.requestProof(list, "exact", opts);
      edit(list);
      return pending;
    };
    const reference = await run(() => undefined);
    const edits: ((list: Attestation[]) => void)[] = [
      (list) => ((list[0] as { weight: number }).weight = 1000), // would change the score
      (list) => ((list[1] as { opinion: unknown }).opinion = { belief: Number.NaN, disbelief: 0, uncertainty: 1, base_rate: 0.5 }), // would fail the request
      (list) => (list.length = 0), // would prove an empty set
    ];
    for (const edit of edits) {
      const result = await run(edit);
      expect(result).toMatchObject({ circuitId: "ebsl-16", fallbackReason: "RESOURCE_EXHAUSTED", attestationsUsed: 16 });
      expect(result.publicSignals).toEqual(reference.publicSignals);
    }
  });

  it("duplicates are refused with a ValidationError naming the index (one statement must not count twice)", async () => {
    const { api, prover } = setup();
    const error = await rejection(api.requestProof([attestation(0), attestation(1), attestation(0)], "exact", opts));
    expect(error.details).toMatchObject({ index: 2, reason: "duplicate", duplicateOf: 0 });
    expect(prover.calls).toHaveLength(0);
  });

  it("refuses more than 1024 attestations before anything is queued", async () => {
    const { api, prover } = setup();
    const many = Array.from({ length: 1025 }, (_, i) => attestation(i));
    expect((await rejection(api.requestProof(many, "exact", opts))).details).toMatchObject({ field: "attestations", reason: "must contain at most 1024 attestations" });
    expect(prover.calls).toHaveLength(0);
  });
});

describe("lifecycle events, stores, preload, laziness", () => {
  it("emits accepted → stages → completed, with no private inputs", async () => {
    const { api, events } = setup();
    const list = attestations(3);
    await api.requestProof(list, "exact", { ...opts, userId: "u1" });
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("accepted");
    expect(types.at(-1)).toBe("completed");
    expect(events.filter((e) => e.type === "stage").map((e) => (e as { stage: string }).stage)).toEqual(
      expect.arrayContaining(["queued", "selecting", "artifacts", "witness", "proving", "verifying", "done"]),
    );
    const completed = events.at(-1) as Extract<ProofLifecycleEvent, { type: "completed" }>;
    expect(completed).toMatchObject({ circuitId: "ebsl-16", attempts: 1, truncated: false, userId: "u1" });
    expect(completed.timings.proveMs).toBe(3);
    const text = JSON.stringify(events);
    for (const a of list) expect(text).not.toContain(`"${a.source}"`);
    expect(text).not.toContain("belief");
  });

  it("stores are real Svelte stores: queue stats, jobs list and one job", async () => {
    const { api, prover } = setup();
    prover.outcomes["ebsl-16"] = ["hold"];
    const req = api.requestProof(attestations(1), "exact", opts);
    const job = api.stores.job(req.requestId);
    const history: (string | undefined)[] = [];
    const stop = job.subscribe((j) => history.push(j?.status));
    await settle();
    expect(get(api.stores.queue)).toMatchObject({ processing: 1, queued: 0 });
    expect(get(api.stores.jobs)).toHaveLength(1);
    expect(get(job)).toMatchObject({ id: req.requestId, status: "PROCESSING", priority: ProofPriority.NORMAL });
    prover.calls[0]!.release();
    await req;
    expect(get(job)).toMatchObject({ status: "COMPLETED", progress: 100, circuitId: "ebsl-16" });
    expect(get(api.stores.queue)).toMatchObject({ processing: 0, completed: 1 });
    // The record is queued until the queue grants the request its turn, then runs to its end.
    expect(history[0]).toBe("QUEUED");
    expect([...new Set(history)]).toEqual(["QUEUED", "PROCESSING", "COMPLETED"]);
    stop();
  });

  it("creates no prover, artifact source or worker until first use", async () => {
    const load = vi.fn(async (_circuit: unknown) => {
      throw new NetworkError("offline");
    });
    const artifacts = vi.fn(() => ({ load }));
    const fakes = new FakeFactory();
    const workerFactory = vi.fn(fakes.factory);
    const api = new ProofAPI({ circuits: CIRCUITS, clock: new AutoClock(), artifacts, workerFactory, proverOptions: { poolSize: 1, startTimeoutMs: 120_000 } });
    expect(artifacts).not.toHaveBeenCalled();
    expect(workerFactory).not.toHaveBeenCalled();
    // preload warms a worker and loads the smallest circuit into it: here the download fails.
    await expect(api.preload()).rejects.toMatchObject({ code: "NETWORK_ERROR" });
    expect(artifacts).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0]![0]).toMatchObject({ id: "ebsl-16" });
    expect(workerFactory).toHaveBeenCalledTimes(1);
    api.dispose();
  });

  it("verify(result) checks a result against its circuit's pinned vkey in the prover; edited signals are false", async () => {
    const { api, prover } = setup();
    const result = await api.requestProof(attestations(3), "exact", opts);
    const before = prover.verifyCalls;
    await expect(api.verify(result)).resolves.toBe(true);
    const edited = { ...result, publicSignals: result.publicSignals.map((v, i) => (i === 1 ? String(BigInt(v) + 1n) : v)) };
    await expect(api.verify(edited)).resolves.toBe(false);
    // The three fields are enough (a result from a server or a store).
    await expect(api.verify({ circuitId: result.circuitId, proof: result.proof, publicSignals: [...result.publicSignals] })).resolves.toBe(true);
    expect(prover.verifyCalls - before).toBe(3);
  });

  it("verify: a proof snarkjs cannot parse is false; a malformed result or a disposed API is a typed error", async () => {
    const { api, prover } = setup();
    prover.verify = async () => {
      throw new VerificationError("snarkjs threw");
    };
    await expect(api.verify({ circuitId: "ebsl-16", proof: { pi_a: [] } as never, publicSignals: ["1"] })).resolves.toBe(false);
    prover.verify = async () => {
      throw new NetworkError("vkey download failed");
    };
    expect((await rejection(api.verify({ circuitId: "ebsl-16", proof: {} as never, publicSignals: [] }))).code).toBe("NETWORK_ERROR");
    expect((await rejection(api.verify(null as never))).details["field"]).toBe("result");
    expect((await rejection(api.verify({ circuitId: "", proof: {} as never, publicSignals: [] }))).details["field"]).toBe("circuitId");
    expect((await rejection(api.verify({ circuitId: "ebsl-16", proof: {} as never, publicSignals: [] }, { signal: "stop" as never }))).details["field"]).toBe("signal");
    expect((await rejection(api.verify({ circuitId: "ebsl-16", proof: {} as never, publicSignals: [] }, { timeoutMs: 2 ** 31 }))).details["field"]).toBe("timeoutMs");
    const huge = await rejection(api.verify({ circuitId: "c".repeat(2 ** 20), proof: {} as never, publicSignals: [] }));
    expect([huge.details["field"], huge.message.length < 200]).toEqual(["circuitId", true]);
    expect((await rejection(api.verify({ circuitId: "ebsl-16", proof: {} as never, publicSignals: [1] as never }))).details["field"]).toBe("publicSignals");
    api.dispose();
    expect((await rejection(api.verify({ circuitId: "ebsl-16", proof: {} as never, publicSignals: [] }))).code).toBe("DISPOSED");
  });

  it("preload warms the smallest available variant by default", async () => {
    const { api, prover } = setup();
    await api.preload();
    await api.preload("ebsl-64");
    expect(prover.preloads).toEqual(["ebsl-16", "ebsl-64"]);
  });

  it("estimates remaining time when a prediction is available", async () => {
    const { api } = setup({ prediction: (id) => (id === "ebsl-16" ? 2000 : undefined) });
    const seen: ProgressEvent[] = [];
    await api.requestProof(attestations(1), "exact", { ...opts, onProgress: (e) => seen.push(e) });
    const proving = seen.find((e) => e.stage === "proving");
    expect(proving?.estimatedRemainingMs).toBe(1200);
    expect(seen.find((e) => e.stage === "queued")?.estimatedRemainingMs).toBeUndefined();
  });
});
