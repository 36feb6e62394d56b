/**
 * Adaptive threads in Chromium: in a module Web Worker the helper threads are nested Web Workers
 * (the Worker constructor ffjavascript uses, wrapped to report a helper's death, and its thread
 * count set per curve), not Node's worker_threads. A lone proof runs on two threads and verifies
 * (in the worker against the pinned vkey, and here in Node with snarkjs); a burst runs one thread
 * per proof; a proof cancelled mid-multiexp settles CANCELLED and the next proof still works (those
 * with the snarkjs backend). The same page proves with the default bn254 backend, which must load
 * its wasm inside a module worker of a bundled app and start its helper as a nested module worker
 * from the bundled worker's own URL.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./support/harness.js";
import type { ThreadsOutcome } from "./threads-page/main.js";

const ROOT = join(import.meta.dirname, "../..");
const PAGE_DIR = join(ROOT, "tests/browser/threads-page");
let h: Harness;

beforeAll(async () => {
  const vite = join(ROOT, "node_modules/vite/bin/vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(PAGE_DIR, "vite.config.ts"), "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building tests/browser/threads-page failed (${r.status})`);
  h = await startHarness({ demoDir: join(PAGE_DIR, "dist") });
  await h.page.goto(h.server.url);
  await h.page.waitForFunction(() => window.__threads?.ready === true);
});

afterAll(async () => {
  await h?.page.evaluate(() => window.__threads.dispose()).catch(() => undefined);
  await h?.close();
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("adaptive threads in Chromium", () => {
  it("a lone proof runs on nested helper workers and verifies", async () => {
    const first: ThreadsOutcome = await h.page.evaluate(() => window.__threads.lone());
    expect(first.ok, first.code).toBe(true);
    const outcome: ThreadsOutcome = await h.page.evaluate(() => window.__threads.lone());
    expect(outcome).toMatchObject({ ok: true, threads: 2, verified: true });
    const vkey = JSON.parse(readFileSync(join(ROOT, "circuits/build/ebsl-16/ebsl-16.vkey.json"), "utf8")) as unknown;
    expect(await snarkjs.groth16.verify(vkey, outcome.publicSignals as string[], outcome.proof as NonNullable<ThreadsOutcome["proof"]>)).toBe(true);
  });

  it("a burst runs one thread per proof", async () => {
    const threads: number[] = await h.page.evaluate(() => window.__threads.burst(4));
    expect(threads).toEqual([1, 1, 1, 1]);
  });

  it("cancelling mid-multiexp settles CANCELLED; the next proof still verifies", async () => {
    const cancelled: ThreadsOutcome = await h.page.evaluate(() => window.__threads.cancelMidProof());
    expect(cancelled).toEqual({ ok: false, code: "CANCELLED" });
    const next: ThreadsOutcome = await h.page.evaluate(() => window.__threads.lone());
    expect(next).toMatchObject({ ok: true, verified: true });
  });
});

describe('the bn254 backend (the default) in Chromium', () => {
  it("a lone proof on 2 cores is split with a nested bn254 helper worker (the prover worker's own script); the worker and snarkjs here both verify it", async () => {
    const outcome: ThreadsOutcome = await h.page.evaluate(() => window.__threads.bn254());
    expect(outcome, outcome.code).toMatchObject({ ok: true, threads: 2, verified: true });
    const vkey = JSON.parse(readFileSync(join(ROOT, "circuits/build/ebsl-16/ebsl-16.vkey.json"), "utf8")) as unknown;
    expect(await snarkjs.groth16.verify(vkey, outcome.publicSignals as string[], outcome.proof as NonNullable<ThreadsOutcome["proof"]>)).toBe(true);
  });

  it("cancelling a split proof at its proving step settles CANCELLED; the next proof on that prover verifies on 2 threads", async () => {
    const { cancelled, next } = await h.page.evaluate(() => window.__threads.bn254CancelThenProve());
    expect(cancelled).toEqual({ ok: false, code: "CANCELLED" });
    expect(next, next.code).toMatchObject({ ok: true, threads: 2, verified: true });
  });
});
