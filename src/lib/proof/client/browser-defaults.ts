/**
 * Browser wiring of the proof API: the bundled circuit manifest, artifacts fetched from
 * `artifactsBaseUrl` and kept in IndexedDB, module Web Workers (`browserWorkerFactory`).
 *
 * The default `artifactsBaseUrl` is the package's own `circuits/` directory next to
 * `dist/index.js`. That works when the package is served as is (Vite dev server, node_modules
 * served statically); once a dapp bundles the library the relative location no longer holds,
 * so production dapps should copy `circuits/build/` to their CDN and set `artifactsBaseUrl`.
 */
import manifest from "../../../../circuits/manifest.json" with { type: "json" };
import { browserWorkerFactory } from "../engine/worker-factory.js";
import type { ProofAPIOptions } from "./options.js";
import { ProofAPI } from "./proof-api.js";

/** The circuit manifest shipped with this version of the package (bundled at build time). */
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
