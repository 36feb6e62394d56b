/**
 * Remote proving in Chromium: a page built against dist/ opts in with
 * `createProofAPI({ remote: { url, apiKey } })` and proves with `mode: "remote"` on a REAL
 * @proofline/server (another origin, CORS) over a WebSocket: live progress, one request
 * cancelled through its signal (the server's job ends CANCELLED), the other verified in the
 * page against the pinned vkey and again in Node with snarkjs.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService } from "../../packages/server/src/index.mjs";
import type { RemoteOutcome } from "./remote-page/main.js";
import { startHarness, type Harness } from "./support/harness.js";

const ROOT = join(import.meta.dirname, "../..");
const PAGE_DIR = join(ROOT, "tests/browser/remote-page");
let h: Harness;
let service: FastifyInstance;
let serviceUrl: string;

beforeAll(async () => {
  const vite = join(ROOT, "node_modules/vite/bin/vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(PAGE_DIR, "vite.config.ts"), "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building tests/browser/remote-page failed (${r.status})`);
  h = await startHarness({ demoDir: join(PAGE_DIR, "dist"), circuitsDir: join(ROOT, "circuits") });
  service = await createService({ apiKeys: { "page-key": "page" }, poolSize: 1, corsOrigins: [new URL(h.server.url).origin] });
  serviceUrl = await service.listen({ port: 0, host: "127.0.0.1" });
  await h.page.goto(h.server.url);
  await h.page.waitForFunction(() => window.__remote?.ready === true);
});

afterAll(async () => {
  await h?.close();
  await service?.close();
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("remote proving from a Chromium page", () => {
  it("live progress over the socket, one request cancelled, the other verified in the page and in Node", async () => {
    const now = Date.now();
    const outcome: RemoteOutcome = await h.page.evaluate(({ url, now }) => window.__remote.run(url, "page-key", now), { url: serviceUrl, now });
    expect(outcome.ok, `${outcome.code}: ${outcome.message}`).toBe(true);
    // Live progress came from the server's socket: its stages, monotonic, ending at 100.
    const stages = new Set(outcome.events.map((e) => e.stage));
    expect(stages.has("proving")).toBe(true);
    const progress = outcome.events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(outcome.events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100, requestId: outcome.requestIds[1] });
    expect(outcome.fusedOpinion).toBeDefined();
    expect(outcome.verifiedAgain).toBe(true);
    // The cancelled one rejected with CANCELLED, and the server's job ended CANCELLED too.
    expect(outcome.cancelledCode).toBe("CANCELLED");
    expect(outcome.cancelledEvents.at(-1)).toMatchObject({ status: "CANCELLED" });
    const metrics = await (await fetch(`${serviceUrl}/metrics`)).text();
    await expect.poll(async () => /proofline_proofs_total\{code="CANCELLED"\} 1/.test(await (await fetch(`${serviceUrl}/metrics`)).text()), { timeout: 30_000 }).toBe(true);
    expect(metrics).toMatch(/proofline_proofs_total\{code="OK"\} 1/);
    // And Node checks the page's proof with snarkjs and the pinned vkey.
    const manifest = JSON.parse(readFileSync(join(ROOT, "circuits/manifest.json"), "utf8"));
    const vkey = JSON.parse(readFileSync(join(ROOT, "circuits", manifest.circuits[outcome.circuitId!].vkey.path), "utf8"));
    expect(await snarkjs.groth16.verify(vkey, outcome.publicSignals!, outcome.proof as never)).toBe(true);
  });
});
