// The service (@proofline/server): a batch of proofs verified in one randomised multi-pairing
// (bad ones named), and the distributed engine surviving a prover worker killed with SIGKILL.
import { join } from "node:path";
import { root } from "../fixtures.mjs";

const server = () => import(join(root, "packages/server/src/index.mjs"));
const fixtures = () => import(join(root, "bench/_service-fixtures.mjs"));

export const serviceBatchVerify = {
  name: "service_batch_verify",
  description: "32 ebsl-16 proofs (4 distinct real proofs, each 8 times) verified by @proofline/server's batch verifier in ONE randomised multi-pairing (N + 3 Miller loops, one final exponentiation) against 32 snarkjs.groth16.verify calls; then the same batch with two edited public signals: the product is not 1, each proof is checked alone and exactly those two are named.",
  configuration: { proofs: 32, distinctProofs: 4, circuit: "ebsl-16", randomScalarBits: 128 },
  conclusion: "A batch costs far less than N verifications, and a bad proof in it is still found and named.",
  async run(_ctx, item) {
    const { verifyBatch, verifyOne } = await server();
    const { createPinnedVkeys } = await import(join(root, "packages/server/src/pinned-vkeys.mjs"));
    const { releaseBn254 } = await import(join(root, "packages/server/src/batch-verify.mjs"));
    const { makeProofs, loadavg } = await fixtures();
    try {
      const distinct = await makeProofs(4);
      const vkey = await (await createPinnedVkeys()).get("ebsl-16");
      const items = Array.from({ length: 32 }, (_, i) => ({ vkey, ...distinct[i % 4] }));
      await verifyBatch(items.slice(0, 2));
      let t = performance.now();
      const batch = await verifyBatch(items);
      const batchMs = performance.now() - t;
      t = performance.now();
      const singles = [];
      for (const x of items) singles.push(await verifyOne(vkey, x.publicSignals, x.proof));
      const singlesMs = performance.now() - t;
      item.check("the batch of 32 passed as one multi-pairing", batch.method === "batch" && batch.valid.every(Boolean), { method: batch.method });
      item.check("32 single verifications agree", singles.every(Boolean));
      const bad = items.map((x, i) => (i === 7 || i === 20 ? { ...x, publicSignals: x.publicSignals.map((s, j) => (j === 1 ? String(BigInt(s) + 1n) : s)) } : x));
      const named = await verifyBatch(bad);
      const badIndices = named.valid.flatMap((v, i) => (v ? [] : [i]));
      item.check("with two edited proofs: fallback names exactly indices 7 and 20", named.method === "fallback" && badIndices.join() === "7,20", { method: named.method, badIndices });
      item.check("the batch is faster than 32 single verifications", batchMs < singlesMs, { batchMs, singlesMs });
      item.record({ batchMs: Math.round(batchMs), singlesMs: Math.round(singlesMs), speedup: Number((singlesMs / batchMs).toFixed(2)), loadavg: await loadavg() });
    } finally {
      await releaseBn254();
    }
  },
};

export const serviceWorkerKill = {
  name: "service_worker_kill",
  description: "A real redis-server (127.0.0.1, free port), two `proofline worker` processes and one API instance; 4 remote proofs submitted; the worker process proving the first one is killed with SIGKILL during its witness or proving stage. Every accepted job must end exactly once, completed and verifying; the killed job is finished by the other worker as attempt 2.",
  configuration: { jobs: 4, workers: 2, lockDurationMs: 3000, redis: "Debian redis-server, 127.0.0.1" },
  conclusion: "A prover worker dying mid-proof loses nothing and duplicates nothing: the job moves to the other worker and the client sees the retry.",
  async run(_ctx, item) {
    const { workerKill } = await import(join(root, "bench/service-faults.mjs"));
    const { loadavg } = await fixtures();
    const r = await workerKill({ jobs: 4 });
    item.check("a worker process was killed mid-proof", typeof r.killed?.worker === "string", { killed: r.killed });
    item.check("4/4 jobs completed, 0 lost, 0 duplicated", r.completed === 4 && r.lost === 0 && r.duplicated === 0, { completed: r.completed, lost: r.lost, duplicated: r.duplicated });
    item.check("every proof verifies against the pinned vkey", r.verified === 4, { verified: r.verified });
    item.check("the killed job ended as attempt 2 (the retry was visible)", r.killedJobAttempt === 2 && r.maxAttemptSeen === 2, { killedJobAttempt: r.killedJobAttempt });
    item.record({ wallMs: r.wallMs, loadavg: await loadavg() });
  },
};

export const serviceRedisRestart = {
  name: "service_redis_restart",
  description: "A real redis-server with an append-only file (127.0.0.1, free port), two `proofline worker` processes and one API instance; 4 remote proofs submitted and followed over WebSocket; while the first one proves, Redis is stopped and started again on the same port and data directory. Every job must end exactly once, completed and verifying, and every follower must hear that end.",
  configuration: { jobs: 4, workers: 2, redis: "Debian redis-server, appendonly yes, appendfsync always" },
  conclusion: "A Redis restart under load loses nothing: jobs resume, and the API instance's subscriber catches up from the job records when it reconnects.",
  async run(_ctx, item) {
    const { redisRestart } = await import(join(root, "bench/service-faults.mjs"));
    const { loadavg } = await fixtures();
    const r = await redisRestart({ jobs: 4 });
    item.check("Redis was stopped and started again while a job proved", typeof r.outageMs === "number", { outageMs: r.outageMs });
    item.check("4/4 jobs completed, none twice", r.completed === 4 && r.duplicated === 0, { completed: r.completed, duplicated: r.duplicated });
    item.check("every follower heard its job's end over WebSocket", r.heardEnd === 4, { heardEnd: r.heardEnd });
    item.check("every proof verifies against the pinned vkey", r.verified === 4, { verified: r.verified });
    item.record({ wallMs: r.wallMs, outageMs: r.outageMs, loadavg: await loadavg() });
  },
};

export const serviceApiKill = {
  name: "service_api_kill",
  description: "A real redis-server, one `proofline worker` process and one API instance PROCESS (`proofline serve`); proofline/node requests a remote proof over WebSocket; during its witness or proving stage the API process is killed with SIGKILL and started again on the same port. The client must reconnect, resume (progress monotonic) and return a proof it verified against the pinned vkey.",
  configuration: { attestations: 24, workers: 1, apiInstances: "1 process, restarted on its port", client: "proofline/node, mode remote, WebSocket (ws)" },
  conclusion: "Losing the API instance that holds a client's socket does not lose the client's proof: the job lives in Redis, the client reconnects and resumes.",
  async run(_ctx, item) {
    const { apiKill } = await import(join(root, "bench/service-faults.mjs"));
    const { loadavg } = await fixtures();
    const r = await apiKill();
    item.check("the API instance process was killed mid-proof", r.killed === true, { killed: r.killed });
    item.check("the client resumed: events arrived after the kill", r.eventsAfterKill > 0, { eventsAfterKill: r.eventsAfterKill, resumedAfterMs: r.resumedAfterMs });
    item.check("progress stayed monotonic across the reconnection", r.monotonic === true, { monotonic: r.monotonic });
    item.check("the returned proof verifies here against the pinned vkey", r.verifiedHere === true && r.meetsThreshold === true, { verifiedHere: r.verifiedHere });
    item.record({ wallMs: r.wallMs, resumedAfterMs: r.resumedAfterMs, loadavg: await loadavg() });
  },
};
