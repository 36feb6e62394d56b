/**
 * The SvelteKit example (examples/sveltekit) as a dapp gets it: a copy of the example under the
 * repo's .tmp/ with the built package installed as node_modules/proofline (its other
 * dependencies resolve from the repo's node_modules), `vite build` with adapter-static, then
 * `vite preview` and Chromium. Checks the prerendered (server-rendered) HTML, the artifacts the
 * proofline/vite plugin emitted, and a real proof requested from the hydrated page: progress as
 * the page showed it, the result, and the proof verified by snarkjs in Node.
 *
 * Vite runs as a child process in the app's directory: SvelteKit reads svelte.config.js from the
 * current directory, not from Vite's root.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type BrowserContext } from "playwright-core";
import * as snarkjs from "snarkjs";
import { installBuiltPackage } from "../../scripts/install-built-package.mjs";
import { CHROMIUM, CHROMIUM_ARGS } from "./support/harness.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const example = join(root, "examples/sveltekit");
const vite = join(root, "node_modules/vite/bin/vite.js");
const manifest = JSON.parse(readFileSync(join(root, "circuits/manifest.json"), "utf8"));
const ebsl16 = manifest.circuits["ebsl-16"];
const vkey = JSON.parse(readFileSync(join(root, "circuits", ebsl16.vkey.path), "utf8"));

/** Records every value the page's progress bar showed (installed before any page script). */
const PROGRESS_RECORDER = `
  window.__shown = [];
  new MutationObserver(() => {
    const bar = document.querySelector('progress[data-testid="progress"]');
    if (bar && window.__shown.at(-1) !== bar.value) window.__shown.push(bar.value);
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
`;

let app: string;
let profile: string | undefined;
let context: BrowserContext | undefined;
let preview: ChildProcess | undefined;

/** Run vite in the app's directory; resolves with its output, rejects on a non-zero exit. */
function viteBuild(cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "build"], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`vite build exited ${code}:\n${output}`))));
  });
}

/** `vite preview` on 127.0.0.1 and a free port; resolves with its URL once it listens. */
function vitePreview(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "preview", "--host", "127.0.0.1", "--port", "0"], { cwd, env: { ...process.env, NO_COLOR: "1" } });
    let output = "";
    const timer = setTimeout(() => reject(new Error(`vite preview did not start:\n${output}`)), 20_000);
    const onData = (d: Buffer) => {
      output += d;
      const url = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
      if (url && url[1] !== "0") {
        clearTimeout(timer);
        resolve({ child, url: url[0] });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`vite preview exited ${code}:\n${output}`)));
  });
}

function stopPreview(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

beforeAll(async () => {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  app = mkdtempSync(join(root, ".tmp/sveltekit-"));
  // The example's sources only: not a local install or build someone left in examples/sveltekit.
  const skip = new Set(["node_modules", ".svelte-kit", "build"]);
  cpSync(example, app, { recursive: true, filter: (src) => !skip.has(relative(example, src).split(sep)[0] ?? "") });
  installBuiltPackage(app, { circuits: ["ebsl-16"] });
  await viteBuild(app);
}, 120_000);

afterAll(async () => {
  if (preview) await stopPreview(preview);
  await context?.close().catch(() => undefined);
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (app) rmSync(app, { recursive: true, force: true });
});

describe("SvelteKit example (adapter-static, proofline/vite)", () => {
  it("prerenders the page on the server: static content, no proof API, no error", () => {
    const html = readFileSync(join(app, "build/index.html"), "utf8");
    expect(html).toContain("<h1>proofline × SvelteKit</h1>");
    expect(html).toContain("0x00000000000000000000000000000000000000aa");
    // Before hydration the button is there but disabled: the API exists only in the browser.
    expect(html).toMatch(/<button disabled[^>]*>Prove my reputation<\/button>/);
    expect(html).not.toContain('data-testid="result"');
    // Not SvelteKit's error page, and hydration starts with no server-side error.
    expect(html).not.toMatch(/<h1>\d{3}<\/h1>|Internal Error/);
    expect(html).toMatch(/kit\.start\(app[\s\S]*error: null/);
  });

  it("emits the pinned artifacts and the prover worker into the static output (build/)", () => {
    for (const kind of ["wasm", "zkey", "vkey"] as const) {
      const file = join(app, "build/proofline/circuits", ebsl16[kind].path);
      expect(existsSync(file), file).toBe(true);
      expect(statSync(file).size).toBe(ebsl16[kind].bytes);
    }
    expect(readdirSync(join(app, "build/_app/immutable/workers")).some((f) => f.startsWith("prover.worker"))).toBe(true);
  });

  it("hydrates, proves from the stores with live progress, and the proof verifies in Node", async () => {
    const started = await vitePreview(app);
    preview = started.child;
    const base = started.url;

    // vite preview serves the emitted artifacts where the page looks for them.
    const zkey = await fetch(new URL(`proofline/circuits/${ebsl16.zkey.path}`, base));
    expect(zkey.status).toBe(200);
    expect((await zkey.arrayBuffer()).byteLength).toBe(ebsl16.zkey.bytes);

    profile = mkdtempSync(join(tmpdir(), "proofline-sveltekit-"));
    context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
    await context.addInitScript(PROGRESS_RECORDER);
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || /hydration/i.test(m.text())) problems.push(`console.${m.type()}: ${m.text()} (${m.location().url})`);
    });
    const artifacts: { path: string; status: number }[] = [];
    context.on("response", (r) => {
      const path = new URL(r.url()).pathname;
      if (path.includes("/circuits/")) artifacts.push({ path, status: r.status() });
    });

    await page.goto(base);
    // The prerendered button has no test id: this one exists once hydrated and onMount made the API.
    const button = page.locator('button[data-testid="prove"]');
    await button.waitFor({ state: "visible", timeout: 20_000 });
    expect(await button.isEnabled()).toBe(true);
    await button.click();
    // Settled: verified (yes/no) or a typed error shown by the page.
    await page.locator('[data-testid="verified"]:text-matches("^(yes|no)$"), [data-testid="error"]').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="error"]').allTextContents()).toEqual([]);

    expect(await page.locator('[data-testid="verified"]').textContent()).toBe("yes");
    expect(await page.locator('[data-testid="circuit"]').textContent()).toBe("ebsl-16");
    expect(await page.locator('[data-testid="percent"]').textContent()).toBe("100%");
    expect(await page.locator('[data-testid="jobs"]').textContent()).toBe("1 proof this visit, 0 running");
    const score = await page.locator('[data-testid="score"]').textContent();

    // What the bar showed: never down, through intermediate values, up to 100.
    const shown = await page.evaluate(() => (window as unknown as { __shown: number[] }).__shown);
    expect(shown.at(-1)).toBe(100);
    expect(shown.every((v, i) => i === 0 || v >= shown[i - 1]!)).toBe(true);
    expect(new Set(shown.filter((v) => v > 0 && v < 100)).size, `shown: ${shown.join(", ")}`).toBeGreaterThanOrEqual(3);

    const { proof, publicSignals } = JSON.parse(await page.locator('textarea[data-testid="proof"]').inputValue()) as { proof: never; publicSignals: string[] };
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    // The score shown is the one the proof commits to (publicSignals[1], 10^6 fixed point).
    expect(score).toBe((Number(publicSignals[1]) / 1e6).toFixed(6));
    const tampered = publicSignals.map((s, i) => (i === 1 ? String(BigInt(s) + 1n) : s));
    expect(await snarkjs.groth16.verify(vkey, tampered, proof)).toBe(false);

    // The worker fetched the artifacts from the plugin's path (the explicit artifactsBaseUrl).
    expect(artifacts.filter((a) => a.path.startsWith("/proofline/circuits/build/ebsl-16/")).map((a) => a.status)).toContain(200);
    expect(artifacts.every((a) => a.status === 200), JSON.stringify(artifacts)).toBe(true);
    expect(problems).toEqual([]);
  }, 90_000);
});
