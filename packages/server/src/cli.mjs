#!/usr/bin/env node
// `proofline serve` (also `proofline-server`): the service on 127.0.0.1:8080 by default.
// Environment: PORT, HOST, PROOFLINE_API_KEYS (comma-separated keys; without it the service is
// open), REDIS_URL (jobs on BullMQ; without it, one process with an in-memory queue).
// `proofline worker` (REDIS_URL required): PROOFLINE_POOL_SIZE prover threads,
// PROOFLINE_LOCK_MS how long a dead worker's job waits before another takes it (5000).
import { parseArgs } from "node:util";
import { createService } from "./index.mjs";

export async function serve(argv = process.argv.slice(2), env = process.env) {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: "string" }, host: { type: "string" }, "api-keys": { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write("Usage: proofline serve [--port 8080] [--host 127.0.0.1] [--api-keys k1,k2]\n");
    return;
  }
  const keys = (values["api-keys"] ?? env.PROOFLINE_API_KEYS ?? "").split(",").filter(Boolean);
  const app = await createService({ ...(keys.length ? { apiKeys: keys } : {}), ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}) });
  const port = Number(values.port ?? env.PORT ?? 8080);
  const host = values.host ?? env.HOST ?? "127.0.0.1";
  const address = await app.listen({ port, host });
  process.stdout.write(`proofline service on ${address} (${keys.length ? `${keys.length} API key(s)` : "no authentication"}, ${env.REDIS_URL ? "jobs on Redis: start workers with `proofline worker`" : "in-memory queue"})\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return app;
}

/** A prover worker process: takes jobs from Redis (REDIS_URL). */
export async function worker(_argv = process.argv.slice(2), env = process.env) {
  if (!env.REDIS_URL) throw new Error("a worker takes its jobs from Redis: set REDIS_URL");
  const { createProofWorker } = await import("./index.mjs");
  const w = await createProofWorker({
    redisUrl: env.REDIS_URL,
    ...(env.PROOFLINE_POOL_SIZE ? { poolSize: Number(env.PROOFLINE_POOL_SIZE) } : {}),
    ...(env.PROOFLINE_LOCK_MS ? { lockDurationMs: Number(env.PROOFLINE_LOCK_MS) } : {}),
  });
  process.stdout.write(`proofline worker ${w.id} (pid ${process.pid}) taking jobs from Redis\n`);
  const stop = () => void w.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return w;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  (process.argv[2] === "worker" ? worker(process.argv.slice(3)) : serve(process.argv[2] === "serve" ? process.argv.slice(3) : process.argv.slice(2))).catch((error) => {
    process.stderr.write(`proofline serve: ${error.message}\n`);
    process.exit(1);
  });
}
