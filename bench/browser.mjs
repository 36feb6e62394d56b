// Browser bench: proofline in Debian's Chromium (/usr/bin/chromium, playwright-core).
//   cold             first proof on a fresh profile: artifact download + worker start + prove
//   warm             median of N proofs in the same page
//   returning        a new page in the same profile, first proof right after load (artifacts
//                    from IndexedDB, read inside the worker); and the same with preload() called
//                    at page load and awaited before the request (median of 3 visits each)
//   ratios           returning / warm, with and without preload
//   max_progress_gap the longest the progress bar sat still (no event) during a proof
//   main_thread_ms   the page's main-thread busy time per proof (CDP Performance TaskDuration,
//                    summed over every task from requestProof to the result): cold, warm, returning
//   longest_task     longest main-thread task (PerformanceObserver "longtask", > 50 ms; 0 = none)
//                    overlapping each kind of proving window, quiet and with a busy loop on every core
//   vs bare          warm proofline vs bare snarkjs fullProve in a plain worker on the same page
//                    (snarkjs threads = the naive call, and singleThread), interleaved
//   request_sync     main-thread time of requestProof's synchronous part (8 and 64 attestations)
// Usage: npm run bench -- browser [N=5] [attestations=8]. The LAST line printed is JSON.
// BENCH_PART=returning runs only the visits (cold, warm, returning, returning with preload,
// returning on a page whose API has the prewarm option, and returning with the zkey checks' records
// deleted first; BENCH_VISITS of each kind, interleaved) and prints every returning visit's timings;
// there a returning visit (with and without preload) proves once more on its page, and its first
// proof over that next one is reported too (a paired ratio, same load and page).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../scripts/demo-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 5);
const COUNT = Number(process.argv[3] ?? 8);
const VISITS = Number(process.env.BENCH_VISITS ?? 3); // returning visits of each kind (median)
const PART = process.env.BENCH_PART ?? "all";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const LONG_TASKS = `window.__longTasks = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: "longtask", buffered: true });`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x) => Math.round(x);
/** The median run by wall time. */
const byMs = (runs) => [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)];
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

const b = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "bench/browser-page/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);

const server = await startDemoServer({ port: 0, demoDir: join(root, "bench/browser-page/dist") });
const contexts = [];
const hogs = [];
const stopHogs = () => hogs.splice(0).forEach((h) => h.exitCode === null && h.kill("SIGKILL"));

/** A fresh profile: a first visit. */
async function newContext() {
  const profile = mkdtempSync(join(tmpdir(), "proofline-bench-"));
  const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
  await context.addInitScript(LONG_TASKS);
  for (const p of context.pages()) await p.close();
  contexts.push({ context, profile });
  return context;
}

async function open(context, query = "") {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  await page.goto(`${server.url}${query}`);
  await page.waitForFunction(() => window.__bench?.ready === true);
  // Let the page's own boot settle (no long task for 1 s, bounded) before measuring.
  await page.waitForFunction(() => performance.now() - Math.max(0, ...window.__longTasks.map((t) => t.start + t.duration)) > 1000, null, { timeout: 15_000, polling: 100 }).catch(() => undefined);
  return { page, cdp };
}

const taskSeconds = async (cdp) => (await cdp.send("Performance.getMetrics")).metrics.find((m) => m.name === "TaskDuration")?.value ?? 0;

/** One proofline proof: wall ms, the longest main-thread task in its window, and main-thread busy ms. */
async function prove({ page, cdp }) {
  // The 1-minute load average as the proof starts: on a shared machine it explains outliers.
  const loadAtStart = load()[0];
  const before = await taskSeconds(cdp);
  const r = await page.evaluate((n) => window.__bench.proofline(n), COUNT);
  const mainMs = ((await taskSeconds(cdp)) - before) * 1000;
  const longest = await page.evaluate(([s, e]) => Math.max(0, ...window.__longTasks.filter((t) => t.start + t.duration > s && t.start < e).map((t) => t.duration)), [r.start, r.end]);
  return { ...r, mainMs, longest, loadAtStart };
}

async function bare({ page }, singleThread) {
  const r = await page.evaluate(([n, st]) => window.__bench.bare(n, st), [COUNT, singleThread]);
  if (!r.ok) throw new Error(`bare snarkjs failed: ${r.error}`);
  return r;
}

const artifacts = (from) => server.requestLog.slice(from).filter((r) => r.path.startsWith("/circuits/"));

/**
 * The returning part also proves once more on the same page right after a visit's first proof:
 * that warm proof runs in the same conditions (load, page, worker) as the first, so first/next
 * is a paired ratio that the machine's load drifting between the warm phase and the visits
 * does not move. It is printed beside the ratios to the warm median, which stay the headline.
 */
async function withNext(handle, first) {
  if (PART !== "returning") return first;
  const next = await prove(handle);
  return { ...first, nextMs: next.ms };
}

/** Cold → warm ×n → returning → returning with preload, in one fresh profile. */
async function visits(n) {
  const context = await newContext();
  let mark = server.requestLog.length;
  const first = await open(context);
  const cold = await prove(first);
  const coldDownloads = artifacts(mark);
  const warm = [];
  for (let i = 0; i < n; i++) warm.push(await prove(first));
  await first.page.evaluate(() => window.__bench.dispose());
  await first.page.close();

  // Returning visits, alternating without and with preload; medians of VISITS each.
  const returningRuns = [];
  const preloadedRuns = [];
  const prewarmedRuns = [];
  const uncheckedRuns = [];
  let returningRequests = 0;
  for (let i = 0; i < VISITS; i++) {
    mark = server.requestLog.length;
    const second = await open(context);
    returningRuns.push(await withNext(second, await prove(second)));
    returningRequests += artifacts(mark).length;
    await second.page.evaluate(() => window.__bench.dispose());
    await second.page.close();

    const third = await open(context);
    const preloadMs = await third.page.evaluate(() => window.__bench.preload());
    preloadedRuns.push({ ...(await withNext(third, await prove(third))), preloadMs });
    await third.page.evaluate(() => window.__bench.dispose());
    await third.page.close();

    if (PART === "returning") {
      // The API's prewarm option: its warm-up starts when the page is idle; the request comes
      // once the page settled (no long task for 1 s), whether or not the warm-up finished.
      const fourth = await open(context, "?prewarm");
      prewarmedRuns.push(await prove(fourth));
      await fourth.page.evaluate(() => window.__bench.dispose());
      await fourth.page.close();

      // A returning visit whose zkey checks are not remembered (their records deleted before the
      // request): what the first proof cost before the records, measured in the same conditions.
      const fifth = await open(context);
      await fifth.page.evaluate(() => new Promise((resolve) => { const r = indexedDB.deleteDatabase("proofline-zkey-checks"); r.onsuccess = r.onerror = r.onblocked = resolve; }));
      uncheckedRuns.push(await prove(fifth));
      await fifth.page.evaluate(() => window.__bench.dispose());
      await fifth.page.close();
    }
  }
  const returning = byMs(returningRuns);
  const preloaded = byMs(preloadedRuns);
  const preloadMs = preloaded.preloadMs;
  return { cold, coldDownloads, warm, returning, returningRequests, preloadMs, preloaded, returningRuns, preloadedRuns, prewarmedRuns, uncheckedRuns };
}

try {
  const loadBefore = load();
  const quiet = await visits(N);
  const warmMs = median(quiet.warm.map((r) => r.ms));
  console.log(`load average ${loadBefore.join(" ")}`);
  console.log(`cold: ${round(quiet.cold.ms)} ms (${quiet.cold.circuitId}; ${quiet.coldDownloads.length} downloads, ${(quiet.coldDownloads.reduce((s, r) => s + r.bytes, 0) / 1e6).toFixed(1)} MB)`);
  console.log(`warm: median ${round(warmMs)} ms over ${N} (${quiet.warm.map((r) => round(r.ms)).join(", ")})`);
  const parts = (r) => Object.entries(r.timings).filter(([k]) => /Ms$/.test(k)).map(([k, v]) => `${k.slice(0, -2)} ${round(v)}`).join(", ");
  for (const [label, r] of [["cold", quiet.cold], ["warm", quiet.warm.at(-1)], ["returning", quiet.returning], ["preloaded", quiet.preloaded]]) console.log(`  ${label} timings: ${parts(r)}`);
  if (PART === "returning") {
    for (const [label, runs] of [["returning", quiet.returningRuns], ["preloaded", quiet.preloadedRuns], ["prewarm option", quiet.prewarmedRuns], ["checks not remembered", quiet.uncheckedRuns]]) {
      for (const r of runs) console.log(`  ${label} visit: ${round(r.ms)} ms (${ratio(r.ms, warmMs)}× warm${r.nextMs === undefined ? "" : `, ${ratio(r.ms, r.nextMs)}× the page's next proof, ${round(r.nextMs)} ms`}): ${parts(r)}${r.preloadMs === undefined ? "" : `; preload ${round(r.preloadMs)} ms`}; load ${r.loadAtStart}`);
    }
  }
  console.log(`returning: ${round(quiet.returning.ms)} ms (${ratio(quiet.returning.ms, warmMs)}× warm, ${quiet.returningRequests} artifact requests); with preload at page load: ${round(quiet.preloaded.ms)} ms (${ratio(quiet.preloaded.ms, warmMs)}× warm; preload took ${round(quiet.preloadMs)} ms)`);

  if (PART === "returning") {
    const timings = (r) => Object.fromEntries(Object.entries(r.timings).filter(([k]) => /Ms$/.test(k)).map(([k, v]) => [k, round(v)]));
    const report = {
      bench: "browser",
      part: "returning",
      browser: `chromium ${contexts[0].context.browser()?.version() ?? ""}`.trim(),
      cores: availableParallelism(),
      load_average: loadBefore,
      load_average_after: load(),
      circuit: quiet.cold.circuitId,
      n: N,
      visits: VISITS,
      warm_ms: round(warmMs),
      warm_timings: timings(quiet.warm.at(-1)),
      returning_ms: round(quiet.returning.ms),
      returning_preloaded_ms: round(quiet.preloaded.ms),
      preload_ms: round(quiet.preloadMs),
      ratio_returning_vs_warm: ratio(quiet.returning.ms, warmMs),
      ratio_returning_preloaded_vs_warm: ratio(quiet.preloaded.ms, warmMs),
      returning_prewarm_option_ms: round(byMs(quiet.prewarmedRuns).ms),
      ratio_returning_prewarm_option_vs_warm: ratio(byMs(quiet.prewarmedRuns).ms, warmMs),
      // Paired: each visit's first proof over the next proof on the same page (median of the visits).
      ratio_returning_vs_same_page_next: ratio(median(quiet.returningRuns.map((r) => r.ms / r.nextMs)), 1),
      ratio_returning_preloaded_vs_same_page_next: ratio(median(quiet.preloadedRuns.map((r) => r.ms / r.nextMs)), 1),
      returning_visits: quiet.returningRuns.map((r) => ({ ms: round(r.ms), nextMs: round(r.nextMs), load: r.loadAtStart, ...timings(r) })),
      preloaded_visits: quiet.preloadedRuns.map((r) => ({ ms: round(r.ms), nextMs: round(r.nextMs), preloadMs: round(r.preloadMs), load: r.loadAtStart, ...timings(r) })),
      prewarm_option_visits: quiet.prewarmedRuns.map((r) => ({ ms: round(r.ms), load: r.loadAtStart, ...timings(r) })),
      returning_checks_not_remembered_ms: round(byMs(quiet.uncheckedRuns).ms),
      ratio_returning_checks_not_remembered_vs_warm: ratio(byMs(quiet.uncheckedRuns).ms, warmMs),
      checks_not_remembered_visits: quiet.uncheckedRuns.map((r) => ({ ms: round(r.ms), load: r.loadAtStart, ...timings(r) })),
    };
    console.log(JSON.stringify(report));
  } else await comparisons(quiet, warmMs, loadBefore);
} finally {
  stopHogs();
  for (const { context, profile } of contexts) {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
  await server.close();
}

/** The rest of the full bench: bare snarkjs on the same page, and the visits with every core busy. */
async function comparisons(quiet, warmMs, loadBefore) {
  // proofline vs bare snarkjs, same page, interleaved; the first bare calls warm its worker.
  const { page: vsPage, cdp: vsCdp } = await open(contexts[0].context);
  const vsHandle = { page: vsPage, cdp: vsCdp };
  await prove(vsHandle);
  await bare(vsHandle, false);
  await bare(vsHandle, true);
  const vs = { proofline: [], bareThreads: [], bareSingle: [] };
  for (let i = 0; i < N; i++) {
    vs.proofline.push((await prove(vsHandle)).ms);
    vs.bareThreads.push((await bare(vsHandle, false)).wallMs);
    vs.bareSingle.push((await bare(vsHandle, true)).wallMs);
  }
  const sync8 = await vsPage.evaluate((n) => window.__bench.syncOnly(n), COUNT);
  const sync64 = await vsPage.evaluate(() => window.__bench.syncOnly(64));
  await vsPage.evaluate(() => window.__bench.dispose());
  await vsPage.close();

  // The same visits with a busy loop on every core (each ends by itself after 10 minutes).
  for (let i = 0; i < availableParallelism(); i++) {
    hogs.push(spawn(process.execPath, ["-e", "const end = Date.now() + 600000; while (Date.now() < end) {}"], { stdio: "ignore" }));
  }
  const loaded = await visits(2);
  stopHogs();

  const longest = (v) => ({ cold: round(v.cold.longest), warm: round(Math.max(...v.warm.map((r) => r.longest))), returning: round(v.returning.longest), returning_preloaded: round(v.preloaded.longest) });
  const report = {
    bench: "browser",
    browser: `chromium ${contexts[0].context.browser()?.version() ?? ""}`.trim(),
    cores: availableParallelism(),
    load_average: loadBefore,
    circuit: quiet.cold.circuitId,
    attestations: COUNT,
    n: N,
    cold_ms: round(quiet.cold.ms),
    cold_download_bytes: quiet.coldDownloads.reduce((s, r) => s + r.bytes, 0),
    warm_ms: round(warmMs),
    returning_ms: round(quiet.returning.ms),
    returning_artifact_requests: quiet.returningRequests,
    returning_preloaded_ms: round(quiet.preloaded.ms),
    preload_ms: round(quiet.preloadMs),
    ratio_returning_vs_warm: ratio(quiet.returning.ms, warmMs),
    ratio_returning_preloaded_vs_warm: ratio(quiet.preloaded.ms, warmMs),
    // Longest time the progress bar sat still (no event) during a proof.
    max_progress_gap_ms: { cold: round(quiet.cold.maxGapMs), warm: round(Math.max(...quiet.warm.map((r) => r.maxGapMs))), returning: round(quiet.returning.maxGapMs) },
    main_thread_ms_per_proof: { cold: round(quiet.cold.mainMs), warm: round(median(quiet.warm.map((r) => r.mainMs))), returning: round(quiet.returning.mainMs) },
    longest_task_ms: longest(quiet),
    longest_task_ms_all_cores_busy: longest(loaded),
    request_sync_ms: { [COUNT]: Math.round(sync8 * 10) / 10, 64: Math.round(sync64 * 10) / 10 },
    proofline_warm_ms: round(median(vs.proofline)),
    bare_snarkjs_threads_ms: round(median(vs.bareThreads)),
    bare_snarkjs_single_ms: round(median(vs.bareSingle)),
    ratio_vs_threads: ratio(median(vs.proofline), median(vs.bareThreads)),
    ratio_vs_single: ratio(median(vs.proofline), median(vs.bareSingle)),
  };
  console.log(`main-thread busy ms per proof: ${JSON.stringify(report.main_thread_ms_per_proof)}; longest task (0 = none over 50 ms) quiet ${JSON.stringify(report.longest_task_ms)}, all cores busy ${JSON.stringify(report.longest_task_ms_all_cores_busy)}`);
  console.log(`proofline warm ${report.proofline_warm_ms} ms vs bare snarkjs ${report.bare_snarkjs_threads_ms} ms (threads, the naive call) / ${report.bare_snarkjs_single_ms} ms (single thread)`);
  console.log(JSON.stringify(report));
}
