/**
 * Artifacts whose bytes match their pins but cannot be used, through the REAL worker
 * (dist/prover.node-worker.js: `npm run build` first) and snarkjs: the error code says the
 * artifact is unusable (ARTIFACT_INVALID, fatal), not PROVING_FAILED (retried) nor a blame on
 * the caller's input (WITNESS_INPUT_INVALID).
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArtifactLoader } from "../../src/lib/proof/engine/artifacts/artifact-loader.js";
import { circuitsFromManifest, parseManifest } from "../../src/lib/proof/engine/artifacts/manifest.js";
import { createNodeArtifactReader } from "../../src/lib/proof/engine/artifacts/node-artifact-reader.js";
import { createNodeWorkerFactory } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver, type Prover } from "../../src/lib/proof/engine/prover.js";
import type { ArtifactRef, CircuitDefinition } from "../../src/lib/proof/engine/types.js";
import type { ProofLifecycleEvent } from "../../src/lib/proof/request/lifecycle-events.js";
import { createNodeProofAPI, type ProofAPI } from "../../src/node.js";
import { rejection } from "../support/rejection.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WORKER = new URL("../../dist/prover.node-worker.js", import.meta.url);
const FIXTURE = join(ROOT, "tests/fixtures/multiplier/");
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const pin = (path: string): ArtifactRef => {
  const bytes = readFileSync(path);
  return { url: path, bytes: bytes.length, sha256: sha(bytes) };
};

let dir: string;
const cleanup: (() => void)[] = [];

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error("dist/prover.node-worker.js missing: run `npm run build` first");
  dir = await mkdtemp(join(tmpdir(), "proofline-artifact-codes-"));
  // One flipped byte in a section of the multiplier zkey: snarkjs fails reading it with
  // "TypeError: Cannot read properties of undefined (reading 'set')" (observed), on every try.
  const zkey = new Uint8Array(readFileSync(join(FIXTURE, "circuit.zkey")));
  zkey[903] = zkey[903]! ^ 0xff;
  await writeFile(join(dir, "corrupt.zkey"), zkey);
});

afterAll(async () => {
  for (const fn of cleanup) fn();
  await rm(dir, { recursive: true, force: true });
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("pinned but unusable artifacts", () => {
  it("a corrupt zkey behind a correct pin is ARTIFACT_INVALID (not PROVING_FAILED) from the real worker", async () => {
    const circuit: CircuitDefinition = {
      id: "multiplier",
      wasm: pin(join(FIXTURE, "circuit.wasm")),
      zkey: pin(join(dir, "corrupt.zkey")),
      vkey: pin(join(FIXTURE, "vkey.json")),
    };
    const prover: Prover = createProver({
      circuits: [circuit],
      artifacts: createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }),
      workerFactory: createNodeWorkerFactory({ url: WORKER }),
      poolSize: 1,
      // The classification table's rule for snarkjs's failure; the bn254 backend reports its own
      // reader's details (what, reason) under the same code.
      backend: "snarkjs",
    });
    cleanup.push(() => prover.dispose());
    const error = await rejection(prover.prove("multiplier", { a: 3n, b: "11" }));
    expect(error.code).toBe("ARTIFACT_INVALID");
    expect(error.recoverability).toBe("fatal");
    expect(error.details).toMatchObject({ artifact: "zkey", stage: "proving", rule: "zkey-malformed" });
  });

  it.skipIf(!existsSync(join(ROOT, "circuits/build/ebsl-64/ebsl-64.wasm")))(
    "a manifest pinning another circuit's wasm fails the request with ARTIFACT_INVALID, once, not WITNESS_INPUT_INVALID",
    async () => {
      const circuits = circuitsFromManifest(parseManifest(readFileSync(join(ROOT, "circuits/manifest.json"), "utf8")), join(ROOT, "circuits"));
      const big = circuits.find((c) => c.id === "ebsl-64")!;
      const mixed = circuits.filter((c) => c.id === "ebsl-16").map((c) => ({ ...c, wasm: big.wasm }));
      const api: ProofAPI = createNodeProofAPI({ circuits: mixed, workerUrl: WORKER, proverOptions: { poolSize: 1 }, cache: false });
      cleanup.push(() => api.dispose());
      const events: ProofLifecycleEvent[] = [];
      api.subscribe((e) => events.push(e));
      const now = Date.now();
      const attestation = { source: "0x1", target: "0xabc", opinion: { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 }, attestation_type: "trust", weight: 1, created_at: now - 1000, expires_at: now + 86_400_000 };
      const error = await rejection(api.requestProof([attestation], "exact", { now }));
      expect(error.code).toBe("ARTIFACT_INVALID");
      expect(error.details).toMatchObject({ artifact: "wasm", circuitId: "ebsl-16" });
      expect(events.filter((e) => e.type === "attempt-failed")).toHaveLength(1);
    },
  );
});
