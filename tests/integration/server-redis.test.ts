/**
 * The service distributed on a REAL Debian redis-server (started here on 127.0.0.1, a free
 * port): two API instances, two prover worker processes (`proofline worker`). A job accepted by
 * one instance is followed over the other's socket; a worker killed with SIGKILL mid-proof loses
 * nothing: the job ends once, proved by the other worker, with the retry visible to the client.
 * An API instance PROCESS killed with SIGKILL while it holds a client's socket: the client
 * (proofline's remote mode, behind one address) reconnects to another instance and resumes.
 */
import { followJob } from "./support/job-events.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService } from "../../packages/server/src/index.mjs";
import { attestationList } from "./support/attestations.js";
import { startRedis, type RedisHandle } from "./support/redis-server.js";
import { startApiProcess, startWorker, type WorkerProcess } from "./support/proof-workers.js";
import { startTcpProxy } from "./support/tcp-proxy.js";
import WebSocket from "ws";
import { createNodeProofAPI, type ProgressEvent } from "../../src/node.js";

const NOW = Date.now();
let redis: RedisHandle;
let workers: WorkerProcess[] = [];
const apps: FastifyInstance[] = [];
const bases: string[] = [];
const H = { authorization: "Bearer k", "content-type": "application/json" };

const post = async (base: string, path: string, body: unknown) => {
  const res = await fetch(base + path, { method: "POST", headers: H, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
};
const get = async (base: string, path: string) => (await fetch(base + path, { headers: { authorization: H.authorization } })).json();

const follow = (base: string, id: string, onEvent?: (e: Record<string, unknown>) => void) => followJob(base, id, H.authorization, onEvent);

beforeAll(async () => {
  redis = await startRedis();
  workers = await Promise.all([startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" }), startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" })]);
  for (let i = 0; i < 2; i++) {
    const app = await createService({ redisUrl: redis.url, apiKeys: { k: "alice" }, rateLimit: { max: 6, windowMs: 3_600_000 } });
    apps.push(app);
    bases.push(await app.listen({ port: 0, host: "127.0.0.1" }));
  }
}, 60_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
});

describe("distributed on Redis", () => {
  it("accepted by instance A, followed live over instance B's socket, proved by a worker process", async () => {
    const accepted = await post(bases[0]!, "/v1/proofs", { attestations: attestationList(3, NOW), proofType: "exact", now: NOW });
    expect(accepted.status).toBe(202);
    const events = await follow(bases[1]!, accepted.body.id);
    expect(events.at(-1)!.type).toBe("completed");
    expect(events.some((e) => e.stage === "proving")).toBe(true);
    const job = await get(bases[1]!, `/v1/proofs/${accepted.body.id}`);
    expect(job.status).toBe("COMPLETED");
    const { circuitId, proof, publicSignals } = job.result;
    expect((await post(bases[0]!, "/v1/verify", { circuitId, proof, publicSignals })).body.valid).toBe(true);
  });

  it("kill -9 of the worker proving a job: the other worker finishes it, once, and the client sees attempt 2", async () => {
    const accepted = await post(bases[0]!, "/v1/proofs", { attestations: attestationList(24, NOW), proofType: "threshold", now: NOW });
    const id = accepted.body.id as string;
    let killed: string | undefined;
    const events = await follow(bases[1]!, id, (e) => {
      if (killed || e.stage !== "witness" && e.stage !== "proving") return;
      killed = "pending";
      void get(bases[0]!, `/v1/proofs/${id}`).then(async () => {
        // The record names the worker holding the job; kill that process without warning.
        const { worker } = await redisWorkerOf(id);
        const victim = workers.find((w) => w.id === worker)!;
        killed = victim.id;
        await victim.stop("SIGKILL");
      });
    });
    const ends = events.filter((e) => e.type !== "progress");
    expect(ends).toHaveLength(1);
    expect(ends[0]!.type).toBe("completed");
    expect(events.some((e) => e.attempt === 2)).toBe(true);
    const progress = events.map((e) => e.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const job = await get(bases[0]!, `/v1/proofs/${id}`);
    expect(job.status).toBe("COMPLETED");
    expect(job.attempt).toBe(2);
    expect(await redisWorkerOf(id)).not.toEqual({ worker: killed });
    const { circuitId, proof, publicSignals } = job.result;
    expect((await post(bases[1]!, "/v1/verify", { circuitId, proof, publicSignals })).body.valid).toBe(true);
  }, 120_000);

  it("kill -9 of the API instance holding the client's socket: the client reconnects to another instance and resumes", async () => {
    // Two API instance processes behind one address, as a load balancer shows them.
    const [first, second] = await Promise.all([startApiProcess(redis.url, "k2"), startApiProcess(redis.url, "k2")]);
    const proxy = await startTcpProxy(first.port);
    const api = createNodeProofAPI({ workerUrl: new URL("../../dist/prover.node-worker.js", import.meta.url), proverOptions: { poolSize: 1 }, remote: { url: proxy.url, apiKey: "k2", WebSocket: WebSocket as never } });
    try {
      const events: ProgressEvent[] = [];
      let killedAt = -1;
      const result = await api.requestProof(attestationList(24, NOW), "threshold", {
        mode: "remote",
        now: NOW,
        threshold: 100_000,
        onProgress: (e) => {
          events.push(e);
          if (killedAt < 0 && (e.stage === "witness" || e.stage === "proving")) {
            killedAt = events.length;
            proxy.setTarget(second.port);
            void first.stop("SIGKILL");
          }
        },
      });
      expect(killedAt).toBeGreaterThan(0);
      // The live stream was opened again, on the second instance.
      expect(proxy.connectionsTo(second.port)).toBeGreaterThanOrEqual(1);
      // Events kept coming after the kill (over the second instance), to the end.
      expect(events.length).toBeGreaterThan(killedAt);
      expect(events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });
      const progress = events.map((e) => e.progress);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
      expect(result.meetsThreshold).toBe(true);
      expect(await api.verify(result)).toBe(true);
    } finally {
      api.dispose();
      await proxy.close();
      await Promise.all([first.stop("SIGKILL"), second.stop()]);
    }
  }, 120_000);

  it("the rate limit is shared by both instances; bad input is refused before anything is queued", async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await post(bases[i % 2]!, "/v1/proofs", { attestations: [], proofType: "exact" });
      codes.push(r.status);
    }
    // Empty attestations are refused by validation first (400) and never count; now exhaust the limit.
    expect(codes.every((c) => c === 400)).toBe(true);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(bases[i % 2]!, "/v1/proofs", { attestations: attestationList(2, NOW), proofType: "exact", now: NOW })).status);
    // 2 accepted before, so 4 more fit in the limit of 6 shared by both instances.
    expect(statuses).toEqual([202, 202, 202, 202, 429, 429]);
    const refused = await post(bases[1]!, "/v1/proofs", { attestations: attestationList(2, NOW), proofType: "exact", now: NOW });
    expect(refused.body.code).toBe("RATE_LIMITED");
  }, 120_000);
});

async function redisWorkerOf(id: string): Promise<{ worker: string | undefined }> {
  const { Redis } = await import("ioredis");
  const client = new Redis(redis.url);
  try {
    return { worker: (await client.hget(`proofline:job:${id}`, "worker")) ?? undefined };
  } finally {
    client.disconnect();
  }
}
