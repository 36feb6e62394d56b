/**
 * A dapp as a newcomer writes it: a Vite app with proofline and @proofline/circuits installed
 * from their packed tarballs under node_modules (so the
 * dev server pre-bundles it, as it does for any dependency), `plugins: [proofline()]` in its
 * config, and the README's "Using it" call, nothing else. A real proof in Chromium from
 * `vite dev` and from `vite build` + `vite preview`, each checked with snarkjs in Node.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import * as snarkjs from "snarkjs";
import { installBuiltPackage } from "../../scripts/install-built-package.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./support/harness.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(join(root, "circuits/manifest.json"), "utf8"));
const vkeyOf = (id: string) => JSON.parse(readFileSync(join(root, "circuits", manifest.circuits[id].vkey.path), "utf8"));

const MAIN = `
import { proofAPI, ProofPriority } from "proofline";

const DAY = 86_400_000;
const subject = "0x00000000000000000000000000000000000000aa";
function attestations(now) {
  return Array.from({ length: 6 }, (_, i) => ({
    source: "0x" + (0xc000 + i).toString(16).padStart(40, "0"),
    target: subject,
    opinion: { belief: 0.6, disbelief: 0.1, uncertainty: 0.3, base_rate: 0.5 },
    attestation_type: "trust",
    weight: 1,
    created_at: now - DAY,
    expires_at: now + 30 * DAY,
  }));
}

window.prove = async () => {
  const stages = [];
  const steps = [];
  const request = proofAPI.requestProof(attestations(Date.now()), "exact", {
    priority: ProofPriority.HIGH,
    onProgress: (p) => {
      stages.push(p.stage);
      if (p.step) steps.push(p.step);
    },
  });
  try {
    const result = await request;
    return { ok: true, circuitId: result.circuitId, proof: result.proof, publicSignals: [...result.publicSignals], stages, steps, cores: navigator.hardwareConcurrency };
  } catch (error) {
    return { ok: false, code: error.code, message: error.message, details: error.details, stages };
  }
};
window.ready = true;
`;

let app: string;
let profile: string;
let context: BrowserContext;
const closers: (() => Promise<unknown>)[] = [];

/** The app lives inside the repo so its node_modules lookups reach vite, snarkjs & co. */
function writeApp(): string {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(root, ".tmp/vite-consumer-"));
  // Both packed tarballs, as `npm i proofline @proofline/circuits` installs them.
  installBuiltPackage(dir, { circuits: ["ebsl-16"] });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "newcomer-dapp", private: true, type: "module", dependencies: { proofline: "*", "@proofline/circuits": "*" } }));
  writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>dapp</title></head><body><script type="module" src="/main.js"></script></body></html>`);
  writeFileSync(join(dir, "main.js"), MAIN);
  writeFileSync(join(dir, "vite.config.js"), `import { proofline } from "proofline/vite";\nexport default { plugins: [proofline()], logLevel: "warn" };\n`);
  return dir;
}

async function proveAt(url: string) {
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, { timeout: 60_000 });
  const outcome = await page.evaluate(() => (window as unknown as { prove(): Promise<Record<string, unknown>> }).prove());
  await page.close();
  return { outcome: outcome as { ok: boolean; circuitId: string; proof: never; publicSignals: string[]; stages: string[]; steps: string[]; cores: number; message?: string }, requests };
}

beforeAll(async () => {
  app = writeApp();
  profile = mkdtempSync(join(tmpdir(), "proofline-vite-consumer-"));
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await context?.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  rmSync(app, { recursive: true, force: true });
});

describe("a newcomer's Vite app with proofline/vite", () => {
  it("proves in `vite dev` (pre-bundled dependency) with the README call and no artifactsBaseUrl", async () => {
    const { createServer } = await import("vite");
    const server = await createServer({ root: app, configFile: join(app, "vite.config.js"), server: { host: "127.0.0.1", port: 0, strictPort: false } });
    closers.push(() => server.close());
    await server.listen();
    const url = server.resolvedUrls!.local[0]!;
    const { outcome, requests } = await proveAt(url);
    expect(outcome.ok, outcome.message).toBe(true);
    expect(await snarkjs.groth16.verify(vkeyOf(outcome.circuitId), outcome.publicSignals, outcome.proof)).toBe(true);
    expect(outcome.stages).toContain("artifacts");
    // A lone proof on a machine with more than one core is split: its bn254 helpers, the prover
    // worker's own script started again, also start from the URL Vite's dev server gave it.
    if (outcome.cores > 1) expect(outcome.steps.some((s) => /slices on [2-9]\d* threads/.test(s)), outcome.steps.join(", ")).toBe(true);
    // The artifacts came from the plugin's path, never from Vite's pre-bundle directory.
    expect(requests.some((p) => p.includes(".vite/") && p.includes("circuits"))).toBe(false);
  });

  it("proves from `vite build` + `vite preview` (artifacts emitted into the build)", async () => {
    const { build, preview } = await import("vite");
    await build({ root: app, configFile: join(app, "vite.config.js"), logLevel: "warn" });
    expect(readFileSync(join(app, "dist/proofline/circuits/build/ebsl-16", manifest.circuits["ebsl-16"].zkey.path.split("/").at(-1))).byteLength).toBe(manifest.circuits["ebsl-16"].zkey.bytes);
    const server = await preview({ root: app, configFile: join(app, "vite.config.js"), preview: { host: "127.0.0.1", port: 0, strictPort: false } });
    closers.push(() => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
    const url = server.resolvedUrls!.local[0]!;
    const { outcome } = await proveAt(url);
    expect(outcome.ok, outcome.message).toBe(true);
    expect(await snarkjs.groth16.verify(vkeyOf(outcome.circuitId), outcome.publicSignals, outcome.proof)).toBe(true);
  });
});
