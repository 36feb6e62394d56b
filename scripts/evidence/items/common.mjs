// Helpers shared by evidence items.
import { Worker } from "node:worker_threads";
import { join } from "node:path";
import { root } from "../fixtures.mjs";

export const WORKER_URL = new URL(`file://${join(root, "dist/prover.node-worker.js")}`);

/**
 * A Node proof API on the built library, one worker. Options the item does not test are
 * neutral: no rate limit (it would count evidence requests), the cache off unless asked.
 */
export function makeApi(ctx, options = {}) {
  return ctx.node.createNodeProofAPI({
    workerUrl: WORKER_URL,
    rateLimit: false,
    cache: false,
    ...options,
    proverOptions: { poolSize: 1, ...(options.proverOptions ?? {}) },
  });
}

/** A worker factory whose workers inject `plans` (proofline/testing, built). */
export function faultFactory(ctx, plans, options = {}) {
  return ctx.testing.createNodeFaultWorkerFactory(plans, {
    Worker,
    url: new URL(`file://${join(root, "dist/prover.fault-node-worker.js")}`),
    ...options,
  });
}

/** Lifecycle events of an API, collected. */
export function collectEvents(api) {
  const events = [];
  api.subscribe((e) => events.push(e));
  return events;
}

export const errorFacts = (e) => (e ? { name: e.name, code: e.code, isProofError: e instanceof Error && typeof e.code === "string", recoverability: e.recoverability } : null);
