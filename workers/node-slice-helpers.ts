/**
 * bn254 helper threads in Node: worker_threads started by the prover worker from its own entry
 * script with `workerData.proofline` naming helper mode, so no other file has to be found next to
 * the built worker. They are children of the prover worker: terminating it (cancel, dispose,
 * recycle) stops them, and they never keep the process alive on their own.
 */
import { parentPort, Worker } from "node:worker_threads";
import { SLICE_HELPER_MODE, type SliceEndpoint } from "../src/lib/proof/worker/bn254/split/slice-helper-protocol.js";
import type { SpawnedHelper } from "../src/lib/proof/worker/bn254/split/slice-helper-client.js";

/** True when this worker was started as a bn254 helper (its workerData says so). */
export function isNodeSliceHelper(workerData: unknown): boolean {
  return (workerData as { proofline?: unknown } | null | undefined)?.proofline === SLICE_HELPER_MODE;
}

/** The helper's side of the channel: its parent port. */
export function nodeHelperEndpoint(): SliceEndpoint {
  const port = parentPort;
  if (!port) throw new Error("a bn254 helper must run inside worker_threads");
  return { postMessage: (m) => port.postMessage(m), onMessage: (listener) => void port.on("message", listener) };
}

/** Starts helpers running `entry` (a prover worker entry) in helper mode; `onSpawn` sees each (tests). */
export function nodeSliceHelpers(entry: URL, onSpawn?: (worker: Worker) => void): () => SpawnedHelper {
  return () => {
    const worker = new Worker(entry, { workerData: { proofline: SLICE_HELPER_MODE } });
    onSpawn?.(worker);
    const deaths: Array<(cause?: unknown) => void> = [];
    let stopping = false;
    const died = (cause?: unknown) => {
      if (stopping) return;
      stopping = true;
      for (const listener of deaths) listener(cause);
    };
    worker.on("error", (error: unknown) => died(error));
    worker.on("exit", () => died());
    return {
      postMessage: (m, transfer) => worker.postMessage(m, transfer),
      onMessage: (listener) => void worker.on("message", listener),
      onDeath: (listener) => void deaths.push(listener),
      terminate: () => {
        stopping = true;
        void worker.terminate();
      },
    };
  };
}
