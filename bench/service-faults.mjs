// Faults of the distributed service, on a real redis-server (127.0.0.1, free port) with two
// `proofline worker` processes and one API instance: JOBS proofs submitted, the worker proving
// the first one killed with SIGKILL mid-proof. Every accepted job must end exactly once
// (completed, verified), none lost, none duplicated; the killed job shows attempt 2.
// Bounded (jobs and a deadline), stops everything it started.
//   npm run bench -- service-faults [--jobs 4]
import { Redis } from "ioredis";
import { createService } from "../packages/server/src/index.mjs";
import { attestations, loadavg, startRedis, startWorker } from "./_service-fixtures.mjs";

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

if (import.meta.url === `file://${process.argv[1]}`) {
  const jobs = Number(process.argv[process.argv.indexOf("--jobs") + 1]) || 4;
  const r = await workerKill({ jobs });
  const load = await loadavg();
  console.log(`kill -9 of the worker proving job 1 (at ${r.killed?.atStage} ${r.killed?.atProgress?.toFixed?.(0)}%), ${r.jobs} jobs, loadavg ${load}`);
  console.log(`  completed ${r.completed}/${r.jobs}, verified ${r.verified}, lost ${r.lost}, duplicated ${r.duplicated}, killed job attempt ${r.killedJobAttempt}, ${r.wallMs} ms`);
  console.log(JSON.stringify({ bench: "service-faults", ...r, loadavg: load }));
  // Every process and connection this bench started is closed above, yet without this exit the
  // process stayed alive (the handle was not identified); a bench must stop by itself.
  process.exit(0);
}
