// One proof at a time: remote (proofline/node's remote mode over WebSocket, Redis, one worker
// process) against direct proofline/node, interleaved rounds, p50 of each and of the overhead.
// Remote proving throughput on Redis with 1 and 2 `proofline worker` processes against direct
// proofline/node in one process (pool = cores), the same 8 distinct ebsl-16 requests each time,
// submitted at once; then fast-fail refusals while the service proves: no API key (401), over the
// rate limit (429 RATE_LIMITED) and over the queue bound (503 QUEUE_FULL), each answered while
// workers are busy, with p50/p99. Bounded: --jobs requests per phase, --refusals per kind; every
// process it starts is stopped by PID. The LAST line is JSON.
//   npm run bench -- service-load [--jobs 8] [--refusals 200]
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { createService } from "../packages/server/src/index.mjs";
import { attestations, loadavg, percentile, startRedis, startWorker } from "./_service-fixtures.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const JOBS = arg("jobs", 8);
const REFUSALS = arg("refusals", 200);
const now = Date.now();
const requestBody = (i) => ({ attestations: attestations(6 + (i % 6), now, i * 100), proofType: "threshold", now, threshold: 100_000 });
const round = Math.round;

/** Direct: one proofline/node API in this process proves the batch (cache off), all at once. */
async function direct() {
  const node = await import(`${root}dist/node.js`);
  const api = node.createNodeProofAPI({ workerUrl: new URL(`file://${root}dist/prover.node-worker.js`), cache: false, rateLimit: false });
  try {
    await api.requestProof(attestations(4, now, 9_999), "threshold", { now, threshold: 100_000 }); // warm
    const t0 = performance.now();
    await Promise.all(Array.from({ length: JOBS }, (_, i) => api.requestProof(requestBody(i).attestations, "threshold", { now, threshold: 100_000 })));
    return performance.now() - t0;
  } finally {
    api.dispose();
  }
}

/** Lone proofs, `rounds` interleaved: direct proofline/node vs the remote client, distinct inputs. */
async function lone(rounds) {
  const node = await import(`${root}dist/node.js`);
  const { default: WebSocket } = await import("ws");
  const redis = await startRedis();
  let worker;
  let app;
  const direct = node.createNodeProofAPI({ workerUrl: new URL(`file://${root}dist/prover.node-worker.js`), cache: false, rateLimit: false });
  let client;
  try {
    worker = await startWorker(redis.url);
    app = await createService({ redisUrl: redis.url, rateLimit: false });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    client = node.createNodeProofAPI({ workerUrl: new URL(`file://${root}dist/prover.node-worker.js`), cache: false, rateLimit: false, remote: { url: base, WebSocket } });
    const ask = (api, i, remoteMode) => api.requestProof(attestations(8, now, 200_000 + i * 100), "threshold", { now, threshold: 100_000, ...(remoteMode ? { mode: "remote" } : {}) });
    await ask(direct, -1, false);
    await ask(client, -2, true);
    const times = { direct: [], remote: [] };
    for (let i = 0; i < rounds; i++) {
      for (const side of i % 2 ? ["remote", "direct"] : ["direct", "remote"]) {
        const t = performance.now();
        await ask(side === "direct" ? direct : client, 2 * i + (side === "remote" ? 1 : 0), side === "remote");
        times[side].push(performance.now() - t);
      }
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { rounds, directP50: round(med(times.direct)), remoteP50: round(med(times.remote)), overheadP50: round(med(times.remote.map((r, i) => r - times.direct[i]))) };
  } finally {
    direct.dispose();
    client?.dispose();
    await app?.close();
    await worker?.stop();
    await redis.stop();
  }
}

/** Poll a job until it ends (the bench's own client; the tests cover the socket). */
async function waitJob(base, headers, id) {
  for (;;) {
    const job = await (await fetch(`${base}/v1/proofs/${id}`, { headers })).json();
    if (job.status === "COMPLETED") return job;
    if (job.status === "FAILED" || job.status === "CANCELLED") throw new Error(`job ${id} ${job.status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Remote on Redis with `workers` worker processes: the batch submitted at once, until all completed. */
async function remote(workerCount) {
  const redis = await startRedis();
  const workers = [];
  let app;
  try {
    workers.push(...(await Promise.all(Array.from({ length: workerCount }, () => startWorker(redis.url)))));
    app = await createService({ redisUrl: redis.url, apiKeys: { k: "bench" }, rateLimit: false });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const headers = { authorization: "Bearer k", "content-type": "application/json" };
    const submit = async (body) => (await (await fetch(`${base}/v1/proofs`, { method: "POST", headers, body: JSON.stringify(body) })).json()).id;
    // Warm every worker (each proves one before the clock starts).
    await Promise.all(Array.from({ length: workerCount }, async (_, w) => waitJob(base, headers, await submit({ ...requestBody(0), attestations: attestations(4, now, 50_000 + w) }))));
    const t0 = performance.now();
    const ids = await Promise.all(Array.from({ length: JOBS }, (_, i) => submit(requestBody(i))));
    await Promise.all(ids.map((id) => waitJob(base, headers, id)));
    return performance.now() - t0;
  } finally {
    await app?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
}

/**
 * Refusals while a worker proves: two API instances on one Redis, one with a queue bound of 3 and
 * no rate limit, one with a rate limit of 1 proof per hour; each kind `REFUSALS` times in a row.
 */
async function refusals() {
  const redis = await startRedis();
  let worker;
  const apps = [];
  try {
    worker = await startWorker(redis.url);
    const listen = async (options) => {
      const app = await createService({ redisUrl: redis.url, ...options });
      apps.push(app);
      return app.listen({ port: 0, host: "127.0.0.1" });
    };
    const bounded = await listen({ apiKeys: { k: "bench" }, rateLimit: false, maxQueued: 3 });
    const limited = await listen({ apiKeys: { limited: "limited" }, rateLimit: { max: 1, windowMs: 3_600_000 } });
    const post = (base, headers, body) => fetch(`${base}/v1/proofs`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
    // Fill the queue to its bound with large proofs (ebsl-64, seconds each): the worker stays busy.
    for (let i = 0; i < 3; i++) await (await post(bounded, { authorization: "Bearer k" }, { ...requestBody(i), attestations: attestations(60, now, 70_000 + i * 100) })).arrayBuffer();
    await (await post(limited, { authorization: "Bearer limited" }, requestBody(7))).arrayBuffer(); // its one proof
    const time = async (kind, base, headers, expected) => {
      const ms = [];
      const codes = new Map();
      for (let i = 0; i < REFUSALS; i++) {
        const t = performance.now();
        const res = await post(base, headers, requestBody(i));
        await res.arrayBuffer();
        ms.push(performance.now() - t);
        codes.set(res.status, (codes.get(res.status) ?? 0) + 1);
      }
      ms.sort((a, b) => a - b);
      return { kind, expected, statuses: Object.fromEntries(codes), p50_ms: Number(percentile(ms, 50).toFixed(2)), p99_ms: Number(percentile(ms, 99).toFixed(2)) };
    };
    return [
      await time("queue full", bounded, { authorization: "Bearer k" }, 503),
      await time("unauthenticated", bounded, {}, 401),
      await time("rate limited", limited, { authorization: "Bearer limited" }, 429),
    ];
  } finally {
    for (const app of apps) await app.close();
    await worker?.stop();
    await redis.stop();
  }
}

const cores = availableParallelism();
const loadBefore = await loadavg();
const single = await lone(arg("rounds", 7));
const directMs = await direct();
const oneMs = await remote(1);
const twoMs = await remote(2);
const refused = await refusals();
const loadAfter = await loadavg();
const rate = (ms) => Number(((JOBS * 1000) / ms).toFixed(2));
console.log(`one ebsl-16 proof at a time, ${single.rounds} interleaved rounds: direct p50 ${single.directP50} ms, remote p50 ${single.remoteP50} ms, remote overhead p50 ${single.overheadP50} ms`);
console.log(`${JOBS} ebsl-16 proofs at once on ${cores} cores (load ${loadBefore} → ${loadAfter}):`);
console.log(`  direct proofline/node (pool = cores)  ${round(directMs)} ms  ${rate(directMs)} proofs/s`);
console.log(`  remote, 1 worker process              ${round(oneMs)} ms  ${rate(oneMs)} proofs/s`);
console.log(`  remote, 2 worker processes            ${round(twoMs)} ms  ${rate(twoMs)} proofs/s`);
for (const r of refused) console.log(`  refusal ${r.kind}: ${JSON.stringify(r.statuses)} (expected ${r.expected}), p50 ${r.p50_ms} ms, p99 ${r.p99_ms} ms`);
console.log(JSON.stringify({ bench: "service-load", jobs: JOBS, cores, lone: single, throughput: { direct: { ms: round(directMs), perSecond: rate(directMs) }, remote1: { ms: round(oneMs), perSecond: rate(oneMs) }, remote2: { ms: round(twoMs), perSecond: rate(twoMs) } }, refusals: refused, loadavg: { before: loadBefore, after: loadAfter } }));
// Like service-faults: stop by itself even if a handle lingers.
process.exit(0);
