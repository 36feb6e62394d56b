/**
 * The zkey check memo in Chromium's real IndexedDB: a key that passed its point checks on one
 * page is not checked again on the next page of the same profile (a returning visit), under the
 * same pinned SHA-256; a hostile key (delta1 at infinity) is still checked and refused, on a
 * fresh profile and after the honest key was recorded, and nothing is recorded for it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./support/harness.js";
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
});
