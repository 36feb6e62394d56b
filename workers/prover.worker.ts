/**
 * Browser entry of the prover worker (module Web Worker). snarkjs's own nested `blob:` workers
 * work here, so every thread mode is available; `adaptive` sizes them per proof
 * (browser-helper-threads.ts, installed before snarkjs is imported), and with the bn254 backend
 * starts bn254 helper threads instead (browser-slice-helpers.ts): this same script, nested, in
 * helper mode. The worker fetches, checks (SHA-256) and stores (IndexedDB) its artifacts
 * itself: the page only sends the pins. A big zkey's bytes are let go once its prover has decoded
 * them (read again from IndexedDB when needed): the file and its decoded copy never both stay.
 */
import * as Comlink from "comlink";
import { createArtifactLoader, WORKER_HAND_OVER_ABOVE_BYTES } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { serveSlices } from "../src/lib/proof/worker/bn254/split/slice-helper-service.js";
import { installBrowserHelperThreads } from "../src/lib/proof/worker/browser-helper-threads.js";
import { browserHelperEndpoint, browserSliceHelpers, isBrowserSliceHelper } from "./browser-slice-helpers.js";
import { createWarmWitness } from "../src/lib/proof/worker/warm-witness.js";
import { createProverCore } from "../src/lib/proof/worker/prover-core.js";

if (isBrowserSliceHelper()) {
  serveSlices(browserHelperEndpoint());
} else {
  // Taken before the threaded curve's Worker subclass is installed (browser-slice-helpers.ts).
  const sliceHelpers = browserSliceHelpers();
  const helperThreads = installBrowserHelperThreads();
  Comlink.expose(
    createProverCore({ nestedThreadsSupported: true, artifacts: () => createArtifactLoader({ callerKeepsBytes: true, handOverAboveBytes: WORKER_HAND_OVER_ABOVE_BYTES }), releaseZkeysAboveBytes: WORKER_HAND_OVER_ABOVE_BYTES, helperThreads, witness: createWarmWitness(), ...(sliceHelpers ? { sliceHelpers } : {}) }),
  );
}
