/**
 * A child process for host-safety tests: it installs NO `unhandledRejection` handler, so a
 * rejected promise that nobody observes ends the process with exit code 1 (Node's default).
 * It runs one named case, waits for stray rejections to surface, and exits 0 when the case
 * settled with the expected typed error. A MaxListenersExceededWarning exits with code 3.
 *
 * Run: node --import tsx tests/support/abort-host.ts <case>
 */
import { fileURLToPath } from "node:url";
import { createArtifactLoader } from "../../src/lib/proof/engine/artifacts/artifact-loader.js";
import { circuitsFromManifest, parseManifest } from "../../src/lib/proof/engine/artifacts/manifest.js";
import { createNodeArtifactReader } from "../../src/lib/proof/engine/artifacts/node-artifact-reader.js";
import { createProver, type Prover } from "../../src/lib/proof/engine/prover.js";
import { ProofError } from "../../src/lib/proof/core/errors.js";
import { createProofAPI, type ProofAPI } from "../../src/lib/proof/client/proof-api.js";
import { FakeFactory } from "../unit/engine/fakes.js";
import { attestations, NOW, PROOF } from "../unit/client/fakes.js";
import manifestJson from "../../circuits/manifest.json" with { type: "json" };

const circuitsDir = fileURLToPath(new URL("../../circuits/", import.meta.url));
const circuits = circuitsFromManifest(parseManifest(manifestJson), circuitsDir);

process.on("warning", (warning) => {
  if (warning.name === "MaxListenersExceededWarning") {
    console.error(`warning: ${warning.message}`);
    process.exit(3);
  }
});

function prover(): Prover {
  const factory = new FakeFactory();
  factory.autoFinish = true;
  return createProver({
    circuits,
    artifacts: createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }),
    workerFactory: factory.factory,
    poolSize: 1,
  });
}

function api(): ProofAPI {
  return createProofAPI({ circuits, prover: prover(), rateLimit: false, cache: false });
}

async function expectCode(promise: Promise<unknown>, codes: readonly string[]): Promise<void> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProofError && codes.includes(error.code)) return;
    console.error("unexpected rejection", error);
    process.exit(2);
  }
  console.error("expected a rejection");
  process.exit(2);
}

const cases: Record<string, () => Promise<void>> = {
  async "prove-aborted"() {
    await expectCode(prover().prove("ebsl-16", { a: 1 }, { signal: AbortSignal.abort() }), ["CANCELLED"]);
  },
  async "verify-aborted"() {
    const result = { circuitId: "ebsl-16", proof: PROOF, publicSignals: ["1"] };
    await expectCode(api().verify(result, { signal: AbortSignal.abort() }), ["CANCELLED"]);
  },
  async "cancel-from-progress"() {
    const a = api();
    let id = "";
    const request = a.requestProof(attestations(3), "exact", {
      now: NOW,
      onProgress: (p) => {
        if (p.stage === "artifacts") a.cancelProof(id);
      },
    });
    id = request.requestId;
    await expectCode(request, ["CANCELLED"]);
  },
  async "dispose-from-progress"() {
    const a = api();
    const request = a.requestProof(attestations(3), "exact", {
      now: NOW,
      onProgress: (p) => {
        if (p.stage === "artifacts") a.dispose();
      },
    });
    await expectCode(request, ["DISPOSED"]);
  },
  async "many-concurrent-proves"() {
    const p = prover();
    const controllers = Array.from({ length: 12 }, () => new AbortController());
    const calls = controllers.map((c) => p.prove("ebsl-16", { a: 1 }, { signal: c.signal }));
    controllers.forEach((c) => c.abort());
    await Promise.all(calls.map((call) => expectCode(call, ["CANCELLED"])));
    p.dispose();
  },
};

const name = process.argv[2] ?? "";
const run = cases[name];
if (!run) {
  console.error(`unknown case "${name}"`);
  process.exit(2);
}
await run();
// Give stray rejections (and warnings) time to surface before declaring success.
await new Promise((resolve) => setTimeout(resolve, 200));
process.exit(0);
