/**
 * A big zkey in Chromium, real prover worker and real IndexedDB: the worker's loader hands
 * ebsl-16's zkey (12 MB, over the 8 MiB hand-over size) to the worker without caching it, the
 * worker lets it go once its bn254 prover has decoded it, and reads it again from IndexedDB,
 * checked against its pin, when a proof needs the file once more (a burst's proof on one thread
 * needs the whole prover, after a lone proof split across helpers; another worker of the pool
 * loads it from the store). A returning visit reads it from IndexedDB chunk by chunk. Every proof
 * verifies, and the zkey crosses the network once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./support/harness.js";

const ZKEY = "/circuits/build/ebsl-16/ebsl-16.zkey";
// One browser (a persistent profile: IndexedDB survives the returning visit) for the file.
const opened: Promise<Harness> = startHarness().then(async (harness) => (await harness.open(), harness));
opened.catch(() => undefined); // reported by the test that awaits it
afterAll(async () => (await opened.catch(() => undefined))?.close());

/** Proofs for `seeds` requested at once; each outcome with the page's own verification of it. */
const prove = (h: Harness, seeds: number[]) =>
  h.page.evaluate(async (seeds) => {
    const hook = window.__proofline;
    // Requested one after another (each regenerates the page's table), proved at once.
    const ids: string[] = [];
    for (const seed of seeds) ids.push(await hook.request("exact", { count: 8, seed }));
    const outcomes = await Promise.all(ids.map((id) => hook.wait(id)));
    return Promise.all(outcomes.map(async (o, i) => ({ ok: o.ok, error: o.errorMessage, cached: o.result?.cached, verified: o.ok ? await hook.verify(ids[i]!) : false })));
  }, seeds);

describe("a big zkey streamed through the prover worker", () => {
  it("proves and verifies after the worker let the zkey go, from a burst and from a returning visit, downloading it once", async () => {
    const h = await opened;
    const from = h.server.requestLog.length;
    const results = [...(await prove(h, [61])), ...(await prove(h, [62, 63, 64]))];
    await h.open(); // a returning visit: new workers, the zkey from IndexedDB
    results.push(...(await prove(h, [65])));
    for (const r of results) {
      expect(r.ok, r.error).toBe(true);
      expect(r.cached).toBe(false); // a proof computed now, not the proof cache's
      expect(r.verified).toBe(true);
    }
    expect(h.artifactRequests(from).filter((r) => r.path === ZKEY)).toHaveLength(1);
  });
});
