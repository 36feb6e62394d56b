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
 * Options of the parent process that a worker thread started from a file cannot run. Workers
 * inherit the parent's `execArgv`: under `node --input-type=module -e '…'` (a common way to try
 * a package) every worker died with ERR_INPUT_TYPE_NOT_ALLOWED. The eval and print options take
 * the code as their next argument, which goes too.
 */
const PARENT_ONLY_FLAGS: ReadonlyMap<string, boolean> = new Map([
  // flag → whether it takes the next argument as its value when written without "="
  ["--input-type", true],
  ["-e", true],
  ["--eval", true],
  ["-p", true],
  ["--print", true],
  ["-pe", true],
  ["-c", false],
  ["--check", false],
  ["-i", false],
  ["--interactive", false],
  ["--test", false],
  ["--watch", false],
  ["--watch-path", true],
]);

/** The parent's `execArgv` less what a worker thread running a file cannot take. */
export function workerExecArgv(parent: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const arg = parent[i]!;
    const eq = arg.indexOf("=");
    const flag = eq > 0 && arg.startsWith("-") ? arg.slice(0, eq) : arg;
    const takesValue = PARENT_ONLY_FLAGS.get(flag);
    if (takesValue === undefined) {
      kept.push(arg);
      continue;
    }
    if (takesValue && eq < 0) i++; // skip its value as well
  }
  return kept;
}

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
      execArgv: workerExecArgv(process.execArgv),
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    options.onSpawn?.(worker);
    return wrapNodeWorker(worker);
  };
  return Object.assign(make, { cores: availableParallelism(), memoryBytes: totalmem() });
}
