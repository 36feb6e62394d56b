// Load campaign: `npm run bench -- load [shape...] [--key=value]` against the BUILT
// library (dist/), real proofs on ebsl-16, every request bounded by a hard wall-clock cap.
//
//   burst  many small proofs submitted at once
//   spike  idle pool, a LOW backlog, then a HIGH burst on top of it
//   soak   a steady rate for --soakSeconds (memory sampled every 2 s)
//   chaos  a steady rate with --faultPercent % of proofs faulted (crash, stall → timeout, memory)
//
// Per shape: submitted, succeeded, failed by code, hung (not settled by the cap), p50/p95/p99,
// throughput, memory start/end, and a final probe proof (pool healthy). The last stdout line is
// the JSON report. KPIs: success >= 99.5 % without faults; 100 % of faulted jobs end typed or
// recovered; 0 hangs; soak memory growth < 10 %.
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

const node = await import(new URL("../dist/node.js", import.meta.url).href);
const testing = await import(new URL("../dist/testing.js", import.meta.url).href);

const flags = Object.fromEntries(process.argv.slice(2).filter((a) => a.startsWith("--")).map((a) => a.slice(2).split("=")));
const num = (k, d) => (flags[k] !== undefined ? Number(flags[k]) : d);
const CONFIG = {
  poolSize: num("poolSize", Math.min(2, availableParallelism())),
  burst: num("burst", 24),
  spikeBacklog: num("spikeBacklog", 10),
  spikeBurst: num("spikeBurst", 6),
  spikeIdleMs: num("spikeIdleMs", 3000),
  soakSeconds: num("soakSeconds", 60),
  soakRate: num("soakRate", 0.5),
  chaosSeconds: num("chaosSeconds", 45),
  chaosRate: num("chaosRate", 0.6),
  faultPercent: num("faultPercent", 25),
  timeoutMs: num("timeoutMs", 60_000),
  chaosTimeoutMs: num("chaosTimeoutMs", 15_000),
  seed: num("seed", 7),
  capMs: num("capMs", 240_000),
};
const SHAPES = ["burst", "spike", "soak", "chaos"];
const asked = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const shapes = asked.length ? asked.filter((s) => SHAPES.includes(s)) : SHAPES;
if (asked.some((s) => !SHAPES.includes(s))) {
  console.error(`unknown shape(s): ${asked.filter((s) => !SHAPES.includes(s)).join(", ")}; available: ${SHAPES.join(", ")}`);
  process.exit(2);
}

const NOW = 1_767_225_600_000;
const FAULT_CODES = { crash: "WORKER_CRASHED", stall: "TIMEOUT", memory: "RESOURCE_EXHAUSTED" };
let salt = 0;
/** Distinct small inputs (the proof cache must never answer a load request). */
function attestations(n = 3) {
  salt++;
  return Array.from({ length: n }, (_, i) => ({
    source: `0x${(0x10000 + salt * 31 + i).toString(16)}`,
    target: "0xabc",
    opinion: { belief: 0.5 + (i % 3) / 10, disbelief: 0.1, uncertainty: 0.4 - (i % 3) / 10, base_rate: 0.5 },
    attestation_type: "trust",
    weight: 1 + ((salt + i) % 5),
    created_at: NOW - 3_600_000 - salt,
    expires_at: NOW + 86_400_000,
  }));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (b) => Math.round((b / 1048576) * 10) / 10;
const rss = () => process.memoryUsage().rss;
function pct(sorted, p) {
  if (!sorted.length) return null;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]);
}

function makeApi(workerFactory, timeoutMs = CONFIG.timeoutMs) {
  return node.createNodeProofAPI({
    proverOptions: { poolSize: CONFIG.poolSize },
    maxQueued: 1000,
    timeoutMs,
    rateLimit: false,
    cache: false,
    ...(workerFactory ? { workerFactory } : {}),
  });
}

/** Tracks every request of a shape until it settles or the cap passes. */
function tracker() {
  const jobs = [];
  return {
    jobs,
    submit(api, options = {}) {
      const job = { t0: performance.now(), settled: false, priority: options.priority ?? 1 };
      job.promise = api.requestProof(attestations(), "threshold", { now: NOW, ...options }).then(
        (r) => Object.assign(job, { settled: true, ok: true, ms: performance.now() - job.t0, attempts: r.attempts, at: performance.now() }),
        (e) => Object.assign(job, { settled: true, ok: false, code: typeof e?.code === "string" ? e.code : `UNTYPED:${e?.name}`, typed: e instanceof node.ProofError, ms: performance.now() - job.t0, at: performance.now() }),
      );
      jobs.push(job);
      return job;
    },
    /** Wait for all to settle, at most until `deadline` (performance.now() ms). */
    async settle(deadline) {
      await Promise.race([Promise.all(jobs.map((j) => j.promise)), sleep(Math.max(0, deadline - performance.now()))]);
    },
  };
}

async function probe(api) {
  const t = performance.now();
  try {
    const r = await Promise.race([api.requestProof(attestations(2), "exact", { now: NOW }), sleep(60_000).then(() => undefined)]);
    return { healthy: r?.proof !== undefined, probeMs: Math.round(performance.now() - t) };
  } catch (e) {
    return { healthy: false, probeMs: Math.round(performance.now() - t), code: e?.code };
  }
}

function summarize(name, t, { wallMs, memStart, memEnd, extra = {} }) {
  const ok = t.jobs.filter((j) => j.settled && j.ok);
  const failed = t.jobs.filter((j) => j.settled && !j.ok);
  const byCode = {};
  for (const j of failed) byCode[j.code] = (byCode[j.code] ?? 0) + 1;
  const lat = ok.map((j) => j.ms).sort((a, b) => a - b);
  return {
    shape: name,
    submitted: t.jobs.length,
    succeeded: ok.length,
    failedByCode: byCode,
    untyped: failed.filter((j) => !j.typed).length,
    hung: t.jobs.filter((j) => !j.settled).length,
    successRate: t.jobs.length ? Math.round((ok.length / t.jobs.length) * 10000) / 100 : 0,
    p50Ms: pct(lat, 50),
    p95Ms: pct(lat, 95),
    p99Ms: pct(lat, 99),
    throughputPerS: Math.round((ok.length / (wallMs / 1000)) * 100) / 100,
    wallMs: Math.round(wallMs),
    memStartMb: mb(memStart),
    memEndMb: mb(memEnd),
    ...extra,
  };
}

/** Run `body(api, t)` with warm workers; settle by the cap; probe; dispose. */
async function runShape(name, body, { workerFactory, extra, timeoutMs } = {}) {
  const api = makeApi(workerFactory, timeoutMs);
  const faults = workerFactory?.schedule;
  faults?.pause(); // warm-up and the final probe are never faulted
  const events = [];
  api.subscribe((e) => events.push(e));
  // Warm every worker first (snarkjs import, curve, artifacts) so the shape measures load.
  await Promise.all(Array.from({ length: CONFIG.poolSize }, () => api.requestProof(attestations(), "threshold", { now: NOW }).catch(() => undefined)));
  const memStart = rss();
  faults?.resume();
  const t = tracker();
  const t0 = performance.now();
  const deadline = t0 + CONFIG.capMs;
  const ctx = await body(api, t, deadline);
  await t.settle(deadline);
  const wallMs = performance.now() - t0;
  const memEnd = rss();
  faults?.pause();
  const health = await probe(api);
  const report = summarize(name, t, { wallMs, memStart, memEnd, extra: { ...health, ...(extra ? extra(t, events, ctx) : {}) } });
  api.dispose();
  return report;
}

/** Submit at `rate` per second for `seconds`. */
async function steady(api, t, seconds, rate, deadline, onTick) {
  const n = Math.max(1, Math.round(seconds * rate));
  const start = performance.now();
  for (let i = 0; i < n && performance.now() < deadline; i++) {
    const due = start + (i * 1000) / rate;
    if (due > performance.now()) await sleep(due - performance.now());
    t.submit(api);
    onTick?.();
  }
}

const SHAPE_RUNNERS = {
  burst: () =>
    runShape("burst", async (api, t) => {
      for (let i = 0; i < CONFIG.burst; i++) t.submit(api);
    }),

  spike: () =>
    runShape(
      "spike",
      async (api, t) => {
        await sleep(CONFIG.spikeIdleMs); // idle, warm pool
        for (let i = 0; i < CONFIG.spikeBacklog; i++) t.submit(api, { priority: node.ProofPriority.LOW });
        await sleep(500);
        for (let i = 0; i < CONFIG.spikeBurst; i++) t.submit(api, { priority: node.ProofPriority.HIGH });
      },
      {
        extra: (t) => {
          const high = t.jobs.filter((j) => j.priority === node.ProofPriority.HIGH && j.ok).map((j) => j.ms).sort((a, b) => a - b);
          const low = t.jobs.filter((j) => j.priority === node.ProofPriority.LOW && j.ok).map((j) => j.ms).sort((a, b) => a - b);
          const lastHighAt = Math.max(...t.jobs.filter((j) => j.priority === node.ProofPriority.HIGH).map((j) => j.at ?? Infinity));
          const lowAfterHigh = t.jobs.filter((j) => j.priority === node.ProofPriority.LOW && (j.at ?? Infinity) > lastHighAt).length;
          return { highP50Ms: pct(high, 50), lowP50Ms: pct(low, 50), lowBacklogStillQueuedWhenHighDone: lowAfterHigh };
        },
      },
    ),

  soak: () => {
    const samples = [];
    let timer;
    return runShape(
      "soak",
      async (api, t, deadline) => {
        timer = setInterval(() => samples.push(rss()), 2000);
        await steady(api, t, CONFIG.soakSeconds, CONFIG.soakRate, deadline);
      },
      {
        extra: () => {
          clearInterval(timer);
          const q = Math.max(1, Math.floor(samples.length / 4));
          const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
          const first = mean(samples.slice(0, q));
          const last = mean(samples.slice(-q));
          return { memSamples: samples.length, memFirstQuarterMb: mb(first), memLastQuarterMb: mb(last), memGrowthPct: Math.round(((last - first) / first) * 1000) / 10, memPeakMb: mb(Math.max(...samples)) };
        },
      },
    );
  },

  chaos: () => {
    const p = CONFIG.faultPercent / 100 / 3;
    const plans = ["crash", "stall", "memory"].map((kind, i) => ({ kind, probability: p, seed: CONFIG.seed + i }));
    const factory = testing.createNodeFaultWorkerFactory(plans, { Worker, stallMs: 600_000 });
    return runShape("chaos", (api, t, deadline) => steady(api, t, CONFIG.chaosSeconds, CONFIG.chaosRate, deadline), {
      workerFactory: factory,
      timeoutMs: CONFIG.chaosTimeoutMs,
      extra: (t, events) => {
        const injected = factory.schedule.counts();
        const faultFailures = {};
        for (const e of events) if (e.type === "attempt-failed" && Object.values(FAULT_CODES).includes(e.code)) faultFailures[e.code] = (faultFailures[e.code] ?? 0) + 1;
        // Each injected fault must surface as its typed attempt failure. A slow machine can add
        // genuine TIMEOUTs on top (queue wait counts against the budget): reported, not hidden.
        const matched = Object.entries(FAULT_CODES).every(([kind, code]) => (faultFailures[code] ?? 0) >= (injected[kind] ?? 0));
        const injectedTotal = Object.values(injected).reduce((a, b) => a + b, 0);
        const surfaced = Object.values(faultFailures).reduce((a, b) => a + b, 0);
        return { faultPercent: CONFIG.faultPercent, injected, injectedTotal, faultAttemptFailures: faultFailures, failuresBeyondInjected: surfaced - injectedTotal, everyFaultSurfacedTyped: matched };
      },
    });
  },
};

const reports = [];
const started = performance.now();
for (const shape of shapes) {
  console.error(`load: ${shape} ...`);
  const r = await SHAPE_RUNNERS[shape]();
  reports.push(r);
  const codes = Object.entries(r.failedByCode).map(([c, n]) => `${c}:${n}`).join(" ") || "-";
  console.log(
    `${r.shape.padEnd(6)} submitted ${String(r.submitted).padStart(3)}  ok ${String(r.succeeded).padStart(3)} (${r.successRate}%)  failed ${codes}  hung ${r.hung}  p50/p95/p99 ${r.p50Ms}/${r.p95Ms}/${r.p99Ms} ms  ${r.throughputPerS}/s  mem ${r.memStartMb}→${r.memEndMb} MB  healthy ${r.healthy}`,
  );
}

const byShape = Object.fromEntries(reports.map((r) => [r.shape, r]));
const clean = reports.filter((r) => r.shape !== "chaos");
const kpis = {
  successWithoutFaults: clean.length ? clean.every((r) => r.successRate >= 99.5) : null,
  faultedJobsTypedOrRecovered: byShape.chaos ? byShape.chaos.untyped === 0 && byShape.chaos.hung === 0 && byShape.chaos.everyFaultSurfacedTyped : null,
  zeroHangs: reports.every((r) => r.hung === 0),
  soakMemoryGrowthUnder10Pct: byShape.soak ? byShape.soak.memGrowthPct < 10 : null,
  poolHealthyAtEnd: reports.every((r) => r.healthy),
};
const pass = Object.values(kpis).every((v) => v !== false);
await globalThis.curve_bn128?.terminate?.();
console.log(JSON.stringify({ bench: "load", config: CONFIG, shapes: reports, kpis, pass, wallMs: Math.round(performance.now() - started) }));
process.exit(pass ? 0 : 1);
