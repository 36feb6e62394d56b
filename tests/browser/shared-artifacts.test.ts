/**
 * A pool of workers shares one download and one stored copy: two proofs asked for at once on a
 * first visit start two workers, each loading the circuit itself, yet every artifact crosses the
 * network once (one worker downloads under the artifact's lock, the other reads what it stored).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
  await h.open();
});

afterAll(async () => {
  await h?.close();
});

describe("artifacts shared across the worker pool", () => {
  it("two concurrent cold proofs on two workers download each artifact once", async () => {
    const from = h.server.requestLog.length;
    const { outcomes, pool } = await h.page.evaluate(async () => {
      const hook = window.__proofline;
      const ids = [await hook.request("exact", { count: 8, seed: 41 }), await hook.request("exact", { count: 8, seed: 42 })];
      await new Promise((r) => setTimeout(r, 50));
      const pool = hook.session.api.getQueueStats().processing;
      return { outcomes: await Promise.all(ids.map((id) => hook.wait(id))), pool };
    });
    for (const o of outcomes) expect(o.ok, o.errorMessage).toBe(true);
    expect(pool).toBe(2); // both ran at once, each on its own worker
    const paths = h.artifactRequests(from).map((r) => r.path).sort();
    expect(paths).toEqual(["/circuits/build/ebsl-16/ebsl-16.vkey.json", "/circuits/build/ebsl-16/ebsl-16.wasm", "/circuits/build/ebsl-16/ebsl-16.zkey"]);
    // The server's log is the ground truth above. The page's own counters come from progress
    // events, and a job handed the other job's worker also sees that worker's load, so they
    // are not asserted here.
  });
});
