/**
 * TEST-ONLY Node prover worker (worker_threads): the real prover core wrapped with the fault
 * injector (src/lib/proof/testing/fault-worker-core.ts). Reached only through
 * `proofline/testing`'s `createNodeFaultWorkerFactory`; production uses prover.node-worker.ts,
 * which contains no fault code.
 *
 * workerData: `{ mod, name, type }` (ffjavascript's web-worker shim, see node-worker-factory.ts)
 * plus `wasmPageCap?` to run the whole worker as a small-memory device.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createArtifactLoader } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { createNodeArtifactReader } from "../src/lib/proof/engine/artifacts/node-artifact-reader.js";
import { createProverCore } from "../src/lib/proof/worker/prover-core.js";
import { createFaultInjector } from "../src/lib/proof/testing/fault-worker-core.js";
import { installWasmPageCap } from "../src/lib/proof/testing/wasm-page-cap.js";

/** Exit code of an injected crash (distinguishable from real failures in logs). */
const CRASH_EXIT_CODE = 70;

if (!parentPort) throw new Error("prover.fault-node-worker must run inside worker_threads");
const cap = (workerData as { wasmPageCap?: unknown } | undefined)?.wasmPageCap;
if (typeof cap === "number") installWasmPageCap(cap);

const injector = createFaultInjector({ crash: () => process.exit(CRASH_EXIT_CODE) });
const core = createProverCore({
  nestedThreadsSupported: false,
  // Reads its own files like the production worker, so the Node API's default artifacts work here.
  artifacts: () => createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }),
  importSnarkjs: injector.wrapSnarkjs(() => import("snarkjs")) as never,
});
Comlink.expose(injector.expose(core), nodeEndpoint(parentPort));
