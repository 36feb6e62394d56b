/**
 * Helper threads for ffjavascript inside a Node worker_threads prover worker.
 *
 * ffjavascript starts its threads with the default export of the `web-worker` package, which
 * only works on Node's main thread: loaded inside a worker thread, it turns into the inner half
 * of its own workers and exports nothing ("Worker is not a constructor"). Before anything imports
 * ffjavascript, `installNodeHelperThreads` puts in Node's CommonJS cache, under the path
 * ffjavascript resolves `web-worker` to, a small Web-Worker-like class backed by worker_threads:
 * Node's ESM loader takes a CommonJS module it finds cached as is. Each helper evaluates the
 * thread source ffjavascript hands over (a `data:` URL) with a `self` that talks to its parent.
 *
 * Helpers are children of the prover worker: terminating the prover worker (cancel, dispose)
 * stops them with it, and they never keep the process alive on their own.
 */
import { createRequire, Module } from "node:module";
import os from "node:os";
import { Worker } from "node:worker_threads";
import { buildAside, type Curve, type HelperThreads } from "./threaded-curve.js";

/**
 * The helper's own code, evaluated as a CommonJS script: a `self` with `onmessage`,
 * `postMessage` and `close`, then ffjavascript's thread source run against it.
 */
const HELPER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const self = { onmessage: null, postMessage: (m, t) => parentPort.postMessage(m, t), close: () => process.exit(0) };
parentPort.on("message", (data) => { if (self.onmessage) self.onmessage({ data }); });
new Function("self", workerData.source)(self);
`;

type Listener = (event: { data: unknown }) => void;

function decodeDataUrl(url: string): string {
  const comma = url.indexOf(",");
  if (!url.startsWith("data:") || comma < 0) throw new TypeError("A helper thread takes a data: URL.");
  const meta = url.slice(5, comma);
  const body = url.slice(comma + 1);
  return meta.endsWith(";base64") ? Buffer.from(body, "base64").toString("utf8") : decodeURIComponent(body);
}

/** Start helper threads; `died` is told when one stops without being asked to. */
function helperWorkerClass(died: (cause?: unknown) => void, onSpawn: ((worker: Worker) => void) | undefined) {
  return class HelperWorker {
    readonly #worker: Worker;
    readonly #listeners: Listener[] = [];
    #stopping = false;

    constructor(url: string | URL) {
      this.#worker = new Worker(HELPER_SOURCE, { eval: true, workerData: { source: decodeDataUrl(String(url)) } });
      onSpawn?.(this.#worker);
      this.#worker.on("message", (data: unknown) => {
        for (const listener of this.#listeners) listener({ data });
      });
      this.#worker.on("error", (error: unknown) => {
        if (!this.#stopping) died(error);
        this.#stopping = true;
      });
      this.#worker.on("exit", () => {
        if (!this.#stopping) died();
        this.#stopping = true;
      });
    }

    addEventListener(type: string, listener: Listener): void {
      if (type === "message") this.#listeners.push(listener);
    }

    removeEventListener(type: string, listener: Listener): void {
      const i = this.#listeners.indexOf(listener);
      if (type === "message" && i >= 0) this.#listeners.splice(i, 1);
    }

    postMessage(message: unknown, transfer?: readonly ArrayBuffer[]): void {
      // ffjavascript ends its threads with a TERMINATE task; their exit is then expected.
      if (Array.isArray(message) && (message[0] as { cmd?: unknown } | undefined)?.cmd === "TERMINATE") this.#stopping = true;
      this.#worker.postMessage(message, transfer as ArrayBuffer[] | undefined);
    }

    terminate(): void {
      this.#stopping = true;
      void this.#worker.terminate();
    }
  };
}

/**
 * Install the helper Worker for ffjavascript (call before snarkjs or ffjavascript is imported)
 * and return the helper threads of this prover worker. `onSpawn` sees each raw helper (tests
 * make one fail mid-proof with it).
 */
export function installNodeHelperThreads(options: { readonly onSpawn?: (worker: Worker) => void } = {}): HelperThreads {
  const listeners: Array<(cause?: unknown) => void> = [];
  const died = (cause?: unknown) => {
    for (const listener of listeners) listener(cause);
  };
  const require = createRequire(import.meta.url);
  const webWorkerPath = createRequire(require.resolve("ffjavascript")).resolve("web-worker");
  const shim = new Module(webWorkerPath);
  shim.filename = webWorkerPath;
  shim.loaded = true;
  shim.exports = helperWorkerClass(died, options.onSpawn);
  (Module as unknown as { _cache: Record<string, Module> })._cache[webWorkerPath] = shim;

  return {
    async build(threads) {
      const { buildBn128 } = (await import("ffjavascript")) as unknown as { buildBn128(single: boolean): Promise<Curve> };
      // ffjavascript starts one thread per `os.cpus()` entry: show it the granted count while it
      // builds (nothing else in this worker reads it meanwhile).
      const cpus = os.cpus;
      const one = cpus()[0];
      os.cpus = () => Array.from({ length: threads }, () => one as os.CpuInfo);
      try {
        return await buildAside(buildBn128);
      } finally {
        os.cpus = cpus;
      }
    },
    onDeath(listener) {
      listeners.push(listener);
    },
  };
}
