/**
 * The page does nothing heavy, even on a machine whose every core is busy: while one busy-loop
 * process per core runs (started and stopped here), cold, warm and returning-visit proofs keep
 * every main-thread task within its CPU budget, and the proof's work runs in workers. Judged from
 * a Chromium trace by CPU time, not by wall time: the busy loops stretch whatever the page does
 * (support/main-thread-trace.ts says why and by how much).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { proveInPage, startHarness } from "./support/harness.js";
import type { Harness } from "./support/harness.js";
import { expectLightMainThread, traceMainThread } from "./support/main-thread-trace.js";
let h: Harness;
const hogs: ChildProcess[] = [];

/** One busy loop per core, each ending by itself after `ms` should the test not stop it. */
function startHogs(ms: number): void {
  for (let i = 0; i < availableParallelism(); i++) {
    const hog = spawn(process.execPath, ["-e", `const end = Date.now() + ${ms}; while (Date.now() < end) {}`], { stdio: "ignore" });
    hogs.push(hog);
  }
}

function stopHogs(): void {
  for (const hog of hogs.splice(0)) if (hog.pid !== undefined && hog.exitCode === null) hog.kill("SIGKILL");
}


beforeAll(async () => {
  h = await startHarness();
  await h.open();
  startHogs(170_000);
});

afterAll(async () => {
  stopHogs();
  await h?.close();
});

describe("main thread under a CPU hog on every core", () => {
  it("a cold proof (download, hash and store in the worker) keeps the main thread light", async () => {
    const from = h.server.requestLog.length;
    const trace = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8, seed: 31 }));
    expect(trace.value.outcome.ok, trace.value.outcome.errorMessage).toBe(true);
    expect(h.artifactRequests(from).length).toBe(3); // really cold: wasm, zkey and vkey downloaded
    expectLightMainThread("cold proof under load", trace);
  });

  it("warm proofs keep the main thread light", async () => {
    for (const seed of [32, 33]) {
      const trace = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8, seed }));
      expect(trace.value.outcome.ok, trace.value.outcome.errorMessage).toBe(true);
      expect(trace.value.outcome.result!.cached).toBe(false);
      expectLightMainThread(`warm proof ${seed} under load`, trace);
    }
  });

  it("a returning visit (IndexedDB read inside the worker) keeps the main thread light and downloads nothing", async () => {
    await h.open(); // the same profile: a returning visit
    const from = h.server.requestLog.length;
    const trace = await traceMainThread(h, () => proveInPage(h.page, "exact", { count: 8, seed: 34 }));
    expect(trace.value.outcome.ok, trace.value.outcome.errorMessage).toBe(true);
    expect(h.artifactRequests(from)).toEqual([]);
    expectLightMainThread("returning proof under load", trace);
  });
});
