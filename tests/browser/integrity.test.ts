/**
 * A corrupted artifact (same size, one byte flipped) served by the test server: the page gets
 * the typed integrity error (code ARTIFACT_INTEGRITY), after exactly one clean re-download, and
 * nothing corrupted is kept in IndexedDB.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

const CORRUPT = "build/ebsl-16/ebsl-16.zkey";
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ corrupt: CORRUPT });
  await h.open();
});

afterAll(async () => {
  await h?.close();
});

describe("corrupted artifact in Chromium", () => {
  it("rejects with ARTIFACT_INTEGRITY, shows it in the job list, and refetched once", async () => {
    const from = h.server.requestLog.length;
    const { id, outcome } = await h.page.evaluate(async () => {
      const id = await window.__proofline.request("exact", { count: 4 });
      return { id, outcome: await window.__proofline.wait(id) };
    });
    expect(outcome.ok).toBe(false);
    expect(outcome.errorCode).toBe("ARTIFACT_INTEGRITY");
    // The message names the artifact, never inputs.
    expect(outcome.errorMessage).not.toMatch(/0x0{20,}/);

    const zkeyFetches = h.artifactRequests(from).filter((r) => r.path === `/circuits/${CORRUPT}`);
    expect(zkeyFetches).toHaveLength(2); // the download and its one clean re-download

    const job = h.page.locator(`[data-id="${id}"]`);
    await expect(job.getAttribute("data-status")).resolves.toBe("FAILED");
    await expect(job.locator(".err").first().textContent()).resolves.toBe("ARTIFACT_INTEGRITY");

    // Nothing of the corrupted zkey was kept: the worker's IndexedDB store has no entry for it.
    const keys = await h.page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open("proofline-artifacts");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            if (!db.objectStoreNames.contains("artifacts")) return resolve([]);
            const req = db.transaction("artifacts").objectStore("artifacts").getAllKeys();
            req.onsuccess = () => resolve(req.result.map(String));
            req.onerror = () => reject(req.error);
          };
        }),
    );
    const zkeySha = (await import("../../circuits/manifest.json", { with: { type: "json" } })).default.circuits["ebsl-16"].zkey.sha256 as string;
    expect(keys.filter((k) => k.includes(zkeySha))).toEqual([]);
  });
});
