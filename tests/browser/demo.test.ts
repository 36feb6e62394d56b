/**
 * The demo in Debian's Chromium, as a user gets it: proofs made in the page verify in Node,
 * progress is monotonic to 100, the main thread stays light from requestProof to the result
 * (cold first proof with downloads, warm proofs, and the second visit reading IndexedDB; judged
 * from a trace by CPU time, with the plain 50 ms wall-time rule on a quiet page),
 * cancel, and a second visit that proves from IndexedDB with zero artifact requests. Ends with a screenshot saved
 * under test-results/ (a CI artifact).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { proveInPage, startHarness } from "./support/harness.js";
import type { Harness } from "./support/harness.js";
import { expectLightMainThread, traceMainThread } from "./support/main-thread-trace.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}circuits/manifest.json`, "utf8"));
const vkeyOf = (circuitId: string) => JSON.parse(readFileSync(`${root}circuits/${manifest.circuits[circuitId].vkey.path}`, "utf8"));

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.open();
});

afterAll(async () => {
  await h?.close();
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

const isMonotonic = (xs: number[]) => xs.every((x, i) => i === 0 || x >= xs[i - 1]!);

describe("demo in Chromium", () => {
  it("makes an exact proof in the page that verifies in Node, with monotonic progress to 100", async () => {
    const firstLog = h.server.requestLog.length;
    const mainThread = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8 }));
    const { id, outcome } = mainThread.value;
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    const r = outcome.result!;
    expect(r.circuitId).toBe("ebsl-16");
    expect(r.cached).toBe(false);
    expect(r.publicSignals).toHaveLength(8);
    expect(r.score).toBeGreaterThan(0);
    expect(String(r.score)).toBe(r.publicSignals[1]);

    // Independent check: snarkjs in Node with the committed, pinned vkey.
    expect(await snarkjs.groth16.verify(vkeyOf(r.circuitId), r.publicSignals, r.proof)).toBe(true);
    const forged = r.publicSignals.map((s, i) => (i === 1 ? (BigInt(s) + 1n).toString() : s));
    expect(await snarkjs.groth16.verify(vkeyOf(r.circuitId), forged, r.proof)).toBe(false);

    const trace = await h.page.evaluate((id) => window.__proofline.trace(id), id);
    expect(trace.reported.length).toBeGreaterThan(5);
    expect(isMonotonic(trace.reported)).toBe(true);
    expect(trace.reported.at(-1)).toBe(100);
    expect(isMonotonic(trace.shown)).toBe(true);
    expect(trace.shown.at(-1)).toBe(100);
    // The progress bar in the DOM shows the final value too.
    await expect(h.page.locator(`[data-id="${id}"] .pct`).textContent()).resolves.toBe("100%");

    // First visit: the artifacts came over the network (wasm, zkey, vkey of ebsl-16).
    const downloads = h.artifactRequests(firstLog).map((r) => r.path).sort();
    expect(downloads).toEqual(["/circuits/build/ebsl-16/ebsl-16.vkey.json", "/circuits/build/ebsl-16/ebsl-16.wasm", "/circuits/build/ebsl-16/ebsl-16.zkey"]);

    // The artifacts panel showed the first-visit download of all three.
    await expect.poll(() => h.page.locator('[data-testid="artifacts"] .chip', { hasText: "downloaded" }).count()).toBe(3);

    // The cold proof downloads, hashes and stores the artifacts with the main thread's help:
    // still no task over 50 ms from requestProof to the result.
    expect(await h.page.evaluate(() => window.__longTasksUnsupported)).toBeUndefined();
    expectLightMainThread("cold proof", mainThread);
  });

  it("keeps the main thread light while warm proofs run (trace: CPU per task, wall time when quiet)", async () => {
    // Window: from requestProof (its synchronous validation and planning included) to the
    // result, for proofs with new inputs (no cache hit) once the artifacts are loaded.
    for (const seed of [21, 22, 23]) {
      const trace = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8, seed }));
      const { outcome } = trace.value;
      expect(outcome.ok, outcome.errorMessage).toBe(true);
      expect(outcome.result!.cached).toBe(false);
      expectLightMainThread(`warm proof ${seed}`, trace);
    }
  });

  it("verifies a proof from the UI button (worker, pinned vkey) and rejects a tampered copy", async () => {
    const { id, outcome } = await proveInPage(h.page, "threshold", { threshold: 400_000, priority: 2 });
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    expect(outcome.result!.score).toBeUndefined();
    expect(outcome.result!.publicSignals[6]).toBe("0"); // reveal = 0: the score stays hidden
    await h.page.locator(`[data-id="${id}"] [data-testid="verify"]`).click();
    await expect(h.page.locator(`[data-id="${id}"] [data-testid="verified"]`).textContent({ timeout: 30_000 })).resolves.toContain("tampered copy rejected");
    expect(await snarkjs.groth16.verify(vkeyOf(outcome.result!.circuitId), outcome.result!.publicSignals, outcome.result!.proof)).toBe(true);
  });

  it("serves an identical request from the proof cache (counter in the UI)", async () => {
    const { outcome } = await proveInPage(h.page, "exact"); // same attestations, type and `now` as the last exact proof
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    expect(outcome.result!.cached).toBe(true);
    expect(outcome.result!.cacheSource).toBe("hit");
    const stats = await h.page.evaluate(() => window.__proofline.cacheStats());
    expect(stats.hits).toBeGreaterThanOrEqual(1);
    await expect.poll(() => h.page.locator('[data-testid="proof-cache-hits"]').textContent()).toBe(String(stats.hits));
    // A cached proof is still a valid proof (re-checked on read; checked here again in Node).
    expect(await snarkjs.groth16.verify(vkeyOf(outcome.result!.circuitId), outcome.result!.publicSignals, outcome.result!.proof)).toBe(true);
  });

  it("cancel stops a running proof and the next one succeeds", async () => {
    const { cancelled, outcome, statusAtCancel } = await h.page.evaluate(async () => {
      const hook = window.__proofline;
      const id = await hook.request("exact", { count: 10 });
      // Cancel from inside the progress report that first passes 20 % (the proof is then
      // working in a worker), the way a dapp's onProgress handler would: no polling window that
      // a fast or a busy machine could step over.
      const reported = (hook as unknown as { session: { traces: Map<string, number[]> } }).session.traces.get(id)!;
      let statusAtCancel: string | undefined;
      let cancelled: boolean | undefined;
      const push = reported.push.bind(reported);
      reported.push = (...values: number[]) => {
        const n = push(...values);
        if (cancelled === undefined && values.at(-1)! >= 20) {
          statusAtCancel = hook.status(id);
          cancelled = hook.cancel(id);
        }
        return n;
      };
      const outcome = await hook.wait(id);
      return { cancelled, statusAtCancel, outcome };
    });
    expect(statusAtCancel).toBe("PROCESSING");
    expect(cancelled).toBe(true);
    expect(outcome.ok).toBe(false);
    expect(outcome.errorCode).toBe("CANCELLED");

    const next = await proveInPage(h.page, "exact");
    expect(next.outcome.ok, next.outcome.errorMessage).toBe(true);
    expect(next.outcome.result!.cached).toBe(false); // really proved, not served from a cache
    expect(await snarkjs.groth16.verify(vkeyOf(next.outcome.result!.circuitId), next.outcome.result!.publicSignals, next.outcome.result!.proof)).toBe(true);
  });

  it("after a reload, proves again with zero artifact requests (IndexedDB)", async () => {
    const requests: string[] = [];
    const onRequest = (req: { url(): string }) => {
      if (new URL(req.url()).pathname.startsWith("/circuits/")) requests.push(req.url());
    };
    h.context.on("request", onRequest);
    const before = h.server.requestLog.length;
    await h.page.reload();
    await h.page.waitForFunction(() => window.__proofline?.ready === true);
    // New attestations: a proof-cache hit would not load artifacts at all and prove nothing here.
    const trace = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8, seed: 11 }));
    const { outcome } = trace.value;
    h.context.off("request", onRequest);
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    expect(outcome.result!.cached).toBe(false);
    expect(h.artifactRequests(before)).toEqual([]);
    expect(requests).toEqual([]);
    const stats = await h.page.evaluate(() => window.__proofline.loaderStats());
    expect(stats.networkRequests).toBe(0);
    expect(stats.storageHits).toBeGreaterThanOrEqual(3);
    // Reading back from IndexedDB and re-hashing: the main thread stays light too.
    expectLightMainThread("second-visit proof", trace);
    expect(await snarkjs.groth16.verify(vkeyOf(outcome.result!.circuitId), outcome.result!.publicSignals, outcome.result!.proof)).toBe(true);
  });

  it("runs a burst of four priorities from the UI, cancels one, and saves a screenshot (CI artifact)", async () => {
    const page = h.page;
    const before = await page.locator('[data-testid="job"]').count();
    await page.locator('[data-testid="type-threshold"]').click();
    await page.getByRole("button", { name: "Burst ×4" }).click();
    await expect.poll(() => page.locator('[data-testid="job"]').count()).toBe(before + 4);
    // Cancel the newest still-queued or running job with its own button.
    const active = page.locator('[data-testid="job"][data-status="QUEUED"], [data-testid="job"][data-status="PROCESSING"]');
    await active.first().locator('[data-testid="cancel"]').click();
    await page.waitForFunction(() => {
      const s = window.__proofline.session.api.getQueueStats();
      return s.queued === 0 && s.processing === 0;
    }, undefined, { timeout: 120_000 });
    await expect(page.locator('[data-testid="job"][data-status="CANCELLED"]').count()).resolves.toBe(1);
    await expect(page.locator('[data-testid="job"][data-status="COMPLETED"]').count()).resolves.toBe(before + 3);
    // Repeat one of them: served by the proof cache, and the job list says so.
    await page.getByRole("button", { name: "Request proof" }).click();
    await page.locator('[data-testid="cached"]').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="verify"]').first().click();
    await page.locator('[data-testid="verified"]').first().waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="latency"] svg').waitFor();

    mkdirSync(`${root}test-results`, { recursive: true });
    const png = await page.screenshot({ path: `${root}test-results/demo-after-proof.png`, fullPage: true });
    expect(png.length).toBeGreaterThan(10_000);
  });
});
