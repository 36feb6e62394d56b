/**
 * Browser worker factory: a module Web Worker running dist/prover.worker.js, wrapped with comlink.
 *
 * dist/ must contain the literal `new Worker(new URL("./prover.worker.js", import.meta.url), {
 * type: "module" })`: consumers' bundlers (Vite, webpack 5) recognise it and bundle the worker
 * with its dependencies. The URL is relative to the built file in dist/.
 * Our own Vite build matches the same pattern and would try to bundle a worker from src/ (where
 * it does not exist): vite.config.ts needs the `keepWorkerLiteral` plugin
 * that hides the literal from Vite's worker plugin and restores it in the output chunk.
 */
import * as Comlink from "comlink";
import { WorkerStartError } from "../../core/errors.js";
import { createWorkerHandle, webWorkerDeaths } from "./worker-handle.js";
import type { WorkerFactory, WorkerHandle } from "./worker-pool.js";
import type { ProverWorkerApi } from "./worker-protocol.js";

/** Wrap any Web Worker running the prover worker entry. Exported for custom worker URLs. */
export function wrapWebWorker(worker: Worker): WorkerHandle {
  const api = Comlink.wrap<ProverWorkerApi>(worker) as unknown as ProverWorkerApi;
  return createWorkerHandle(api, webWorkerDeaths(worker), () => worker.terminate());
}

/**
 * The default factory in browsers. Where there is no Web Worker (Node, or server-side rendering
 * that reached a proof), it says which entry to use instead of failing on something downstream.
 */
export const browserWorkerFactory: WorkerFactory = () => {
  if (typeof Worker === "undefined") {
    const node = typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
    throw new WorkerStartError(
      node
        ? 'No Web Worker in Node: import from "proofline/node" (createNodeProofAPI, proofAPI) instead of "proofline".'
        : "No Web Worker in this environment: proofs run in the browser (server-side rendering may import proofline, but not prove).",
      { details: { environment: node ? "node" : "no-worker" } },
    );
  }
  return wrapWebWorker(new Worker(new URL("./prover.worker.js", import.meta.url), { type: "module" }));
};
