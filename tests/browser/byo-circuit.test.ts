/**
 * "Bring your own circuit" (README) in Chromium: the recipe's artifacts (circom2, insecure dev
 * setup, `proofline pin`) served as static files, a page built against dist/ that creates a
 * prover from the pinned manifest with the defaults (the workers fetch, check and store the
 * artifacts), and the page's proof checked in Node with snarkjs.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { poseidon2 } from "poseidon-lite";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildByoProject, CIRCUIT_ID, ROOT, type ByoProject } from "../fixtures/byo/recipe.js";
import type { ByoOutcome } from "./byo-page/main.js";
import { startHarness, type Harness } from "./support/harness.js";

const PAGE_DIR = join(ROOT, "tests/browser/byo-page");
const input = { secret: "987654321", salt: "5", nonce: "11" };

let project: ByoProject;
let h: Harness;
let manifestJson: string;

function buildPage(): void {
  const vite = join(ROOT, "node_modules/vite/bin/vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(PAGE_DIR, "vite.config.ts"), "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building tests/browser/byo-page failed (${r.status})`);
}

function proveInPage(manifest: string, circuitId: string): Promise<ByoOutcome> {
  return h.page.evaluate(({ manifest, circuitId, input }) => window.__byo.prove(manifest, circuitId, input), { manifest, circuitId, input });
}

beforeAll(async () => {
  let t0 = performance.now();
  buildPage();
  const pageMs = performance.now() - t0;
  project = buildByoProject();
  manifestJson = readFileSync(project.manifestPath, "utf8");
  t0 = performance.now();
  h = await startHarness({ demoDir: join(PAGE_DIR, "dist"), circuitsDir: project.circuitsDir });
  await h.page.goto(h.server.url);
  await h.page.waitForFunction(() => window.__byo?.ready === true);
  const { compile, setup, pin } = project.timingsMs;
  console.log(`byo browser setup: page build ${pageMs.toFixed(0)} ms, compile ${compile.toFixed(0)} ms, dev setup ${setup.toFixed(0)} ms, pin ${pin.toFixed(0)} ms, Chromium ${(performance.now() - t0).toFixed(0)} ms`);
});

afterAll(async () => {
  await h?.close();
  project?.remove();
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("bring your own circuit in Chromium", () => {
  it("proves with artifacts the workers fetched and checked against the pins; snarkjs in Node verifies it and rejects tampered signals", async () => {
    const from = h.server.requestLog.length;
    const outcome = await proveInPage(manifestJson, CIRCUIT_ID);
    expect(outcome.ok, `${outcome.code}: ${outcome.message}`).toBe(true);
    console.log(`byo Chromium proof (cold: worker start + download) ${outcome.ms?.toFixed(0)} ms`);

    const { proof, publicSignals } = outcome as Required<ByoOutcome>;
    expect(publicSignals).toEqual([poseidon2([BigInt(input.secret), BigInt(input.salt)]).toString(), input.nonce]);
    const vkey = JSON.parse(readFileSync(join(project.circuitsDir, CIRCUIT_ID, "preimage.vkey.json"), "utf8")) as unknown;
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    for (const index of [0, 1]) {
      const tampered = [...publicSignals];
      tampered[index] = (BigInt(tampered[index]!) + 1n).toString();
      expect(await snarkjs.groth16.verify(vkey, tampered, proof)).toBe(false);
    }
    expect(outcome.verifiedInWorker).toEqual({ proof: true, tampered: false });

    // Each artifact crossed the network once, at the path the manifest pins, into a worker.
    const paths = h.artifactRequests(from).map((r) => r.path).sort();
    expect(paths).toEqual([`/circuits/${CIRCUIT_ID}/preimage.vkey.json`, `/circuits/${CIRCUIT_ID}/preimage.wasm`, `/circuits/${CIRCUIT_ID}/preimage.zkey`]);
    expect(outcome.artifactSources).toEqual(expect.arrayContaining(["vkey:network", "wasm:network", "zkey:network"]));
  });

  it("refuses a zkey whose bytes differ from its pin (ARTIFACT_INTEGRITY), after one clean re-download", async () => {
    const manifest = JSON.parse(manifestJson) as { circuits: Record<string, { zkey: { sha256: string } }> };
    manifest.circuits[CIRCUIT_ID]!.zkey.sha256 = "0".repeat(64);
    const from = h.server.requestLog.length;
    const outcome = await proveInPage(JSON.stringify(manifest), CIRCUIT_ID);
    expect(outcome.ok).toBe(false);
    expect(outcome.code).toBe("ARTIFACT_INTEGRITY");
    // At least the download and its one clean re-download (how many loads a failed job makes is
    // the engine's business; that none of them is accepted is what matters here).
    expect(h.artifactRequests(from).filter((r) => r.path.endsWith(".zkey")).length).toBeGreaterThanOrEqual(2);
  });
});
