/**
 * A prover worker process's loop: takes remote proof jobs from BullMQ and proves them with a
 * proofline/node ProofAPI. Run any number of them, on any machines that reach the Redis server.
 *
 * - Progress goes to the job's record and channel; the attempt number rises on a retry, so the
 *   client sees it.
 * - A worker that dies mid-proof (kill -9) stops renewing its lock; after `lockDurationMs`
 *   BullMQ hands the job to another worker (a stalled job), which proves it again.
 * - Retryable failures (the library's `recoverability: "retryable"`) are thrown back to BullMQ,
 *   which retries with exponential backoff up to the job's attempts; other failures end the job
 *   with their typed error.
 * - The end is written once (finishOnce): a job run twice is reported once.
 * - The attestations travel in the BullMQ job only; the job is removed when it ends.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { Worker } from "bullmq";
import { createServiceProofAPI } from "../index.mjs";
import { publicResult } from "../jobs/job-record.mjs";
import { CANCEL_CHANNEL, QUEUE, connectionFromUrl, eventChannel, finishOnce, jobKey } from "./keys.mjs";
import { redisCacheBackend } from "./redis-cache-backend.mjs";

const wireError = (error) =>
  error && typeof error.code === "string" && typeof error.toWire === "function" ? error.toWire() : { code: "SYSTEM_ERROR", message: "The proof failed.", details: {} };

/**
 * @param {{ redisUrl: string, concurrency?: number, lockDurationMs?: number, keepFinishedMs?: number, poolSize?: number, timeoutMs?: number, manifest?: object, circuitsDir?: string }} options
 */
export async function createProofWorker(options) {
  const id = randomUUID().slice(0, 8);
  const connection = connectionFromUrl(options.redisUrl);
  const redis = new Redis(connection);
  const subscriber = new Redis(connection);
  const keepMs = options.keepFinishedMs ?? 600_000;
  const api = await createServiceProofAPI({
    ...options,
    // BullMQ owns retries (they may move to another worker); the library still falls back to a
    // smaller circuit when this device cannot take one.
    retry: { attempts: 1 },
    timeoutMs: options.timeoutMs ?? 120_000,
    cache: { persist: redisCacheBackend(redis) },
  });
  const publish = (jobId, event) => redis.publish(eventChannel(jobId), JSON.stringify(event));

  const finish = async (jobId, status, fields, event) => {
    await finishOnce(redis, jobId, { status, finishedAt: String(Date.now()), ...fields }, keepMs, event);
  };

  const processor = async (job, _token, signal) => {
    const jobId = job.id;
    const record = await redis.hgetall(jobKey(jobId));
    if (record.finished) return;
    const attempt = Math.max(1, job.attemptsStarted ?? job.attemptsMade + 1);
    let progress = Number(record.progress ?? 0);
    await redis.hset(jobKey(jobId), { status: "PROCESSING", attempt: String(attempt), worker: id });
    await publish(jobId, { type: "progress", id: jobId, status: "PROCESSING", progress, stage: "queued", attempt });
    const spec = job.data.spec;
    const onProgress = (event) => {
      // Monotonic across attempts and workers: a retry continues from where the bar was.
      progress = Math.max(progress, event.progress);
      const out = { type: "progress", id: jobId, status: "PROCESSING", progress, stage: event.stage, attempt };
      if (event.step !== undefined) out.step = event.step;
      if (event.circuitId !== undefined) out.circuitId = event.circuitId;
      void redis.hset(jobKey(jobId), { progress: String(progress), stage: event.stage });
      void publish(jobId, out);
    };
    try {
      const result = publicResult(
        await api.requestProof(spec.attestations, spec.proofType, {
          signal,
          onProgress,
          ...(job.data.owner !== undefined ? { userId: job.data.owner } : {}),
          ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
          ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
          ...(spec.now !== undefined ? { now: spec.now } : {}),
          ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
          ...(spec.allowFallback !== undefined ? { allowFallback: spec.allowFallback } : {}),
          ...(spec.registry !== undefined ? { registry: spec.registry } : {}),
        }),
      );
      result.attempts = attempt;
      await finish(jobId, "COMPLETED", { progress: "100", stage: "done", result: JSON.stringify(result) }, { type: "completed", id: jobId, status: "COMPLETED", progress: 100, stage: "done", result });
    } catch (error) {
      const wire = wireError(error);
      if (wire.code === "CANCELLED") {
        await finish(jobId, "CANCELLED", { error: JSON.stringify(wire) }, { type: "cancelled", id: jobId, status: "CANCELLED", progress, error: wire });
        return;
      }
      const lastAttempt = attempt >= (job.opts.attempts ?? 1);
      if (error?.recoverability === "retryable" && !lastAttempt) {
        await publish(jobId, { type: "progress", id: jobId, status: "PROCESSING", progress, stage: "queued", attempt, retrying: wire.code });
        throw error;
      }
      await finish(jobId, "FAILED", { error: JSON.stringify(wire) }, { type: "failed", id: jobId, status: "FAILED", progress, error: wire });
    }
  };

  const worker = new Worker(QUEUE, processor, {
    connection,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? 5_000,
    stalledInterval: Math.max(1_000, Math.floor((options.lockDurationMs ?? 5_000) / 2)),
    maxStalledCount: 2,
    removeOnComplete: { count: 0 },
    removeOnFail: { count: 0 },
  });
  worker.on("error", () => undefined);

  await subscriber.subscribe(CANCEL_CHANNEL);
  subscriber.on("message", (_channel, jobId) => worker.cancelJob(jobId, "cancelled"));
  await worker.waitUntilReady();

  return {
    id,
    worker,
    async close() {
      await worker.close(true);
      api.dispose();
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
