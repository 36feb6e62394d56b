// Faults of the distributed service, on a real redis-server (127.0.0.1, free port) with two
// `proofline worker` processes and one API instance: JOBS proofs submitted, the worker proving
// the first one killed with SIGKILL mid-proof. Every accepted job must end exactly once
// (completed, verified), none lost, none duplicated; the killed job shows attempt 2.
// Then Redis restarted under load (append-only file, same port and dir) while the first job
// proves: every job must still end once, and every client following over WebSocket must hear
// that end. Then the API instance process holding a client's live socket killed with SIGKILL and
// started again on the same port: proofline's remote client reconnects and resumes. Bounded
// (jobs and a deadline), stops everything it started.
//   npm run bench -- service-faults [--jobs 4]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { createService } from "../packages/server/src/index.mjs";
import { fileURLToPath } from "node:url";
import { attestations, loadavg, startApiProcess, startRedis, startWorker } from "./_service-fixtures.mjs";

export async function workerKill({ jobs = 4, deadlineMs = 240_000 } = {}) {
  const redis = await startRedis();
  const workers = [];
  let app;
  const sub = new Redis(redis.url);
  try {
    workers.push(...(await Promise.all([startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" }), startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" })])));
    app = await createService({ redisUrl: redis.url });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const ends = new Map();
    const attempts = new Map();
    let killed;
    let resolveAll;
    const allEnded = new Promise((r) => (resolveAll = r));
    const ids = [];
    await sub.psubscribe("proofline:events:*");
    sub.on("pmessage", (_p, channel, message) => {
      const id = channel.slice("proofline:events:".length);
      const e = JSON.parse(message);
      attempts.set(id, Math.max(attempts.get(id) ?? 1, e.attempt ?? 1));
      if (e.type !== "progress") {
        ends.set(id, [...(ends.get(id) ?? []), e.type]);
        if (ids.length === jobs && ids.every((x) => ends.has(x))) resolveAll();
      }
      if (!killed && id === ids[0] && (e.stage === "witness" || e.stage === "proving")) {
        killed = "pending";
        void (async () => {
          const r = new Redis(redis.url);
          const holder = await r.hget(`proofline:job:${id}`, "worker");
          r.disconnect();
          const victim = workers.find((w) => w.id === holder);
          killed = { worker: holder, atStage: e.stage, atProgress: e.progress };
          await victim.stop("SIGKILL");
        })();
      }
    });
    const now = Date.now();
    const t0 = performance.now();
    for (let i = 0; i < jobs; i++) {
      const res = await fetch(`${base}/v1/proofs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ attestations: attestations(i === 0 ? 24 : 3 + i, now, i * 100), proofType: "threshold", now, threshold: 100_000 }) });
      if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
      ids.push((await res.json()).id);
    }
    await Promise.race([allEnded, new Promise((_, reject) => setTimeout(() => reject(new Error("deadline")), deadlineMs))]);
    const wallMs = performance.now() - t0;
    const records = await Promise.all(ids.map(async (id) => (await fetch(`${base}/v1/proofs/${id}`)).json()));
    const verified = await Promise.all(records.map(async (r) => r.result && (await (await fetch(`${base}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ circuitId: r.result.circuitId, proof: r.result.proof, publicSignals: r.result.publicSignals }) })).json()).valid));
    return {
      jobs,
      killed,
      completed: records.filter((r) => r.status === "COMPLETED").length,
      lost: ids.filter((id) => !ends.has(id)).length,
      duplicated: ids.filter((id) => (ends.get(id) ?? []).length > 1).length,
      verified: verified.filter(Boolean).length,
      killedJobAttempt: records[0].attempt,
      maxAttemptSeen: attempts.get(ids[0]),
      wallMs: Math.round(wallMs),
    };
  } finally {
    sub.disconnect();
    await app?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
}

/** Follow one job over the service's WebSocket; resolves with its events when the socket closes. */
function followSocket(base, id) {
  return new Promise((resolve, reject) => {
    const events = [];
    const ws = new WebSocket(`${base.replace("http", "ws")}/v1/proofs/${id}/events`);
    ws.on("message", (data) => events.push(JSON.parse(String(data))));
    ws.on("close", () => resolve(events));
    ws.on("error", reject);
  });
}

export async function redisRestart({ jobs = 4, deadlineMs = 240_000 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "proofline-redis-"));
  let redis = await startRedis({ dir });
  const workers = [];
  let app;
  try {
    workers.push(...(await Promise.all([startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" }), startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" })])));
    app = await createService({ redisUrl: redis.url });
    const base = await app.listen({ port: 0, host: "127.0.0.1" });
    const now = Date.now();
    const ids = [];
    for (let i = 0; i < jobs; i++) {
      const res = await fetch(`${base}/v1/proofs`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ attestations: attestations(i === 0 ? 24 : 8 + i, now, i * 100), proofType: "threshold", now, threshold: 100_000 }) });
      if (res.status !== 202) throw new Error(`submit answered ${res.status}`);
      ids.push((await res.json()).id);
    }
    const t0 = performance.now();
    let outage;
    // Restart once the first job is proving: stop (the append-only file is flushed), start again.
    const watcher = new Redis(redis.url);
    const restarted = (async () => {
      while (performance.now() - t0 < deadlineMs) {
        const job = await watcher.hgetall(`proofline:job:${ids[0]}`);
        if (job.stage === "witness" || job.stage === "proving" || job.status === "COMPLETED") break;
        await new Promise((r) => setTimeout(r, 20));
      }
      watcher.disconnect();
      const down = performance.now();
      await redis.stop();
      redis = await startRedis({ port: redis.port, dir });
      outage = Math.round(performance.now() - down);
    })();
    const followed = await Promise.race([
      Promise.all(ids.map((id) => followSocket(base, id))),
      new Promise((_, reject) => setTimeout(() => reject(new Error("deadline: a follower never heard its job's end")), deadlineMs)),
    ]);
    await restarted;
    const wallMs = performance.now() - t0;
    const records = await Promise.all(ids.map(async (id) => (await fetch(`${base}/v1/proofs/${id}`)).json()));
    const verified = await Promise.all(records.map(async (r) => r.result && (await (await fetch(`${base}/v1/verify`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ circuitId: r.result.circuitId, proof: r.result.proof, publicSignals: r.result.publicSignals }) })).json()).valid));
    const ends = followed.map((events) => events.filter((e) => e.type !== "progress").map((e) => e.type));
    return {
      jobs,
      outageMs: outage,
      completed: records.filter((r) => r.status === "COMPLETED").length,
      heardEnd: ends.filter((e) => e.length === 1 && e[0] === "completed").length,
      duplicated: ends.filter((e) => e.length > 1).length,
      verified: verified.filter(Boolean).length,
      wallMs: Math.round(wallMs),
    };
  } finally {
    await app?.close();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The API instance process holding the client's socket killed (SIGKILL) mid-proof and started
 * again on the same port: the client (proofline/node, remote mode) must reconnect, resume and
 * return a proof it verified, while the job ran on a worker process throughout.
 */
export async function apiKill({ deadlineMs = 240_000 } = {}) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  const redis = await startRedis();
  const workers = [];
  let api;
  let client;
  try {
    workers.push(await startWorker(redis.url));
    api = await startApiProcess(redis.url);
    const node = await import(`${root}dist/node.js`);
    client = node.createNodeProofAPI({ workerUrl: new URL(`file://${root}dist/prover.node-worker.js`), proverOptions: { poolSize: 1 }, remote: { url: api.base, WebSocket } });
    const now = Date.now();
    let killedAt;
    let firstAfter;
    let restarted;
    let afterKill = 0;
    const events = [];
    const t0 = performance.now();
    const result = await Promise.race([
      client.requestProof(attestations(24, now), "threshold", {
        mode: "remote",
        now,
        threshold: 100_000,
        onProgress: (e) => {
          events.push(e.progress);
          if (killedAt !== undefined) {
            afterKill++;
            firstAfter ??= performance.now();
          }
          if (killedAt === undefined && (e.stage === "witness" || e.stage === "proving")) {
            killedAt = performance.now();
            restarted = api.stop("SIGKILL").then(async () => (api = await startApiProcess(redis.url, api.port)));
          }
        },
      }),
      new Promise((_, reject) => setTimeout(() => reject(new Error("deadline")), deadlineMs)),
    ]);
    await restarted;
    const monotonic = events.every((p, i) => i === 0 || p >= events[i - 1]);
    return {
      killed: killedAt !== undefined,
      resumedAfterMs: firstAfter === undefined ? undefined : Math.round(firstAfter - killedAt),
      eventsAfterKill: afterKill,
      monotonic,
      meetsThreshold: result.meetsThreshold,
      verifiedHere: await client.verify(result),
      wallMs: Math.round(performance.now() - t0),
    };
  } finally {
    client?.dispose();
    await api?.stop();
    await Promise.all(workers.map((w) => w.stop()));
    await redis.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const jobs = Number(process.argv[process.argv.indexOf("--jobs") + 1]) || 4;
  const r = await workerKill({ jobs });
  const load = await loadavg();
  console.log(`kill -9 of the worker proving job 1 (at ${r.killed?.atStage} ${r.killed?.atProgress?.toFixed?.(0)}%), ${r.jobs} jobs, loadavg ${load}`);
  console.log(`  completed ${r.completed}/${r.jobs}, verified ${r.verified}, lost ${r.lost}, duplicated ${r.duplicated}, killed job attempt ${r.killedJobAttempt}, ${r.wallMs} ms`);
  const restart = await redisRestart({ jobs });
  const load2 = await loadavg();
  console.log(`Redis restarted while job 1 proved (down ${restart.outageMs} ms), ${restart.jobs} jobs, loadavg ${load2}`);
  console.log(`  completed ${restart.completed}/${restart.jobs}, followers that heard the end ${restart.heardEnd}, duplicated ${restart.duplicated}, verified ${restart.verified}, ${restart.wallMs} ms`);
  const kill = await apiKill();
  const load3 = await loadavg();
  console.log(`API instance holding the client's socket killed mid-proof and restarted on its port, loadavg ${load3}`);
  console.log(`  client resumed ${kill.resumedAfterMs} ms after the kill, progress monotonic ${kill.monotonic}, proof verified here ${kill.verifiedHere}, ${kill.wallMs} ms`);
  console.log(JSON.stringify({ bench: "service-faults", workerKill: { ...r, loadavg: load }, redisRestart: { ...restart, loadavg: load2 }, apiKill: { ...kill, loadavg: load3 } }));
  // Every process and connection this bench started is closed above, yet without this exit the
  // process stayed alive (the handle was not identified); a bench must stop by itself.
  process.exit(0);
}
