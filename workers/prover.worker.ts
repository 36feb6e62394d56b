/**
 * Browser entry of the prover worker (module Web Worker). snarkjs's own nested `blob:` workers
 * work here, so every thread mode is available; `adaptive` sizes them per proof
 * (browser-helper-threads.ts, installed before snarkjs is imported). The worker fetches, checks
 * (WebCrypto SHA-256) and stores (IndexedDB) its artifacts itself: the page only sends the pins.
 */
import * as Comlink from "comlink";
import { createArtifactLoader } from "../src/lib/proof/engine/artifacts/artifact-loader.js";
import { installBrowserHelperThreads } from "./browser-helper-threads.js";
import { createProverCore } from "./prover-core.js";

const helperThreads = installBrowserHelperThreads();
Comlink.expose(createProverCore({ nestedThreadsSupported: true, artifacts: () => createArtifactLoader(), helperThreads }));
