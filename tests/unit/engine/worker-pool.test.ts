import { beforeEach, describe, expect, it } from "vitest";
import { WorkerPool, abortError } from "../../../src/lib/proof/engine/worker-pool.js";
import { ProofError, ResourceExhaustedError, TimeoutError } from "../../../src/lib/proof/core/errors.js";
import { FakeClock, FakeFactory, deferred, flush } from "./fakes.js";
import { codeOf } from "../../support/rejection.js";


describe("WorkerPool", () => {
  let clock: FakeClock;
  let fake: FakeFactory;
  const pool = (size = 1, extra: Partial<ConstructorParameters<typeof WorkerPool>[0]> = {}) =>
    new WorkerPool({ factory: fake.factory, size, maxProofsPerWorker: 100, maxStartFailures: 3, startTimeoutMs: 1000, threads: "single", clock, ...extra });

  beforeEach(() => {
    clock = new FakeClock();
    fake = new FakeFactory();
  });

  it("starts nothing until the first job", async () => {
    const p = pool(2);
    await flush();
    expect(fake.workers).toHaveLength(0);
    expect(p.stats).toMatchObject({ starting: 0, idle: 0, busy: 0, spawned: 0 });
  });

  it("gives each job its own worker and never more than size", async () => {
    const p = pool(2);
    const gates = [deferred<void>(), deferred<void>(), deferred<void>()];
    const seen: number[] = [];
    const jobs = gates.map((g) =>
      p.run(async (w) => {
        seen.push(w.id);
        await g.promise;
        return w.id;
      }),
    );
    await flush(30);
    expect(seen).toHaveLength(2);
    expect(new Set(seen).size).toBe(2);
    expect(p.stats).toMatchObject({ busy: 2, waiting: 1 });
    gates[0]!.resolve();
    await flush(30);
    expect(seen).toHaveLength(3);
    expect(seen[2]).toBe(seen[0]); // the freed warm worker took the queued job
    gates[1]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(jobs)).toHaveLength(3);
    expect(fake.workers).toHaveLength(2);
    p.dispose();
  });

  it("a job's own error keeps the worker", async () => {
    const p = pool(1);
    await expect(p.run(async () => Promise.reject(new TimeoutError("x")))).rejects.toBeInstanceOf(TimeoutError);
    await p.run(async () => 1);
    expect(fake.workers).toHaveLength(1);
    expect(fake.workers[0]?.terminated).toBe(false);
    p.dispose();
  });

  it("a job that ran out of memory retires its worker; the next job gets a fresh one", async () => {
    const p = pool(1);
    await expect(p.run(async () => Promise.reject(new ResourceExhaustedError("oom")))).rejects.toBeInstanceOf(ResourceExhaustedError);
    await flush(10);
    expect(fake.workers[0]?.terminated).toBe(true);
    await p.run(async () => 1);
    expect(fake.workers).toHaveLength(2);
    expect(fake.workers[1]?.terminated).toBe(false);
    p.dispose();
  });

  it("settles a running job with the signal's typed reason (e.g. TIMEOUT) and replaces the worker", async () => {
    const p = pool(1);
    const ctrl = new AbortController();
    const job = p.run(() => new Promise(() => undefined), { signal: ctrl.signal });
    await flush(30);
    ctrl.abort(new TimeoutError("budget"));
    expect(await codeOf(job)).toBe("TIMEOUT");
    expect(fake.workers[0]?.terminated).toBe(true);
    clock.advance(0); // the replacement starts on the next timer turn
    expect(fake.workers).toHaveLength(2);
    p.dispose();
  });

  it("an already-aborted signal rejects before any worker starts", async () => {
    const p = pool(1);
    expect(await codeOf(p.run(async () => 1, { signal: AbortSignal.abort() }))).toBe("CANCELLED");
    expect(fake.workers).toHaveLength(0);
  });

  it("a worker that never answers init times out as a start failure", async () => {
    fake.inits = ["hang"];
    const p = pool(1);
    const job = p.run(async (w) => w.id);
    await flush(30);
    clock.advance(1000);
    await flush(30);
    // the first start failed; a second worker started and ran the job
    expect(await job).toBe(2);
    expect(fake.workers[0]?.terminated).toBe(true);
    p.dispose();
  });

  it("the death of an idle worker drops it; the next job gets a new one", async () => {
    const p = pool(1);
    await p.run(async () => 1);
    fake.workers[0]!.die();
    expect(p.stats.idle).toBe(0);
    expect(await p.run(async (w) => w.id)).toBe(2);
    p.dispose();
  });

  it("a factory that throws counts as a start failure", async () => {
    let calls = 0;
    const p = new WorkerPool({
      factory: () => {
        calls += 1;
        throw new Error("no Worker here");
      },
      size: 1,
      maxProofsPerWorker: 10,
      maxStartFailures: 2,
      startTimeoutMs: 1000,
      threads: "single",
      clock,
    });
    expect(await codeOf(p.run(async () => 1))).toBe("WORKER_START_FAILED");
    expect(calls).toBe(2);
  });

  it("abortError maps plain reasons to CANCELLED and keeps typed ones", () => {
    const c = new AbortController();
    c.abort();
    expect(abortError(c.signal).code).toBe("CANCELLED");
    const t = new AbortController();
    const reason = new TimeoutError("t");
    t.abort(reason);
    expect(abortError(t.signal)).toBe(reason);
  });
});
