import { beforeEach, describe, expect, it } from "vitest";
import { WorkerPool, type JobCores, type PooledWorker, type RunOptions } from "../../../../src/lib/proof/engine/pool/worker-pool.js";
import { ProofError, ResourceExhaustedError, TimeoutError } from "../../../../src/lib/proof/core/errors.js";
import { FakeClock, FakeFactory, deferred, flush } from "../fakes.js";
import { codeOf } from "../../../support/rejection.js";

/** A job on a leased worker, as the prover runs one: raced against the lease's failure, then ended. */
function runOn<T>(p: WorkerPool, task: (worker: PooledWorker, cores: JobCores) => Promise<T>, options: RunOptions = {}): Promise<T> {
  return p.request(options).lease.then(async (lease) => {
    try {
      const value = await Promise.race([task(lease.worker, lease.cores), lease.failed]);
      lease.end();
      return value;
    } catch (error) {
      lease.end(error);
      throw error;
    }
  });
}

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
      runOn(p, async (w) => {
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
    await expect(runOn(p, async () => Promise.reject(new TimeoutError("x")))).rejects.toBeInstanceOf(TimeoutError);
    await runOn(p, async () => 1);
    expect(fake.workers).toHaveLength(1);
    expect(fake.workers[0]?.terminated).toBe(false);
    p.dispose();
  });

  it("a job that ran out of memory retires its worker; the next job gets a fresh one", async () => {
    const p = pool(1);
    await expect(runOn(p, async () => Promise.reject(new ResourceExhaustedError("oom")))).rejects.toBeInstanceOf(ResourceExhaustedError);
    await flush(10);
    expect(fake.workers[0]?.terminated).toBe(true);
    await runOn(p, async () => 1);
    expect(fake.workers).toHaveLength(2);
    expect(fake.workers[1]?.terminated).toBe(false);
    p.dispose();
  });

  it("settles a running job with the signal's typed reason (e.g. TIMEOUT) and replaces the worker", async () => {
    const p = pool(1);
    const ctrl = new AbortController();
    const job = runOn(p, () => new Promise(() => undefined), { signal: ctrl.signal });
    await flush(30);
    ctrl.abort(new TimeoutError("budget"));
    expect(await codeOf(job)).toBe("TIMEOUT");
    expect(fake.workers[0]?.terminated).toBe(true);
    clock.advance(0); // the replacement starts on the next timer turn
    expect(fake.workers).toHaveLength(2);
    p.dispose();
  });

  it("hands out leases and runs nothing: the worker started for a request is named at once, a lease counts once however often it ends", async () => {
    const p = pool(1);
    const ticket = p.request();
    expect(ticket.starting?.id).toBe(1);
    const lease = await ticket.lease;
    expect(lease.worker).toBe(ticket.starting);
    const next = p.request();
    expect(next.starting).toBeUndefined(); // the pool is full: the next request waits for this worker
    lease.end();
    lease.end(new ResourceExhaustedError("ignored: the lease had already ended"));
    expect((await next.lease).worker.id).toBe(1);
    expect(fake.workers).toHaveLength(1);
    p.dispose();
  });

  it("a lease's failure rejects when its signal aborts, and its worker is replaced", async () => {
    const p = pool(1);
    const ctrl = new AbortController();
    const lease = await p.request({ signal: ctrl.signal }).lease;
    ctrl.abort();
    expect(await codeOf(lease.failed)).toBe("CANCELLED");
    lease.end(new Error("stopped"));
    expect(fake.workers[0]?.terminated).toBe(true);
    p.dispose();
  });

  it("a job's deadline counts from its request: spent waiting, it leaves the line; spent working, its worker is terminated", async () => {
    const p = pool(1);
    const timeout = () => new TimeoutError("budget");
    const working = runOn(p, () => new Promise(() => undefined), { deadline: { ms: 100, error: timeout } });
    const waiting = runOn(p, async () => "never", { deadline: { ms: 50, error: timeout } });
    await flush(30);
    clock.advance(50);
    expect(await codeOf(waiting)).toBe("TIMEOUT");
    expect(fake.workers[0]?.terminated).toBe(false);
    clock.advance(50);
    expect(await codeOf(working)).toBe("TIMEOUT");
    expect(fake.workers[0]?.terminated).toBe(true);
    p.dispose();
  });

  it("an already-aborted signal rejects before any worker starts", async () => {
    const p = pool(1);
    expect(await codeOf(runOn(p, async () => 1, { signal: AbortSignal.abort() }))).toBe("CANCELLED");
    expect(fake.workers).toHaveLength(0);
  });

  it("a worker that never answers init times out as a start failure", async () => {
    fake.inits = ["hang"];
    const p = pool(1);
    const job = runOn(p, async (w) => w.id);
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
    await runOn(p, async () => 1);
    fake.workers[0]!.die();
    expect(p.stats.idle).toBe(0);
    expect(await runOn(p, async (w) => w.id)).toBe(2);
    p.dispose();
  });

  it("a worker that dies while starting keeps its own error code and message in the typed error", async () => {
    const p = pool(1, { maxStartFailures: 1 });
    fake.inits = ["hang"];
    const job = runOn(p, async () => 1);
    await flush(30);
    fake.workers[0]!.die(1, { code: "ERR_INPUT_TYPE_NOT_ALLOWED", message: "--input-type can only be used with string input via --eval" });
    const error = (await job.catch((e: unknown) => e)) as ProofError;
    expect(error.code).toBe("WORKER_START_FAILED");
    expect(error.message).toContain("ERR_INPUT_TYPE_NOT_ALLOWED: --input-type can only be used");
    expect((error.cause as ProofError).details).toMatchObject({ workerErrorCode: "ERR_INPUT_TYPE_NOT_ALLOWED", kind: "error" });
    p.dispose();
  });

  it("a worker that dies mid-job passes on no error text (it may quote inputs)", async () => {
    const p = pool(1);
    const gate = deferred<void>();
    const job = runOn(p, async () => gate.promise);
    await flush(30);
    fake.workers[0]!.die(1, { code: "ERR_SOMETHING", message: "secret input 12345" });
    const error = (await job.catch((e: unknown) => e)) as ProofError;
    expect(error.code).toBe("WORKER_CRASHED");
    expect(error.message).not.toContain("12345");
    expect(JSON.stringify(error.details)).not.toContain("12345");
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
    expect(await codeOf(runOn(p, async () => 1))).toBe("WORKER_START_FAILED");
    expect(calls).toBe(2);
  });
});

describe("WorkerPool with adaptive threads", () => {
  let clock: FakeClock;
  let fake: FakeFactory;
  const pool = (size: number, cores: number) =>
    new WorkerPool({ factory: fake.factory, size, maxProofsPerWorker: 100, maxStartFailures: 3, startTimeoutMs: 1000, threads: "adaptive", cores, clock });

  beforeEach(() => {
    clock = new FakeClock();
    fake = new FakeFactory();
  });

  /** A job that asks for its threads, records them, and holds until its gate opens. */
  const job = (p: WorkerPool, gate: Promise<void>, seen: number[], signal?: AbortSignal) =>
    runOn(p, 
      async (_w, cores) => {
        seen.push(cores.threads());
        await gate;
      },
      signal ? { signal } : {},
    );

  it("tells workers the core count at start-up", async () => {
    const p = pool(2, 4);
    await runOn(p, async () => undefined);
    expect(fake.workers[0]?.initOptions).toEqual({ threads: "adaptive", cores: 4 });
    p.dispose();
  });

  it("a lone job gets every core; a job arriving meanwhile waits for a core, not just a worker", async () => {
    const p = pool(2, 2);
    await runOn(p, async () => undefined); // one warm worker
    const seen: number[] = [];
    const first = deferred<void>();
    const a = job(p, first.promise, seen);
    await flush(30);
    expect(seen).toEqual([2]);
    expect(p.heldCores).toBe(2);
    const second = deferred<void>();
    const b = job(p, second.promise, seen);
    await flush(30);
    expect(seen).toEqual([2]); // an idle worker exists (started for b), but both cores are held
    expect(p.heldCores).toBe(2);
    first.resolve();
    await a;
    await flush(30);
    expect(seen).toEqual([2, 2]); // alone again: b widens too
    second.resolve();
    await b;
    expect(p.heldCores).toBe(0);
    p.dispose();
  });

  it("a burst submitted in one tick runs one thread per job and never holds more than the cores", async () => {
    const p = pool(2, 2);
    const seen: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred<void>());
    const jobs = gates.map((g) => job(p, g.promise, seen));
    await flush(40);
    expect(seen).toEqual([1, 1]);
    expect(p.heldCores).toBe(2);
    for (const [i, g] of gates.entries()) {
      g.resolve();
      await jobs[i];
      await flush(30);
      expect(p.heldCores).toBeLessThanOrEqual(2);
    }
    // Each later job started while another still ran or waited: one thread each.
    expect(seen).toEqual([1, 1, 1, 1, 1]);
    p.dispose();
  });

  it("aborting a widened job frees its cores for a job waiting on another worker at once", async () => {
    const p = pool(2, 2);
    await Promise.all([runOn(p, async () => undefined), runOn(p, async () => undefined)]); // two warm workers
    const seen: number[] = [];
    const controller = new AbortController();
    const a = job(p, new Promise(() => undefined), seen, controller.signal);
    await flush(30);
    const gate = deferred<void>();
    const b = job(p, gate.promise, seen);
    await flush(30);
    expect(seen).toEqual([2]);
    controller.abort();
    expect(await codeOf(a)).toBe("CANCELLED");
    await flush(30);
    expect(seen).toEqual([2, 2]);
    expect(fake.workers.filter((w) => w.terminated)).toHaveLength(1);
    gate.resolve();
    await b;
    p.dispose();
  });

  it("a worker whose helper thread died (WORKER_CRASHED answer) is replaced", async () => {
    const p = pool(1, 2);
    await runOn(p, async () => undefined);
    const first = fake.workers[0]!;
    await expect(
      runOn(p, async (w) => w.call(async () => ({ ok: false as const, error: { code: "WORKER_CRASHED" as const, message: "helper died" } }))),
    ).rejects.toMatchObject({ code: "WORKER_CRASHED" });
    expect(first.terminated).toBe(true);
    expect(p.heldCores).toBe(0);
    await runOn(p, async (w) => expect(w.id).not.toBe(first.id));
    p.dispose();
  });

  it("a warm-up holds no core: it does not make a job wait", async () => {
    const p = pool(2, 2);
    await Promise.all([runOn(p, async () => undefined), runOn(p, async () => undefined)]); // two warm workers
    const warm = deferred<void>();
    const w = runOn(p, () => warm.promise, { warmup: true, countsAsProof: false });
    await flush(30);
    const seen: number[] = [];
    const gate = deferred<void>();
    const j = job(p, gate.promise, seen);
    await flush(40);
    expect(seen).toEqual([2]);
    warm.resolve();
    gate.resolve();
    await Promise.all([w, j]);
    p.dispose();
  });

  describe("one helper set per pool (a simulated 16-core machine, four workers)", () => {
    /** A job recording which worker proved on more than one thread (started or used its helpers). */
    const tracked = (p: WorkerPool, gate: Promise<void>, wide: number[], seen: number[]) =>
      runOn(p, async (w, cores) => {
        const threads = cores.threads();
        seen.push(threads);
        if (threads > 1) wide.push(w.id);
        await gate;
      });

    it("while jobs wait no proof widens and no worker is asked for helpers; lone proofs then all go to one worker", async () => {
      const p = pool(4, 16);
      const wide: number[] = [];
      const seen: number[] = [];
      const gates = Array.from({ length: 8 }, () => deferred<void>());
      const burst = gates.map((g) => tracked(p, g.promise, wide, seen));
      await flush(40);
      expect(fake.workers).toHaveLength(4);
      expect(seen).toEqual([1, 1, 1, 1]);
      expect(wide).toEqual([]);
      for (const g of gates) g.resolve();
      await Promise.all(burst);
      wide.length = 0;
      // Lone proofs one after another: every one on all 16 cores, all on the same worker.
      for (let i = 0; i < 4; i++) await tracked(p, Promise.resolve(), wide, seen);
      expect(seen.slice(-4)).toEqual([16, 16, 16, 16]);
      expect(new Set(wide).size).toBe(1);
      p.dispose();
    });

    it("a wide proof on another worker (the holder busy on one thread) takes the set over: the holder is told to stop its helpers", async () => {
      const p = pool(4, 16);
      const wide: number[] = [];
      const seen: number[] = [];
      await tracked(p, Promise.resolve(), wide, seen);
      const holder = wide[0]!;
      // Two jobs in one tick: the idle holder takes the first, on one thread (the second waits
      // for a worker); the second widens on a new worker once it alone remains.
      const busy = deferred<void>();
      const a = tracked(p, busy.promise, wide, seen);
      await tracked(p, Promise.resolve(), wide, seen);
      expect(seen).toEqual([16, 1, 15]);
      const next = wide.at(-1)!;
      expect(next).not.toBe(holder);
      await flush(20);
      expect(fake.workers.find((w) => w.id === holder)?.releases).toBe(1);
      busy.resolve();
      await a;
      // The set stays with its new holder: the next lone proof goes there.
      await tracked(p, Promise.resolve(), wide, seen);
      expect(wide.at(-1)).toBe(next);
      expect(fake.workers.reduce((n, w) => n + w.releases, 0)).toBe(1);
      p.dispose();
    });

    it("a warm-up prepares helpers for every core, unless another worker's helpers are in use", async () => {
      const p = pool(4, 16);
      const wide: number[] = [];
      const seen: number[] = [];
      const warmed: number[] = [];
      const warmUp = () => runOn(p, async (_w, cores) => void warmed.push(cores.warmThreads()), { warmup: true, countsAsProof: false });
      await warmUp();
      expect(warmed).toEqual([16]);
      const gate = deferred<void>();
      const running = tracked(p, gate.promise, wide, seen);
      await flush(30);
      expect(seen).toEqual([16]); // the lone proof went to the warmed worker, on every core
      await warmUp();
      expect(warmed).toEqual([16, 1]); // its helpers are in use: the other worker prepares none
      gate.resolve();
      await running;
      p.dispose();
    });
  });

  it("other thread modes never widen and never wait for cores", async () => {
    const p = new WorkerPool({ factory: fake.factory, size: 3, maxProofsPerWorker: 100, maxStartFailures: 3, startTimeoutMs: 1000, threads: "single", cores: 2, clock });
    const seen: number[] = [];
    const gates = Array.from({ length: 3 }, () => deferred<void>());
    const jobs = gates.map((g) => job(p, g.promise, seen));
    await flush(40);
    expect(seen).toEqual([1, 1, 1]);
    for (const g of gates) g.resolve();
    await Promise.all(jobs);
    p.dispose();
  });
});
