/**
 * The prover worker entry (workers/prover.node-worker.ts, from the TypeScript sources) with V8
 * precise coverage switched on in this thread. A Session opened inside a worker thread connects
 * to that thread's isolate, so the main thread cannot read this worker's counts itself: it asks
 * on a BroadcastChannel, which leaves parentPort to comlink alone.
 * Started by scripts/trace-request.mjs; not part of the library.
 */
import { Session } from "node:inspector/promises";
import { BroadcastChannel, threadId } from "node:worker_threads";
import { register } from "tsx/esm/api";
import { TRACE_CHANNEL, executedFunctions } from "./trace-request-coverage.mjs";

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });

const channel = new BroadcastChannel(TRACE_CHANNEL);
channel.onmessage = async ({ data }) => {
  if (data?.type !== "take") return;
  // Taking coverage resets the counters: each answer covers the time since the last one.
  const { result } = await session.post("Profiler.takePreciseCoverage");
  channel.postMessage({ type: "coverage", id: data.id, threadId, files: executedFunctions(result) });
};
// The channel must not keep the worker alive once the pool terminates it.
channel.unref();

// Node 20 does not carry the parent's `--import tsx` into a worker's loader: register it here.
register();
await import("../workers/prover.node-worker.ts");
