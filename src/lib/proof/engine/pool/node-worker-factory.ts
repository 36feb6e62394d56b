/**
 * Node worker factory: worker_threads running dist/prover.node-worker.js, wrapped with comlink's
 * node adapter. Node-only (imports node:worker_threads): never import it from browser code.
 */
import { availableParallelism, totalmem } from "node:os";
import { Worker, type ResourceLimits } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createWorkerHandle, nodeWorkerDeaths } from "./worker-handle.js";
import type { WorkerFactory, WorkerHandle } from "./worker-pool.js";
import type { ProverWorkerApi } from "./worker-protocol.js";

export interface NodeWorkerFactoryOptions {
  /** The built worker entry. @default new URL("./prover.node-worker.js", import.meta.url) (next to dist/node.js) */
  readonly url?: URL | string;
  /** V8 heap limits per worker; exceeding them kills the worker (reported as WORKER_CRASHED). */
  readonly resourceLimits?: ResourceLimits;
  /** Called with each raw Worker (tests use it to kill a worker mid-proof). */
  readonly onSpawn?: (worker: Worker) => void;
}

/** Wrap a worker_threads Worker running the prover worker entry. */
export function wrapNodeWorker(worker: Worker): WorkerHandle {
  const api = Comlink.wrap<ProverWorkerApi>(nodeEndpoint(worker)) as unknown as ProverWorkerApi;
  return createWorkerHandle(api, nodeWorkerDeaths(worker), () => void worker.terminate());
}

/**
 * ffjavascript imports the `web-worker` shim, which, when loaded outside Node's main thread,
 * assumes it IS one of its own workers and reads `workerData.mod` (undefined → TypeError: snarkjs
 * cannot even be imported). Handing it an empty classic script keeps it quiet; it then only
 * mirrors parentPort messages onto `self`, which nothing listens to.
 */
const WEB_WORKER_SHIM_DATA = { mod: "data:text/javascript,", name: "proofline-prover", type: "classic" } as const;

/**
 * A factory of worker_threads prover workers. It carries the machine's core count (`cores`) and
 * memory (`memoryBytes`), which the prover's adaptive threads and memory budget default to: Node
 * 20 has no `navigator.hardwareConcurrency`.
 */
export function createNodeWorkerFactory(options: NodeWorkerFactoryOptions = {}): WorkerFactory & { readonly cores: number; readonly memoryBytes: number } {
  const url = options.url ?? new URL(/* @vite-ignore */ "./prover.node-worker.js", import.meta.url);
  const make = () => {
    const worker = new Worker(url, {
      workerData: WEB_WORKER_SHIM_DATA,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    options.onSpawn?.(worker);
    return wrapNodeWorker(worker);
  };
  return Object.assign(make, { cores: availableParallelism(), memoryBytes: totalmem() });
}
