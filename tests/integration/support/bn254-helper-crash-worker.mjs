/**
 * TEST-ONLY prover worker: the real built worker (dist/prover.node-worker.js) whose first bn254
 * helper thread to receive a witness then dies. Right after that request the helper is sent a
 * message outside the protocol: its handler throws, the exception is uncaught, and the helper
 * thread dies with an error event, as a helper that crashes on its own would, while the proof
 * still waits for it. Lives under tests/ only.
 *
 * The built worker starts its helpers with `Worker` from node:worker_threads; this file puts a
 * subclass in its place (syncBuiltinESMExports carries the change to ES module imports) before
 * importing the worker.
 */
import { syncBuiltinESMExports } from "node:module";
import threads from "node:worker_threads";

const Real = threads.Worker;
let crashed = false;
threads.Worker = class CrashingHelper extends Real {
  constructor(url, options) {
    super(url, options);
    this.helper = options?.workerData?.proofline === "proofline-bn254-helper";
  }
  postMessage(message, transfer) {
    super.postMessage(message, transfer);
    if (this.helper && !crashed && message?.kind === "witness") {
      crashed = true;
      super.postMessage({ kind: "not-in-the-protocol" });
    }
  }
};
syncBuiltinESMExports();

await import(new URL("../../../dist/prover.node-worker.js", import.meta.url).href);
