/**
 * The prover worker entry (workers/prover.node-worker.ts, from the TypeScript sources) with V8
 * precise coverage switched on in this thread. A Session opened inside a worker thread connects
 * to that thread's isolate, so the main thread cannot read this worker's counts itself: it asks
 * on a BroadcastChannel, which leaves parentPort to comlink alone: "take" (the files that ran
 * since the last take), "arm" (make the functions of the last take note their callers) and
 * "calls" (the caller → callee pairs noted since arming).
 * Started by scripts/trace-request.mjs; not part of the library.
 */
import { Session } from "node:inspector/promises";
import { BroadcastChannel, threadId } from "node:worker_threads";
import { register } from "tsx/esm/api";
import { TRACE_CHANNEL, armCallSites, executedFunctions, takeCalls } from "./trace-request-coverage.mjs";

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });

const channel = new BroadcastChannel(TRACE_CHANNEL);
/** The last coverage taken: the functions `arm` makes note their callers. */
let last = [];
channel.onmessage = async ({ data }) => {
  if (data?.type === "take") {
    // Taking coverage resets the counters: each answer covers the time since the last one.
    last = (await session.post("Profiler.takePreciseCoverage")).result;
    channel.postMessage({ type: "coverage", id: data.id, threadId, files: executedFunctions(last) });
  } else if (data?.type === "arm") {
    channel.postMessage({ type: "armed", id: data.id, threadId, functions: await armCallSites(session, last) });
  } else if (data?.type === "calls") {
    channel.postMessage({ type: "calls", id: data.id, threadId, calls: takeCalls() });
  }
};
// The channel must not keep the worker alive once the pool terminates it.
channel.unref();

// Node 20 does not carry the parent's `--import tsx` into a worker's loader: register it here.
register();
await import("../workers/prover.node-worker.ts");
