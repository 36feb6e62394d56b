// Browser bench (issue 6): proofline in Debian's Chromium (/usr/bin/chromium, playwright-core).
//   cold          first proof on a fresh profile: artifact download + worker start + prove
//   warm          median of N proofs in the same page
//   second_visit  a new page in the same profile: artifacts from IndexedDB (network requests counted)
//   longest_task  longest main-thread task (PerformanceObserver "longtask", > 50 ms) overlapping
//                 proving windows: warm, cold, second visit, and the bare snarkjs runs
//   vs bare       warm proofline proof vs bare snarkjs fullProve in a plain worker on the same page
//                 (snarkjs threads, and singleThread = proofline's default thread mode), interleaved
//   request_sync  main-thread time of requestProof's synchronous part (8 and 64 attestations)
// Usage: npm run bench -- browser [N=5] [attestations=8]. The LAST line printed is JSON.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../scripts/demo-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 5);
const COUNT = Number(process.argv[3] ?? 8);
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LONG_TASKS = `window.__longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: "longtask", buffered: true });`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x);

const b = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "bench/browser-page/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);

const server = await startDemoServer({ port: 0, demoDir: join(root, "bench/browser-page/dist") });
const profile = mkdtempSync(join(tmpdir(), "proofline-bench-"));
let context;
try {
  context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
  await context.addInitScript(LONG_TASKS);
  const windows = { cold: [], warm: [], bare: [], second: [] }; // proving windows, page clock
  const open = async () => {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => window.__bench?.ready === true);
    return page;
  };
  const proofline = async (page, label) => {
    const r = await page.evaluate((n) => window.__bench.proofline(n), COUNT);
    windows[label].push([r.start, r.end]);
    return r;
  };
  const bare = async (page, singleThread) => {
    const r = await page.evaluate(([n, st]) => window.__bench.bare(n, st), [COUNT, singleThread]);
    if (!r.ok) throw new Error(`bare snarkjs failed: ${r.error}`);
    windows.bare.push([r.start, r.end]);
    return r;
  };
  const longest = async (page, ws) =>
    page.evaluate((ws) => Math.max(0, ...window.__longTasks.filter((t) => ws.some(([s, e]) => t.start + t.duration > s && t.start < e)).map((t) => t.duration)), ws);
  for (const p of context.pages()) await p.close();

  // First visit.
  const artifacts = (from) => server.requestLog.slice(from).filter((r) => r.path.startsWith("/circuits/"));
  let mark = server.requestLog.length;
  const page1 = await open();
  const cold = await proofline(page1, "cold");
  const coldDownloads = artifacts(mark);
  console.log(`cold: ${round(cold.ms)} ms (${cold.circuitId}; artifacts ${round(cold.timings.artifactsMs)} ms, ${coldDownloads.length} downloads, ${(coldDownloads.reduce((s, r) => s + r.bytes, 0) / 1e6).toFixed(1)} MB)`);
  const warm = [];
  for (let i = 0; i < N; i++) warm.push((await proofline(page1, "warm")).ms);
  console.log(`warm: median ${round(median(warm))} ms over ${N} (${warm.map(round).join(", ")})`);

  // proofline vs bare snarkjs, same page, interleaved; the first bare calls warm its worker.
  await bare(page1, false);
  await bare(page1, true);
  const vs = { proofline: [], bareThreads: [], bareSingle: [] };
  for (let i = 0; i < N; i++) {
    vs.proofline.push((await proofline(page1, "warm")).ms);
    vs.bareThreads.push((await bare(page1, false)).wallMs);
    vs.bareSingle.push((await bare(page1, true)).wallMs);
  }
  const sync8 = await page1.evaluate((n) => window.__bench.syncOnly(n), COUNT);
  const sync64 = await page1.evaluate(() => window.__bench.syncOnly(64));
  const longestCold = await longest(page1, windows.cold);
  const longestWarm = await longest(page1, windows.warm);
  const longestBare = await longest(page1, windows.bare);
  await page1.evaluate(() => window.__bench.dispose());
  await page1.close();

  // Second visit: new page, same profile (IndexedDB).
  mark = server.requestLog.length;
  const page2 = await open();
  const second = await proofline(page2, "second");
  const secondDownloads = artifacts(mark).length;
  const longestSecond = await longest(page2, windows.second);
  await page2.evaluate(() => window.__bench.dispose());
  await page2.close();
  console.log(`second visit: ${round(second.ms)} ms (artifacts ${round(second.timings.artifactsMs)} ms, ${secondDownloads} artifact requests)`);

  const report = {
    bench: "browser",
    browser: `chromium ${context.browser()?.version() ?? ""}`.trim(),
    circuit: cold.circuitId,
    attestations: COUNT,
    n: N,
    cold_ms: round(cold.ms),
    cold_artifacts_ms: round(cold.timings.artifactsMs),
    cold_download_bytes: coldDownloads.reduce((s, r) => s + r.bytes, 0),
    warm_ms: round(median(warm)),
    second_visit_ms: round(second.ms),
    second_visit_artifact_requests: secondDownloads,
    // Longest main-thread task (0 = none over 50 ms) overlapping each kind of proving window.
    // Cold and second visit include the main thread's share of loading the artifacts.
    longest_task_ms: { warm: round(longestWarm), cold: round(longestCold), second_visit: round(longestSecond), bare_snarkjs: round(longestBare) },
    request_sync_ms: { [COUNT]: Math.round(sync8 * 10) / 10, 64: Math.round(sync64 * 10) / 10 },
    proofline_warm_ms: round(median(vs.proofline)),
    bare_snarkjs_threads_ms: round(median(vs.bareThreads)),
    bare_snarkjs_single_ms: round(median(vs.bareSingle)),
    ratio_vs_threads: Math.round((median(vs.proofline) / median(vs.bareThreads)) * 100) / 100,
    ratio_vs_single: Math.round((median(vs.proofline) / median(vs.bareSingle)) * 100) / 100,
  };
  console.log(`proofline warm ${report.proofline_warm_ms} ms vs bare snarkjs ${report.bare_snarkjs_threads_ms} ms (threads) / ${report.bare_snarkjs_single_ms} ms (single thread); longest main-thread task while proving (0 = none over 50 ms): ${JSON.stringify(report.longest_task_ms)}`);
  console.log(JSON.stringify(report));
} finally {
  await context?.close().catch(() => undefined);
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
