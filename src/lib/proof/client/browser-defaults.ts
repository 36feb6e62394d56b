/**
 * Browser wiring of the proof API: the bundled circuit manifest, artifacts fetched from
 * `artifactsBaseUrl` and kept in IndexedDB, module Web Workers (`browserWorkerFactory`).
 *
 * The manifest (the pins) is `@proofline/circuits`'s, inlined at build time, so the pins come with
 * the code and not from the host that serves the artifacts. The default `artifactsBaseUrl` is the
 * `@proofline/circuits` package next to proofline in `node_modules`; that holds only when
 * node_modules is served as is, so dapps use the `proofline/vite` plugin or set `artifactsBaseUrl`.
 */
import manifest from "../../../../circuits/manifest.json" with { type: "json" };
import { browserWorkerFactory } from "../engine/pool/worker-factory.js";
import type { ProofAPIOptions } from "./options.js";
import { ProofAPI } from "./proof-api.js";

/** The circuit manifest of the `@proofline/circuits` version this library pins (bundled at build time). */
export function bundledManifest(): unknown {
  return manifest;
}

/**
 * Fill the browser defaults into `options`; explicit options win.
 * @param packageCircuitsUrl where the package's circuits/ directory is (the entry computes it)
 */
export function browserProofAPIOptions(options: ProofAPIOptions, packageCircuitsUrl: URL | string): ProofAPIOptions {
  return {
    ...options,
    ...(options.circuits === undefined && options.manifest === undefined ? { manifest } : {}),
    artifactsBaseUrl: options.artifactsBaseUrl ?? packageCircuitsUrl,
    workerFactory: options.workerFactory ?? browserWorkerFactory,
  };
}

/** A browser proof API with the defaults above. */
export function createBrowserProofAPI(options: ProofAPIOptions, packageCircuitsUrl: URL | string): ProofAPI {
  return new ProofAPI(browserProofAPIOptions(options, packageCircuitsUrl));
}
