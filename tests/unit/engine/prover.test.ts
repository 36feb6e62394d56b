import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createProver, defaultPoolSize, proveResolved, rerandomizeResolved, resolveOptions, verifyResolved, type Prover } from "../../../src/lib/proof/engine/prover.js";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import type { ProveProgress } from "../../../src/lib/proof/engine/types.js";
import { CIRCUIT, FakeArtifacts, FakeClock, FakeFactory, FakeWorker, PROOF, flush } from "./fakes.js";
import { codeOf, rejection } from "../../support/rejection.js";

const INPUT = { a: 3n, b: "11" };


describe("createProver (fake workers, fake clock)", () => {
  let clock: FakeClock;
  let fake: FakeFactory;
  let artifacts: FakeArtifacts;
  let prover: Prover;
  const make = (extra: Record<string, unknown> = {}) =>
    createProver({ circuits: [CIRCUIT], artifacts, workerFactory: fake.factory, clock, poolSize: 1, ...extra });

  beforeEach(() => {
    clock = new FakeClock();
    fake = new FakeFactory();
    artifacts = new FakeArtifacts();
    FakeWorker.live = 0;
    FakeWorker.maxLive = 0;
  });
  afterEach(() => prover?.dispose());

  it("creates no worker until the first proof, then reuses the warm one", async () => {
    fake.autoFinish = true;
    prover = make();
    await flush();
    expect(fake.workers).toHaveLength(0);
    const r1 = await prover.prove("tiny", INPUT);
    const r2 = await prover.prove("tiny", INPUT);
    expect(fake.workers).toHaveLength(1);
    expect(r1.publicSignals).toEqual(["42"]);
    expect(r2.verified).toBe(true);
    expect(r2.timings.witnessMs).toBe(3);
    expect(r2.timings.proveMs).toBe(7);
    // artifacts transferred once per worker
    expect(fake.last.loads).toEqual(["tiny"]);
  });

  it("proveResolved runs its own prover's proof without checking the options again; any other prover is asked through prove", async () => {
    fake.autoFinish = true;
    prover = make();
    // `verify` must be a boolean at the public edge; a caller that resolved its options is trusted.
    const unchecked = { verify: 1 as unknown as boolean };
    expect(await codeOf(prover.prove("tiny", INPUT, unchecked))).toBe("VALIDATION_ERROR");
    expect((await proveResolved(prover, "tiny", INPUT, unchecked)).publicSignals).toEqual(["42"]);
    const asked: unknown[] = [];
    const custom = { ...prover, prove: async (...args: unknown[]) => (asked.push(args), prover.prove("tiny", INPUT)) } as Prover;
    await proveResolved(custom, "tiny", INPUT, { verify: true });
    expect(asked).toEqual([["tiny", INPUT, { verify: true }]]);
  });

  it("verifyResolved skips the second check of the options the same way", async () => {
    fake.autoFinish = true;
    prover = make();
    // `timeoutMs` must be a whole number of ms at the public edge; a caller that resolved its options is trusted.
    const unchecked = { timeoutMs: 60_000.5 };
    expect(await codeOf(prover.verify("tiny", PROOF, ["42"], unchecked))).toBe("VALIDATION_ERROR");
    expect(typeof (await verifyResolved(prover, "tiny", PROOF, ["42"], unchecked))).toBe("boolean");
    const asked: unknown[] = [];
    const custom = { ...prover, verify: async (...args: unknown[]) => (asked.push(args), true) } as Prover;
    expect(await verifyResolved(custom, "tiny", PROOF, ["42"], { timeoutMs: 5 })).toBe(true);
    expect(asked).toEqual([["tiny", PROOF, ["42"], { timeoutMs: 5 }]]);
  });

  it("rerandomizeResolved skips the second check too; another prover's own rerandomize is used, and none is undefined", async () => {
    fake.autoFinish = true;
    prover = make();
    const unchecked = { timeoutMs: 60_000.5 };
    expect(await codeOf(prover.rerandomize!("tiny", PROOF, unchecked))).toBe("VALIDATION_ERROR");
    expect(await rerandomizeResolved(prover)!("tiny", PROOF, unchecked)).toEqual(PROOF);
    const asked: unknown[] = [];
    const custom = { ...prover, rerandomize: async (...args: unknown[]) => (asked.push(args), PROOF) } as Prover;
    await rerandomizeResolved(custom)!("tiny", PROOF, { timeoutMs: 5 });
    expect(asked).toEqual([["tiny", PROOF, { timeoutMs: 5 }]]);
    expect(rerandomizeResolved({ ...prover, rerandomize: undefined } as Prover)).toBeUndefined();
  });

  it("runs one job per worker: with poolSize 1 a second proof waits", async () => {
    prover = make();
    const p1 = prover.prove("tiny", INPUT);
    const p2 = prover.prove("tiny", INPUT);
    await flush(30);
    expect(fake.last.proveCalls).toBe(1);
    fake.last.finishProof();
    await p1;
    await flush(30);
    expect(fake.last.proveCalls).toBe(2);
    fake.last.finishProof();
    await p2;
    expect(FakeWorker.maxLive).toBe(1);
    expect(fake.workers).toHaveLength(1);
  });

  it("runs proofs in parallel up to poolSize, each on its own worker", async () => {
    fake.autoFinish = true;
    prover = make({ poolSize: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => prover.prove("tiny", INPUT)));
    expect(results).toHaveLength(4);
    expect(fake.workers.length).toBe(2);
    for (const w of fake.workers) expect(w.proving).toBe(0);
  });

  it("abort while queued removes the job without touching the running one", async () => {
    prover = make();
    const p1 = prover.prove("tiny", INPUT);
    const ctrl = new AbortController();
    const p2 = prover.prove("tiny", INPUT, { signal: ctrl.signal });
    await flush(30);
    ctrl.abort();
    expect(await codeOf(p2)).toBe("CANCELLED");
    fake.last.finishProof();
    await expect(p1).resolves.toMatchObject({ circuitId: "tiny" });
    expect(fake.last.proveCalls).toBe(1);
    expect(fake.last.terminated).toBe(false);
  });

  it("abort while running terminates the worker, settles at once with CANCELLED, and replaces it", async () => {
    prover = make();
    const ctrl = new AbortController();
    const p = prover.prove("tiny", INPUT, { signal: ctrl.signal });
    await flush(30);
    const first = fake.last;
    expect(first.proveCalls).toBe(1);
    ctrl.abort();
    // settles without the worker ever answering
    expect(await codeOf(p)).toBe("CANCELLED");
    expect(first.terminated).toBe(true);
    clock.advance(0); // the replacement starts on the next timer turn
    expect(fake.workers).toHaveLength(2);
    fake.autoFinish = true;
    fake.last.autoFinish = true;
    await expect(prover.prove("tiny", INPUT)).resolves.toMatchObject({ publicSignals: ["42"] });
    expect(fake.last.loads).toEqual(["tiny"]); // the replacement got the artifacts again
  });

  it("a worker crash rejects with WORKER_CRASHED and a replacement takes the next job", async () => {
    prover = make();
    const p = prover.prove("tiny", INPUT);
    await flush(30);
    fake.last.die(1);
    expect(await codeOf(p)).toBe("WORKER_CRASHED");
    clock.advance(0); // the replacement starts on the next timer turn
    expect(fake.workers).toHaveLength(2);
    fake.last.autoFinish = true;
    await expect(prover.prove("tiny", INPUT)).resolves.toMatchObject({ verified: true });
  });

  it("a timeout rejects with TIMEOUT, terminates and replaces the worker", async () => {
    prover = make({ timeoutMs: 1000 });
    const p = prover.prove("tiny", INPUT);
    await flush(30);
    const first = fake.last;
    clock.advance(999);
    await flush();
    expect(first.terminated).toBe(false);
    clock.advance(1);
    expect(await codeOf(p)).toBe("TIMEOUT");
    expect(first.terminated).toBe(true);
    clock.advance(0); // the replacement starts on the next timer turn
    expect(fake.workers).toHaveLength(2);
  });

  it("a per-call timeoutMs overrides the default and timers are cleared after success", async () => {
    fake.autoFinish = true;
    prover = make({ timeoutMs: 1000 });
    await prover.prove("tiny", INPUT, { timeoutMs: 50 });
    clock.advance(0); // the new worker's prefetch turn (0 ms) runs; no budget timer may be left
    expect(clock.pending).toBe(0);
  });

  it("recycles a worker after maxProofsPerWorker proofs", async () => {
    fake.autoFinish = true;
    prover = make({ maxProofsPerWorker: 2 });
    await prover.prove("tiny", INPUT);
    await prover.prove("tiny", INPUT);
    expect(fake.workers[0]?.terminated).toBe(true);
    fake.last.autoFinish = true;
    await prover.prove("tiny", INPUT);
    expect(fake.workers).toHaveLength(2);
    expect(fake.workers[1]?.proveCalls).toBe(1);
  });

  it("stops respawning after repeated start-up failures with WORKER_START_FAILED", async () => {
    fake.inits = ["fail", "die", "hang"];
    prover = make({ maxStartFailures: 3, startTimeoutMs: 500 });
    const p = prover.prove("tiny", INPUT);
    await flush(50);
    clock.advance(500); // the hanging third start times out
    expect(await codeOf(p)).toBe("WORKER_START_FAILED");
    expect(fake.workers).toHaveLength(3);
    expect(await codeOf(prover.prove("tiny", INPUT))).toBe("WORKER_START_FAILED");
    expect(fake.workers).toHaveLength(3);
  });

  it("a start-up failure below the limit is retried and the counter resets", async () => {
    fake.inits = ["fail", "ok"];
    fake.autoFinish = true;
    prover = make({ maxStartFailures: 2 });
    await expect(prover.prove("tiny", INPUT)).resolves.toMatchObject({ circuitId: "tiny" });
    expect(fake.workers).toHaveLength(2);
  });

  it("dispose terminates every worker and rejects running and queued jobs with DISPOSED", async () => {
    prover = make({ poolSize: 1 });
    const running = prover.prove("tiny", INPUT);
    const queued = prover.prove("tiny", INPUT);
    await flush(30);
    prover.dispose();
    expect(await codeOf(running)).toBe("DISPOSED");
    expect(await codeOf(queued)).toBe("DISPOSED");
    expect(fake.workers.every((w) => w.terminated)).toBe(true);
    expect(await codeOf(prover.prove("tiny", INPUT))).toBe("DISPOSED");
  });

  it("rebuilds typed errors returned by the worker and keeps the worker", async () => {
    prover = make();
    const p = prover.prove("tiny", INPUT);
    await flush(30);
    fake.last.proveResult = { ok: false, error: { code: "WITNESS_CONSTRAINT_FAILED", message: "assert", details: { line: 13 } } };
    fake.last.finishProof();
    const err = await p.catch((e: ProofError) => e);
    expect((err as ProofError).code).toBe("WITNESS_CONSTRAINT_FAILED");
    expect((err as ProofError).details).toEqual({ line: 13 });
    expect(fake.last.terminated).toBe(false);
  });

  it("rejects a proof that does not verify with VERIFICATION_FAILED", async () => {
    fake.autoFinish = true;
    prover = make();
    const p = prover.prove("tiny", INPUT);
    await flush(5);
    fake.last.valid = false;
    expect(await codeOf(p)).toBe("VERIFICATION_FAILED");
  });

  it("validates before any work: unknown circuit and non-integer input", async () => {
    prover = make();
    expect(await codeOf(prover.prove("nope", INPUT))).toBe("CIRCUIT_NOT_FOUND");
    expect(await codeOf(prover.prove("tiny", { a: 1.5 }))).toBe("WITNESS_INPUT_INVALID");
    expect(await codeOf(prover.prove("tiny", { a: -3 }))).toBe("WITNESS_INPUT_INVALID");
    expect(fake.workers).toHaveLength(0);
    expect(artifacts.loads).toBe(0);
  });

  it("reports monotonic progress through every phase ending at 100", async () => {
    fake.autoFinish = true;
    prover = make();
    const events: ProveProgress[] = [];
    await prover.prove("tiny", INPUT, { onProgress: (p) => events.push(p) });
    const percents = events.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(events.map((e) => e.phase)).toEqual(expect.arrayContaining(["starting", "artifacts", "witness", "proving", "verifying", "done"]));
    expect(events.at(-1)).toMatchObject({ phase: "done", percent: 100 });
  });

  it("loads artifacts inside the worker by default (pins only) and sizes the bar by what the job must do", async () => {
    fake.autoFinish = true;
    prover = createProver({ circuits: [{ ...CIRCUIT, wasm: { ...CIRCUIT.wasm, url: "https://cdn.example/c/tiny.wasm" } }], workerFactory: fake.factory, clock, poolSize: 1 });
    const first: ProveProgress[] = [];
    await prover.prove("tiny", INPUT, { onProgress: (p) => first.push(p) });
    expect(fake.last.pinnedLoads.map((c) => c.id)).toEqual(["tiny"]);
    expect(fake.last.loads).toEqual([]); // no bytes crossed from the caller's thread
    // Only the pins cross: absolute URLs, sizes and hashes, nothing else.
    expect(Object.keys(fake.last.pinnedLoads[0]!).sort()).toEqual(["id", "vkey", "wasm", "zkey"]);
    expect(fake.last.pinnedLoads[0]!.wasm.url).toBe("https://cdn.example/c/tiny.wasm");
    // Cold: starting a worker and downloading weigh most of the bar before the witness.
    const witnessAt = first.find((e) => e.phase === "witness")!.percent;
    expect(witnessAt).toBeGreaterThan(20);
    expect(first.some((e) => e.phase === "artifacts" && e.artifact?.source === "network")).toBe(true);

    const warm: ProveProgress[] = [];
    await prover.prove("tiny", INPUT, { onProgress: (p) => warm.push(p) });
    expect(fake.last.pinnedLoads).toHaveLength(1); // held by the warm worker
    expect(warm.map((e) => e.phase)).not.toContain("artifacts");
    expect(warm.map((e) => e.phase)).not.toContain("starting");
    expect(warm.find((e) => e.phase === "witness")!.percent).toBeLessThan(5);
  });

  it("preload warms a worker and a proof asked for meanwhile joins it instead of starting another", async () => {
    fake.autoFinish = true;
    prover = make({ poolSize: 2 });
    const preload = prover.preload("tiny");
    const proof = prover.prove("tiny", INPUT);
    await preload;
    await proof;
    expect(fake.workers).toHaveLength(1);
    expect(artifacts.loads).toBe(1);
    expect(fake.last.loads).toEqual(["tiny"]);
    // The proof was waiting once the worker was built: the rehearsal was skipped for it.
    expect(fake.last.warmRehearse).toEqual([false]);
  });

  it("preload builds what the next lone proof would build: for every core in adaptive mode, one thread otherwise", async () => {
    fake.autoFinish = true;
    prover = make({ threads: "adaptive", cores: 16 });
    await prover.preload("tiny");
    // Built, then rehearsed (nobody waits).
    expect(fake.last.warmThreads).toEqual([16, 16]);
    expect(fake.last.warmRehearse).toEqual([false, true]);
    prover.dispose();
    prover = make({ threads: "single", cores: 16 });
    await prover.preload("tiny");
    expect(fake.last.warmThreads).toEqual([1, 1]);
  });

  it("verify() and preload() run in a worker without counting as proofs", async () => {
    fake.autoFinish = true;
    prover = make({ maxProofsPerWorker: 1 });
    await prover.preload("tiny");
    expect(fake.workers).toHaveLength(1);
    expect(fake.last.loads).toEqual(["tiny"]);
    await expect(prover.verify("tiny", { pi_a: [], pi_b: [], pi_c: [], protocol: "groth16", curve: "bn128" }, [])).resolves.toBe(true);
    expect(fake.workers[0]?.terminated).toBe(false);
  });

  it("refuses bad call options with a ValidationError naming the option, before any work", async () => {
    prover = make();
    const field = async (p: Promise<unknown>) => (await rejection(p)).details["field"];
    expect(await field(prover.prove("tiny", INPUT, { signal: { aborted: false } as never }))).toBe("signal");
    expect(await field(prover.prove("tiny", INPUT, { onProgress: "log" as never }))).toBe("onProgress");
    expect(await field(prover.prove("tiny", INPUT, { verify: "yes" as never }))).toBe("verify");
    expect(await field(prover.prove("tiny", INPUT, null as never))).toBe("options");
    expect(await field(prover.verify("tiny", PROOF, [], { signal: "stop" as never }))).toBe("signal");
    expect(await field(prover.preload("tiny", { timeoutMs: 0 }))).toBe("timeoutMs");
    expect(fake.workers).toHaveLength(0);
    expect(artifacts.loads).toBe(0);
  });

  it("refuses durations a timer cannot hold (2^31 ms or more would fire at once)", async () => {
    prover = make();
    for (const timeoutMs of [2 ** 31, 2 ** 53, Number.POSITIVE_INFINITY, 1.5]) {
      expect((await rejection(prover.prove("tiny", INPUT, { timeoutMs }))).details["field"]).toBe("timeoutMs");
    }
    expect(clock.pending).toBe(0);
    const base = { circuits: [CIRCUIT], artifacts: new FakeArtifacts() };
    expect(() => resolveOptions({ ...base, startTimeoutMs: 2 ** 31 })).toThrow(/startTimeoutMs/);
    expect(() => resolveOptions({ ...base, timeoutMs: 2 ** 31 })).toThrow(/timeoutMs/);
    expect(resolveOptions({ ...base, timeoutMs: 2 ** 31 - 1, startTimeoutMs: 2 ** 31 - 1 }).timeoutMs).toBe(2 ** 31 - 1);
  });

  it("resolves options once with validation", () => {
    expect(() => resolveOptions({ circuits: [], artifacts: new FakeArtifacts(), poolSize: 0 })).toThrow(/poolSize/);
    expect(() => resolveOptions({ circuits: { x: CIRCUIT }, artifacts: new FakeArtifacts() })).toThrow(/does not match/);
    expect(() => resolveOptions({ circuits: [], artifacts: new FakeArtifacts(), threads: "many" as never })).toThrow(/threads/);
    const r = resolveOptions({ circuits: { tiny: CIRCUIT }, artifacts: new FakeArtifacts(), poolSize: 2 });
    expect(r.circuits.get("tiny")).toBe(CIRCUIT);
    expect(r.threads).toBe("adaptive");
    // bn254 is the default backend, with adaptive threads; snarkjs stays available as the reference.
    expect(r.backend).toBe("bn254");
    const ref = resolveOptions({ circuits: [], artifacts: new FakeArtifacts(), backend: "snarkjs" });
    expect([ref.backend, ref.threads]).toEqual(["snarkjs", "adaptive"]);
    expect(resolveOptions({ circuits: [], artifacts: new FakeArtifacts(), backend: "bn254", threads: "single" }).threads).toBe("single");
    expect(() => resolveOptions({ circuits: [], artifacts: new FakeArtifacts(), backend: "rapid" as never })).toThrow(/backend/);
    expect(defaultPoolSize({ hardwareConcurrency: 8, deviceMemory: 2 })).toBe(2);
    expect(defaultPoolSize({ hardwareConcurrency: 2 })).toBe(2);
    expect(defaultPoolSize({ hardwareConcurrency: 16 })).toBe(4);
    expect(defaultPoolSize({})).toBe(1);
  });
});
