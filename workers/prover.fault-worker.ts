/**
 * TEST-ONLY browser prover worker (module Web Worker): the real prover core wrapped with the
 * fault injector (src/lib/proof/testing/fault-worker-core.ts). Reached only through
 * `proofline/testing`'s `createFaultWorkerFactory`; production uses prover.worker.ts, which
 * contains no fault code.
 *
 * The worker's name may carry `wasmPageCap=<pages>` to run it as a small-memory device (a module
 * worker has no workerData; the name is set by the factory).
 */
import * as Comlink from "comlink";
import { createArtifactLoader } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { createProverCore } from "../src/lib/proof/worker/prover-core.js";
import { createFaultInjector } from "../src/lib/proof/testing/fault-worker-core.js";
import { installWasmPageCap } from "../src/lib/proof/testing/wasm-page-cap.js";

const match = /wasmPageCap=(\d+)/.exec((globalThis as { name?: string }).name ?? "");
if (match) installWasmPageCap(Number(match[1]));

const injector = createFaultInjector({
  // An uncaught error is what a dying worker looks like to its parent (the pool's "error" death).
  crash: () =>
    setTimeout(() => {
      throw new Error("proofline-fault-injection: worker crashed");
    }),
});
const core = createProverCore({
  nestedThreadsSupported: true,
  artifacts: () => createArtifactLoader(),
  importSnarkjs: injector.wrapSnarkjs(() => import("snarkjs")) as never,
});
Comlink.expose(injector.expose(core));
