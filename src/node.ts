/**
 * Node-only entry (`proofline/node`): the main entry's surface, with `proofAPI` and
 * `createNodeProofAPI` on Node defaults (artifacts read from files, worker_threads workers), plus
 * what a Node program wires itself: the worker factory, the file reader and the artifact loader.
 * Browser bundles never import this module.
 */
import { fileURLToPath } from "node:url";
import { createNodeProofAPIWith } from "./lib/proof/client/node-defaults.js";
import type { NodeProofAPIOptions } from "./lib/proof/client/node-defaults.js";
import { lazyProofAPI } from "./lib/proof/client/lazy-proof-api.js";
import type { ProofAPI } from "./lib/proof/client/proof-api.js";

export * from "./index.js";
export type { NodeProofAPIOptions } from "./lib/proof/client/node-defaults.js";
export { createNodeWorkerFactory } from "./lib/proof/engine/node-worker-factory.js";
export type { NodeWorkerFactoryOptions } from "./lib/proof/engine/node-worker-factory.js";
export { createNodeArtifactReader } from "./lib/proof/engine/artifacts/node-artifact-reader.js";
export type { NodeArtifactReaderOptions } from "./lib/proof/engine/artifacts/node-artifact-reader.js";
export { createArtifactLoader } from "./lib/proof/engine/artifacts/artifact-loader.js";
export type { ArtifactLoader, ArtifactLoaderOptions, ArtifactLoaderStats, ArtifactReader } from "./lib/proof/engine/artifacts/artifact-loader.js";

// A variable, not a literal (bundlers would treat it as an asset). This file sits one level
// below the package root in src/ and dist/, so this is the package's circuits/ directory.
const PACKAGE_CIRCUITS = "../circuits/";

/** The package's circuits/ directory (artifacts of the bundled manifest). */
export function packageCircuitsDir(): string {
  return fileURLToPath(new URL(PACKAGE_CIRCUITS, import.meta.url));
}

/**
 * A Node proof API: bundled manifest, artifacts read from the package's circuits/ directory,
 * worker_threads workers running dist/prover.node-worker.js.
 * @example
 * const api = createNodeProofAPI({ proverOptions: { poolSize: 1 } });
 * const result = await api.requestProof(attestations, "exact");
 * api.dispose();
 */
export function createNodeProofAPI(options: NodeProofAPIOptions = {}): ProofAPI {
  return createNodeProofAPIWith(options, packageCircuitsDir());
}

/** `createNodeProofAPI` under the name the main entry uses, so code written for either reads the same. */
export const createProofAPI = createNodeProofAPI;

/** The Node default instance, created on first use with `createNodeProofAPI()`. */
export const proofAPI = lazyProofAPI(() => createNodeProofAPI());
