/**
 * The zkey check memo in Chromium's real IndexedDB: a key that passed its point checks on one
 * page is not checked again on the next page of the same profile (a returning visit), under the
 * same pinned SHA-256; a hostile key (delta1 at infinity) is still checked and refused, on a
 * fresh profile and after the honest key was recorded, and nothing is recorded for it. And the
 * demo's prover worker records the pinned zkey it loaded and checked for its first proof.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proveInPage, startHarness, type Harness } from "./support/harness.js";
import type { MemoOutcome } from "./zkey-memo-page/main.js";

const ROOT = join(import.meta.dirname, "../..");
const PAGE_DIR = join(ROOT, "tests/browser/zkey-memo-page");
let h: Harness;

async function openPage() {
  const page = await h.context.newPage();
  await page.goto(h.server.url);
  await page.waitForFunction(() => window.__memo?.ready === true);
  return page;
}

beforeAll(async () => {
  const vite = join(ROOT, "node_modules/vite/bin/vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", join(PAGE_DIR, "vite.config.ts"), "--logLevel", "warn"], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`building tests/browser/zkey-memo-page failed (${r.status})`);
  h = await startHarness({ demoDir: join(PAGE_DIR, "dist") });
});

afterAll(async () => {
  await h?.close();
});

describe("zkey check memo in Chromium", () => {
  it("a hostile key is checked and refused on a fresh profile, and not recorded", async () => {
    const page = await openPage();
    const bad: MemoOutcome = await page.evaluate(() => window.__memo.hostile());
    expect(bad).toMatchObject({ checked: true, code: "ARTIFACT_INVALID" });
    expect(await page.evaluate((sha) => window.__memo.recorded(sha, 10), bad.sha256)).toBe(false);
    await page.close();
  });

  it("the honest key is checked once; the next page of the profile honours its record, and the hostile key is still refused", async () => {
    const first = await openPage();
    const honest: MemoOutcome = await first.evaluate(() => window.__memo.honest());
    expect(honest).toEqual({ checked: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await first.evaluate((sha) => window.__memo.recorded(sha), honest.sha256)).toBe(true);
    await first.close();

    const second = await openPage();
    const again: MemoOutcome = await second.evaluate(() => window.__memo.honest());
    expect(again).toEqual({ checked: false, sha256: honest.sha256 });
    const bad: MemoOutcome = await second.evaluate(() => window.__memo.hostile());
    expect(bad).toMatchObject({ checked: true, code: "ARTIFACT_INVALID" });
    expect(bad.sha256).not.toBe(honest.sha256);
    await second.close();
  });

  it("a prover worker records the zkey it loaded and checked, under the SHA-256 it was pinned by", async () => {
    const demo = await startHarness();
    try {
      await demo.open();
      const { outcome } = await proveInPage(demo.page, "exact", { count: 8 });
      expect(outcome.ok, outcome.errorMessage).toBe(true);
      const zkey = readFileSync(join(ROOT, `circuits/build/${outcome.result!.circuitId}/${outcome.result!.circuitId}.zkey`));
      const sha256 = createHash("sha256").update(zkey).digest("hex");
      // The record is written after the checks, not awaited by the proof: looked for a few times.
      const readKeys = () =>
        demo.page.evaluate(
          () =>
            new Promise<unknown[]>((resolve, reject) => {
              const open = indexedDB.open("proofline-zkey-checks");
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                try {
                  const all = open.result.transaction("passed", "readonly").objectStore("passed").getAllKeys();
                  all.onsuccess = () => resolve(all.result);
                  all.onerror = () => reject(all.error);
                } catch (error) {
                  reject(error instanceof Error ? error : new Error(String(error)));
                } finally {
                  open.result.close();
                }
              };
            }),
        );
      let keys = await readKeys();
      for (let i = 0; i < 50 && keys.length === 0; i++) keys = await new Promise((r) => setTimeout(r, 100)).then(readKeys);
      expect(keys).toEqual([`v1:${sha256}`]);
    } finally {
      await demo.close();
    }
  });
});
