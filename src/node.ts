/**
 * Node-only entry (`proofline/node`): the main entry's surface, with `proofAPI` and
 * `createNodeProofAPI` on Node defaults (artifacts read from files, worker_threads workers), plus
 * what a Node program wires itself: the worker factory, the file reader and the artifact loader.
 * Browser bundles never import this module.
 */
import { circuitsPackageDir } from "./lib/proof/engine/artifacts/circuits-package.js";
import { createNodeProofAPIWith } from "./lib/proof/client/node-defaults.js";
import type { NodeProofAPIOptions } from "./lib/proof/client/node-defaults.js";
import { lazyProofAPI } from "./lib/proof/client/lazy-proof-api.js";
import type { ProofAPI } from "./lib/proof/client/proof-api.js";

export * from "./index.js";
export type { NodeProofAPIOptions } from "./lib/proof/client/node-defaults.js";
export { createNodeWorkerFactory } from "./lib/proof/engine/pool/node-worker-factory.js";
export type { NodeWorkerFactoryOptions } from "./lib/proof/engine/pool/node-worker-factory.js";
export { createNodeArtifactReader } from "./lib/proof/engine/artifacts/node-artifact-reader.js";
export type { NodeArtifactReaderOptions } from "./lib/proof/engine/artifacts/node-artifact-reader.js";
export { createArtifactLoader } from "./lib/proof/engine/artifacts/artifact-loader.js";
export type { ArtifactLoader, ArtifactLoaderOptions, ArtifactLoaderStats, ArtifactReader } from "./lib/proof/engine/artifacts/artifact-loader.js";

/**
 * The installed `@proofline/circuits` package's directory (manifest.json and the artifacts of the
 * bundled manifest). Throws `ArtifactNotFoundError` (`details.package`) naming the package to
 * install when it is absent.
 */
export function packageCircuitsDir(): string {
  return circuitsPackageDir();
}

/**
 * A Node proof API: bundled manifest, artifacts read from the installed `@proofline/circuits`
 * package (`npm i proofline @proofline/circuits`; not needed with your own `circuits` or
 * `manifest` + `artifactsBaseUrl`), worker_threads workers running dist/prover.node-worker.js.
 * @throws ArtifactNotFoundError when the EBSL circuits are the default and the package is missing
 * @example
 * const api = createNodeProofAPI({ proverOptions: { poolSize: 1 } });
 * const result = await api.requestProof(attestations, "exact");
 * api.dispose();
 */
export function createNodeProofAPI(options: NodeProofAPIOptions = {}): ProofAPI {
  return createNodeProofAPIWith(options, packageCircuitsDir);
}

/** `createNodeProofAPI` under the name the main entry uses, so code written for either reads the same. */
export const createProofAPI = createNodeProofAPI;

/** The Node default instance, created on first use with `createNodeProofAPI()`. */
export const proofAPI = lazyProofAPI(() => createNodeProofAPI());
