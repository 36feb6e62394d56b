/**
 * TEST-ONLY prover worker: the real built worker (dist/prover.node-worker.js) whose first helper
 * thread to receive a proving task then fails. Right after that task, the helper is sent a
 * message its code cannot handle: its message handler throws, the exception is uncaught, and the
 * helper thread dies with an error event, as a helper that crashes on its own would, while the
 * proof still waits for it. Lives under tests/ only.
 *
 * The built worker puts its helper Worker class in Node's CommonJS cache under the path
 * ffjavascript resolves `web-worker` to; ffjavascript is imported only at init, after this file
 * has replaced that class with a subclass.
 */
import { createRequire, Module } from "node:module";

await import(new URL("../../../dist/prover.node-worker.js", import.meta.url).href);

const require = createRequire(import.meta.url);
const path = createRequire(require.resolve("ffjavascript")).resolve("web-worker");
const cached = Module._cache[path];
const HelperWorker = cached.exports;
let crashed = false;
cached.exports = class FailingHelper extends HelperWorker {
  postMessage(message, transfer) {
    super.postMessage(message, transfer);
    const cmd = Array.isArray(message) ? message[0]?.cmd : undefined;
    if (!crashed && cmd !== undefined && cmd !== "INIT" && cmd !== "TERMINATE") {
      crashed = true;
      super.postMessage(null);
    }
  }
};
