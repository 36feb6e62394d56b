/**
 * Node entry of the prover worker (worker_threads). snarkjs's own nested workers cannot start
 * inside worker_threads ("Worker is not a constructor"), so `threads: 'snarkjs'` is
 * refused; `adaptive` gets ffjavascript helper threads through node-helper-threads.ts, installed
 * here before anything imports ffjavascript, and bn254 helper threads (node-slice-helpers.ts),
 * which are this same script started in helper mode. Artifacts may be read here too (files,
 * file: and http(s) URLs; no persistent store: files are already local): the Node default
 * (`workerArtifacts()`). A big zkey's bytes are let go once its prover has decoded them and read
 * again from the file (checked against its pin) when needed, as in a browser worker.
 */
import { parentPort, workerData } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createArtifactLoader, WORKER_HAND_OVER_ABOVE_BYTES } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { createNodeArtifactReader } from "../src/lib/proof/engine/artifacts/node-artifact-reader.js";
import { serveSlices } from "../src/lib/proof/worker/bn254/split/slice-helper-service.js";
import { installNodeHelperThreads } from "../src/lib/proof/worker/node-helper-threads.js";
import { isNodeSliceHelper, nodeHelperEndpoint, nodeSliceHelpers } from "./node-slice-helpers.js";
import { createWarmWitness } from "../src/lib/proof/worker/warm-witness.js";
import { createProverCore } from "../src/lib/proof/worker/prover-core.js";

if (!parentPort) throw new Error("prover.node-worker must run inside worker_threads");
if (isNodeSliceHelper(workerData)) {
  serveSlices(nodeHelperEndpoint());
} else {
  const helperThreads = installNodeHelperThreads();
  const artifacts = () => createArtifactLoader({ store: null, readFile: createNodeArtifactReader(), handOverAboveBytes: WORKER_HAND_OVER_ABOVE_BYTES });
  const sliceHelpers = nodeSliceHelpers(new URL(import.meta.url));
  Comlink.expose(
    createProverCore({ nestedThreadsSupported: false, artifacts, releaseZkeysAboveBytes: WORKER_HAND_OVER_ABOVE_BYTES, helperThreads, sliceHelpers, witness: createWarmWitness() }),
    nodeEndpoint(parentPort),
  );
}
