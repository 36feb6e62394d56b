/**
 * Node wiring of the proof API: the bundled circuit manifest, artifacts read by the prover workers
 * from the installed `@proofline/circuits` package (no persistent store: the files are already local), and
 * worker_threads prover workers running dist/prover.node-worker.js. Node-only: imported by
 * src/node.ts, never by the browser entry.
 */
import type { ResourceLimits, Worker } from "node:worker_threads";
import { createArtifactLoader } from "../engine/artifacts/artifact-loader.js";
import { workerArtifacts } from "../engine/artifacts/circuit-loading.js";
import { createNodeArtifactReader } from "../engine/artifacts/node-artifact-reader.js";
import { createNodeWorkerFactory } from "../engine/pool/node-worker-factory.js";
import { bundledManifest } from "./browser-defaults.js";
import type { ProofAPIOptions } from "./options.js";
import { ProofAPI } from "./proof-api.js";

export interface NodeProofAPIOptions extends ProofAPIOptions {
  /** Directory (or file: URL) the manifest's artifact paths resolve against. @default the installed `@proofline/circuits` package */
  readonly circuitsDir?: string | URL;
  /** The worker entry. @default dist/prover.node-worker.js next to the built entry */
  readonly workerUrl?: URL | string;
  /** V8 heap limits of each prover worker (a worker exceeding them dies: WORKER_CRASHED). */
  readonly resourceLimits?: ResourceLimits;
  /** Called with each spawned worker_threads Worker. */
  readonly onSpawn?: (worker: Worker) => void;
}

/** Fill the Node defaults into `options`; explicit options win. */
export function nodeProofAPIOptions(options: NodeProofAPIOptions, packageCircuitsDir: () => string | URL): ProofAPIOptions {
  const { circuitsDir, workerUrl, resourceLimits, onSpawn, ...rest } = options;
  // Only a manifest without a base needs the circuits package, so own circuits need not install it.
  const dir = rest.artifactsBaseUrl ?? circuitsDir ?? (rest.circuits === undefined ? packageCircuitsDir() : undefined);
  const workerFactory =
    rest.workerFactory ??
    createNodeWorkerFactory({
      ...(workerUrl !== undefined ? { url: workerUrl } : {}),
      ...(resourceLimits ? { resourceLimits } : {}),
      ...(onSpawn ? { onSpawn } : {}),
    });
  return {
    ...rest,
    ...(rest.circuits === undefined && rest.manifest === undefined ? { manifest: bundledManifest() } : {}),
    ...(dir !== undefined ? { artifactsBaseUrl: dir } : {}),
    // proofline's own worker reads and checks its files itself, so a big zkey's bytes can be let
    // go once decoded and read again from the file (on this thread they would stay for the API's
    // life). A worker factory of the caller's may wrap workers that cannot load artifacts: its
    // workers get the bytes from this thread, as they always did.
    artifacts:
      rest.artifacts ??
      (rest.workerFactory ? () => createArtifactLoader({ store: null, readFile: createNodeArtifactReader(), ...(rest.clock ? { clock: rest.clock } : {}) }) : workerArtifacts()),
    workerFactory,
  };
}

/** A Node proof API with the defaults above. */
export function createNodeProofAPIWith(options: NodeProofAPIOptions, packageCircuitsDir: () => string | URL): ProofAPI {
  return new ProofAPI(nodeProofAPIOptions(options, packageCircuitsDir));
}
