/**
 * The API side of remote proving on Redis: admission here (the attestations checked by the
 * library's validateAttestations, a per-principal rate limit and the queue bound, shared by
 * every instance through Redis), then the job goes to BullMQ for any prover worker. Instances
 * keep nothing of their own: a job's record is a Redis hash, its events a channel this
 * instance relays to the sockets it holds.
 *
 * Redis may restart under load: ioredis reconnects, and events published while this instance's
 * subscriber was away are lost. So on every reconnection the subscriber subscribes again, then
 * each job this instance follows gets its record's current state (workers write the record
 * before they publish, so nothing that happened before the new subscription is missed).
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { Queue } from "bullmq";
import { loadProofline, loadProoflineEbsl } from "../proofline.mjs";
import { JobRecord } from "../jobs/job-record.mjs";
import { CANCEL_CHANNEL, EVENT_PATTERN, QUEUE, bullPriority, connectionFromUrl, finishOnce, jobKey, rateKey } from "./keys.mjs";

const parse = (json) => (json ? JSON.parse(json) : undefined);

/**
 * @param {{ redisUrl: string, maxQueued?: number, rateLimit?: { max: number, windowMs: number } | false, attempts?: number, backoffMs?: number, keepFinishedMs?: number, wallNow?: () => number }} options
 */
export async function createRedisJobs(options) {
  const lib = await loadProofline();
  const ebsl = await loadProoflineEbsl();
  const connection = connectionFromUrl(options.redisUrl);
  const redis = new Redis(connection);
  const subscriber = new Redis(connection);
  const queue = new Queue(QUEUE, { connection });
  const wallNow = options.wallNow ?? Date.now;
  const maxQueued = options.maxQueued ?? 256;
  const keepMs = options.keepFinishedMs ?? 600_000;
  let depth = 0;
  let ready = false;
  /** job id → this instance's listeners (sockets it holds). */
  const listeners = new Map();
  /** Jobs this instance accepted and not yet seen end: their end is counted here, once. */
  const accepted = new Set();

  const deliver = (id, event) => {
    const set = listeners.get(id);
    if (!set && !accepted.has(id)) return;
    if (event.type !== "progress" && accepted.delete(id)) backend.onFinished(event.type === "completed" ? "OK" : (event.error?.code ?? "SYSTEM_ERROR"));
    for (const listener of [...(set ?? [])]) listener(event);
  };
  subscriber.on("pmessage", (_pattern, channel, message) => deliver(channel.slice(EVENT_PATTERN.length - 1), JSON.parse(message)));
  await subscriber.psubscribe(EVENT_PATTERN);
  subscriber.on("ready", () => {
    void (async () => {
      await subscriber.psubscribe(EVENT_PATTERN);
      for (const id of new Set([...listeners.keys(), ...accepted])) {
        const job = toRecord(id, await redis.hgetall(jobKey(id)));
        if (job) deliver(id, job.currentEvent());
      }
    })().catch(() => undefined);
  });
  await queue.waitUntilReady();
  ready = true;
  // ioredis reconnects by itself; an outage shows in readyz, not as unhandled error events.
  redis.on("error", () => (ready = false));
  subscriber.on("error", () => undefined);
  queue.on("error", () => undefined);
  redis.on("ready", () => (ready = true));
  const refreshDepth = async () => {
    const counts = await queue.getJobCounts("waiting", "prioritized", "active", "delayed");
    depth = Object.values(counts).reduce((a, b) => a + b, 0);
    return depth;
  };

  async function admit(owner) {
    const limit = options.rateLimit;
    if (limit && owner !== undefined) {
      const window = Math.floor(wallNow() / limit.windowMs);
      const key = rateKey(owner, window);
      const count = await redis.incr(key);
      if (count === 1) await redis.pexpire(key, limit.windowMs);
      if (count > limit.max) {
        const retryAfterMs = (window + 1) * limit.windowMs - wallNow();
        throw new lib.RateLimitError(`Rate limit of ${limit.max} proofs per ${limit.windowMs} ms reached.`, { details: { retryAfterMs, limit: limit.max, windowMs: limit.windowMs } });
      }
    }
    const size = await refreshDepth();
    if (size >= maxQueued) throw new lib.QueueFullError(undefined, { details: { bound: maxQueued, size } });
  }

  const toRecord = (id, hash) => {
    if (!hash || !hash.status) return undefined;
    const job = new JobRecord(id, hash.owner === "" ? undefined : hash.owner, Number(hash.createdAt));
    job.status = hash.status;
    job.progress = Number(hash.progress ?? 0);
    job.stage = hash.stage ?? "queued";
    job.attempt = Number(hash.attempt ?? 1);
    if (hash.finishedAt) job.finishedAt = Number(hash.finishedAt);
    job.result = parse(hash.result);
    job.error = parse(hash.error);
    return job;
  };

  const backend = {
    kind: "redis",
    onFinished: (_code) => {},
    async submit(spec, owner) {
      // Typed refusals before anything is stored: the library's own attestation checks.
      ebsl.validateAttestations(spec.attestations, { now: spec.now ?? wallNow() });
      await admit(owner);
      const id = randomUUID();
      const now = wallNow();
      await redis.hset(jobKey(id), { status: "QUEUED", progress: "0", stage: "queued", attempt: "1", owner: owner ?? "", createdAt: String(now) });
      await redis.pexpire(jobKey(id), keepMs * 6);
      await queue.add("ebsl", { spec, owner }, {
        jobId: id,
        priority: bullPriority(spec.priority),
        attempts: options.attempts ?? 3,
        backoff: { type: "exponential", delay: options.backoffMs ?? 250 },
        removeOnComplete: true,
        removeOnFail: true,
      });
      accepted.add(id);
      return new JobRecord(id, owner, now);
    },
    async get(id) {
      return toRecord(id, await redis.hgetall(jobKey(id)));
    },
    /** Events of job `id` from whichever worker proves it; returns an unsubscribe. */
    listen(id, listener) {
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(id);
      };
    },
    async cancel(id) {
      const job = await backend.get(id);
      if (!job || job.terminal) return false;
      const queued = await queue.getJob(id);
      const state = queued ? await queued.getState() : undefined;
      if (queued && state !== "active") {
        try {
          await queued.remove();
          const error = new lib.CancelledError("The request was cancelled.").toWire();
          await finishOnce(redis, id, { status: "CANCELLED", finishedAt: String(wallNow()), error: JSON.stringify(error) }, keepMs, { type: "cancelled", id, status: "CANCELLED", progress: job.progress, error });
          return true;
        } catch {
          /* it became active meanwhile: ask its worker */
        }
      }
      await redis.publish(CANCEL_CHANNEL, id);
      return true;
    },
    depth: () => depth,
    refreshDepth,
    ready: () => ready,
    async close() {
      await queue.close();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
  return backend;
}
