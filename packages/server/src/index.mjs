/**
 * @proofline/server: the proofline service. `createService()` builds it (in-memory jobs, or
 * BullMQ on Redis when `redisUrl` is given); `buildServer()` takes any job backend.
 */
import { buildServer } from "./app.mjs";
import { createMemoryJobs } from "./jobs/memory-jobs.mjs";
import { loadProofline } from "./proofline.mjs";
import { releaseBn254 } from "./batch-verify.mjs";

export { buildServer } from "./app.mjs";
export { createMemoryJobs } from "./jobs/memory-jobs.mjs";
export { verifyBatch, verifyOne } from "./batch-verify.mjs";
export { apiKeyAuthenticator } from "./auth.mjs";

/** A prover worker process's loop on Redis (BullMQ); the service's `redisUrl` sends jobs to it. */
export async function createProofWorker(options) {
  return (await import("./redis/proof-worker.mjs")).createProofWorker(options);
}

/**
 * The proof API remote jobs run on: proofline/node's, with the service's admission (the
 * library's canonical user ids, allow/block lists and rate limit, keyed by the authenticated
 * principal) and queue bound.
 */
export async function createServiceProofAPI(options = {}) {
  const lib = await loadProofline();
  return lib.createNodeProofAPI({
    ...(options.manifest ? { manifest: options.manifest } : {}),
    ...(options.circuitsDir ? { circuitsDir: options.circuitsDir } : {}),
    maxQueued: options.maxQueued ?? 256,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.poolSize ? { proverOptions: { poolSize: options.poolSize } } : {}),
    trust: {
      rateLimit: options.rateLimit ?? false,
      ...(options.cache ? { cache: options.cache } : {}),
      ...(options.allowList ? { allowList: options.allowList } : {}),
      ...(options.blockList ? { blockList: options.blockList } : {}),
    },
  });
}

/**
 * The whole service, not yet listening: `await (await createService()).listen({ port, host })`.
 * @param {object} [options] buildServer's options, plus the proof API's (maxQueued, retry,
 *   timeoutMs, poolSize, rateLimit, allowList, blockList); with `redisUrl`, jobs go to BullMQ
 *   on that Redis and prover workers (createProofWorker, `proofline worker`) run them
 */
export async function createService(options = {}) {
  const jobs = options.jobs ?? (options.redisUrl ? await (await import("./redis/redis-jobs.mjs")).createRedisJobs(options) : createMemoryJobs({ api: await createServiceProofAPI(options) }));
  const app = await buildServer({ ...options, jobs });
  app.addHook("onClose", releaseBn254);
  return app;
}
