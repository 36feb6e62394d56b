/**
 * Node-only entry (`proofline/node`): everything of the main entry, plus file-based artifacts
 * and worker_threads workers. Its `proofAPI` uses the Node defaults. Browser bundles never
 * import this module.
 */
import { fileURLToPath } from "node:url";
import { createNodeProofAPIWith } from "./lib/proof/pipeline/node-defaults.js";
import type { NodeProofAPIOptions } from "./lib/proof/pipeline/node-defaults.js";
import { lazyProofAPI } from "./lib/proof/pipeline/lazy-proof-api.js";
import type { ProofAPI } from "./lib/proof/pipeline/proof-api.js";

export * from "./index.js";
export { nodeProofAPIOptions } from "./lib/proof/pipeline/node-defaults.js";
export type { NodeProofAPIOptions } from "./lib/proof/pipeline/node-defaults.js";
export { createNodeWorkerFactory, wrapNodeWorker } from "./lib/proof/engine/node-worker-factory.js";
export type { NodeWorkerFactoryOptions } from "./lib/proof/engine/node-worker-factory.js";
export { createNodeArtifactReader } from "./lib/proof/engine/node-artifact-reader.js";
export type { NodeArtifactReaderOptions } from "./lib/proof/engine/node-artifact-reader.js";

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

/** The Node default instance, created on first use with `createNodeProofAPI()`. */
export const proofAPI = lazyProofAPI(() => createNodeProofAPI());
