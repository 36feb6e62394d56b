/**
 * Browser entry of the prover worker (module Web Worker). snarkjs's own nested `blob:` workers
 * work here, so both thread modes are available. The worker fetches, checks (WebCrypto SHA-256)
 * and stores (IndexedDB) its artifacts itself: the page only sends the pins.
 */
import * as Comlink from "comlink";
import { createArtifactLoader } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { createProverCore } from "./prover-core.js";

Comlink.expose(createProverCore({ nestedThreadsSupported: true, artifacts: () => createArtifactLoader() }));
