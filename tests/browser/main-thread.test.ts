/**
 * The page does nothing heavy, even on a machine whose every core is busy: while one busy-loop
 * process per core runs (started and stopped here), cold, warm and returning-visit proofs show
 * no main-thread task over 50 ms from requestProof to the result. A long task under load means
 * proofline put work on the main thread (a contended core stretches any task that is there),
 * so this checks that the work is gone, not that the machine is fast.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { proveInPage, startHarness } from "./support/harness.js";
import type { Harness } from "./support/harness.js";

const LONG_TASK_MS = 50;
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

const longTasksIn = (span: [number, number]) =>
  h.page.evaluate(([s, e]) => window.__longTasks.filter((t) => t.start + t.duration > s && t.start < e), span);

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
  it("a cold proof (download, hash and store in the worker) has no long task", async () => {
    const from = h.server.requestLog.length;
    const { outcome, start, end } = await proveInPage(h.page, "exact", { count: 8, seed: 31 });
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    expect(h.artifactRequests(from).length).toBe(3); // really cold: wasm, zkey and vkey downloaded
    const long = await longTasksIn([start, end]);
    console.log(`cold proof under load: ${Math.round(end - start)} ms, long tasks ${JSON.stringify(long.map((t) => Math.round(t.duration)))}`);
    expect(long.filter((t) => t.duration > LONG_TASK_MS), JSON.stringify(long)).toEqual([]);
  });

  it("warm proofs have no long task", async () => {
    for (const seed of [32, 33]) {
      const { outcome, start, end } = await proveInPage(h.page, "exact", { count: 8, seed });
      expect(outcome.ok, outcome.errorMessage).toBe(true);
      expect(outcome.result!.cached).toBe(false);
      const long = await longTasksIn([start, end]);
      expect(long, JSON.stringify(long)).toEqual([]);
    }
  });

  it("a returning visit (IndexedDB read inside the worker) has no long task and no download", async () => {
    await h.open(); // the same profile: a returning visit
    const from = h.server.requestLog.length;
    const { outcome, start, end } = await proveInPage(h.page, "exact", { count: 8, seed: 34 });
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    expect(h.artifactRequests(from)).toEqual([]);
    const long = await longTasksIn([start, end]);
    console.log(`returning proof under load: ${Math.round(end - start)} ms, long tasks ${JSON.stringify(long.map((t) => Math.round(t.duration)))}`);
    expect(long, JSON.stringify(long)).toEqual([]);
  });
});
