/**
 * Redis restarted under load: a REAL redis-server with an append-only file (127.0.0.1, a free
 * port), one API instance, two prover worker processes, four jobs followed live over WebSocket.
 * While the first job proves, Redis is stopped and started again on the same port and data
 * directory. Every job still ends exactly once, completed and verifiable, and every client's
 * socket receives that end: what was published while the API's subscriber was away comes back
 * from the job records when it reconnects.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService } from "../../packages/server/src/index.mjs";
import { attestationList } from "./support/attestations.js";
import { followJob } from "./support/job-events.js";
import { startWorker, type WorkerProcess } from "./support/proof-workers.js";
import { startRedis, type RedisHandle } from "./support/redis-server.js";

const NOW = Date.now();
const H = { authorization: "Bearer k", "content-type": "application/json" };
const dir = mkdtempSync(join(tmpdir(), "proofline-redis-"));
let redis: RedisHandle;
let workers: WorkerProcess[] = [];
let app: FastifyInstance | undefined;
let base: string;

beforeAll(async () => {
  redis = await startRedis(undefined, dir);
  workers = await Promise.all([startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" }), startWorker(redis.url, { PROOFLINE_LOCK_MS: "3000" })]);
  app = await createService({ redisUrl: redis.url, apiKeys: { k: "alice" } });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await Promise.all(workers.map((w) => w.stop()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("Redis restarted under load", () => {
  it("every accepted job ends once, completed, and every follower hears its end", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/v1/proofs`, { method: "POST", headers: H, body: JSON.stringify({ attestations: attestationList(8 + i, NOW), proofType: "threshold", now: NOW, threshold: 100_000 }) });
      expect(res.status).toBe(202);
      ids.push(((await res.json()) as { id: string }).id);
    }
    let restarted: Promise<void> | undefined;
    const followed = ids.map((id, i) =>
      followJob(base, id, H.authorization, (e) => {
        if (i !== 0 || restarted || e.stage !== "proving") return;
        restarted = (async () => {
          await redis.stop();
          redis = await startRedis(redis.port, dir);
        })();
      }),
    );
    const all = await Promise.all(followed);
    expect(restarted).toBeDefined();
    await restarted;
    for (const [i, events] of all.entries()) {
      const ends = events.filter((e) => e.type !== "progress");
      expect(ends, `job ${i}`).toHaveLength(1);
      expect(ends[0]!.type).toBe("completed");
      const job = (await (await fetch(`${base}/v1/proofs/${ids[i]}`, { headers: { authorization: H.authorization } })).json()) as { status: string; result: { circuitId: string; proof: unknown; publicSignals: string[] } };
      expect(job.status).toBe("COMPLETED");
      const { circuitId, proof, publicSignals } = job.result;
      const verdict = await fetch(`${base}/v1/verify`, { method: "POST", headers: H, body: JSON.stringify({ circuitId, proof, publicSignals }) });
      expect(((await verdict.json()) as { valid: boolean }).valid).toBe(true);
    }
  }, 180_000);
});
