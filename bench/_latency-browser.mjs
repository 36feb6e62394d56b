// `npm run bench -- latency --browser [N=5]`: the Chromium half of the latency bench (Debian's
// /usr/bin/chromium through playwright-core, a fresh profile, server on 127.0.0.1). For every
// built circuit, on one page (bench/browser-page/latency.ts), warm, full attestation sets,
// interleaved rounds (the order rotates): proofline (createProver, pool = cores, bytes in
// memory) vs bare fullProve in a plain module worker with snarkjs's default threads (the naive
// call) vs single-threaded; then bursts of 8 (BURST_ROUNDS=2 rounds, order rotating, best round
// per side): proofline all at once vs the better of 8 sequential naive calls and 8
// single-threaded proofs over one worker per core. Memory: each side alone in a browser of its
// own, the renderer's peak resident set. BENCH_LONE=1: one proof at a time, proofline against
// the naive call only (no single-threaded side, no bursts, no memory pass), for the large
// circuits. BENCH_CIRCUITS=ebsl-16,ebsl-64 picks circuits. The load average is printed beside
// the figures; the LAST line is JSON.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../scripts/demo-server.mjs";
import { rendererPeakMiB } from "./_core-browser.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
// The default backend (bn254, adaptive threads); BENCH_BACKEND=snarkjs benches the reference backend.
const BACKEND = process.env.BENCH_BACKEND || undefined;
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? process.env.BENCH_N ?? 5);
const BURST = 8;
// Burst rounds, the order rotating; each side's best round counts (a load spike hits one side).
const BURST_ROUNDS = Number(process.env.BURST_ROUNDS ?? 2);
const LONE = process.env.BENCH_LONE === "1";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = Math.round;
const ratio = (a, b) => Math.round((a / b) * 100) / 100;
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

const b = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "bench/browser-page/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
if (b.status !== 0) process.exit(b.status ?? 1);

const server = await startDemoServer({ port: 0, demoDir: join(root, "bench/browser-page/dist") });
const profile = mkdtempSync(join(tmpdir(), "proofline-latency-"));
const context = await chromium.launchPersistentContext(profile, { executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
const rows = [];
let cores = availableParallelism();

/**
 * Peak memory of one side alone, in a browser of its own: the renderer's peak resident set
 * (VmHWM: the page, its workers and their helpers) after 3 lone proofs and, for proofline, a
 * burst of 2 × cores. Both pages hold the artifact bytes they were given.
 */
async function peakMiB(id, side) {
  const launched = await chromium.launchServer({ executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
  try {
    const browser = await chromium.connect(launched.wsEndpoint());
    const page = await browser.newPage();
    await page.goto(new URL("latency.html", server.url).toString());
    await page.waitForFunction(() => window.__latency?.ready === true);
    await page.evaluate(([c, b, s]) => window.__latency.setup(c, b, s), [id, BACKEND, side]);
    for (let i = 0; i < 3; i++) await page.evaluate((s) => window.__latency[s](), side);
    const lone = rendererPeakMiB(launched.process().pid);
    if (side === "naive") return { lone: Math.round(lone) };
    await page.evaluate((n) => window.__latency.burst.proofline(n), 2 * cores);
    // A peak never falls: a lower second reading is a process that could not be read that instant.
    return { lone: Math.round(lone), burst: Math.round(Math.max(lone, rendererPeakMiB(launched.process().pid))) };
  } finally {
    await launched.close();
  }
}
try {
  const page = await context.newPage();
  page.on("pageerror", (e) => process.stderr.write(`page error: ${e.message}\n`));
  await page.goto(new URL("latency.html", server.url).toString());
  await page.waitForFunction(() => window.__latency?.ready === true);
  cores = await page.evaluate(() => window.__latency.cores);
  // Every built circuit (the manifest also lists circuits whose artifacts are not built here).
  const manifest = JSON.parse(readFileSync(join(root, "circuits/manifest.json"), "utf8"));
  const ids = Object.values(manifest.circuits)
    .filter((e) => e.family === "ebsl" && ["wasm", "zkey", "vkey"].every((k) => existsSync(join(root, "circuits", e[k].path))))
    .map((e) => e.id)
    .filter((id) => !process.env.BENCH_CIRCUITS || process.env.BENCH_CIRCUITS.split(",").includes(id));
  for (const id of ids) {
    await page.evaluate(([c, b, lone]) => window.__latency.setup(c, b, undefined, lone), [id, BACKEND, LONE]);
    const loadBefore = load();
    const times = LONE ? { proofline: [], naive: [] } : { proofline: [], naive: [], single: [] };
    const threads = [];
    const order = Object.keys(times);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < order.length; k++) {
        const name = order[(i + k) % order.length];
        if (name === "proofline") {
          const r = await page.evaluate(() => window.__latency.proofline());
          if (!r.verified) throw new Error("proofline returned an unverified proof");
          threads.push(r.threads);
          if (process.env.BENCH_TIMINGS) process.stderr.write(`  proofline timings ${JSON.stringify(r.timings)}\n`);
          times.proofline.push(r.ms);
        } else {
          times[name].push(await page.evaluate((n) => window.__latency[n](), name));
        }
      }
      process.stderr.write(`chromium ${id} round ${i + 1}/${N}: ${order.map((n) => `${n} ${round(times[n].at(-1))}`).join(", ")}\n`);
    }
    if (LONE) {
      const loadAfter = load();
      const m = { proofline: median(times.proofline), naive: median(times.naive) };
      const row = { circuit: id, lone: true, proofline_ms: round(m.proofline), proofline_threads: median(threads), naive_ms: round(m.naive), ratio_vs_naive: ratio(m.proofline, m.naive), n: N, load_before: loadBefore, load_after: loadAfter };
      rows.push(row);
      console.log(`chromium ${id}: proofline ${row.proofline_ms} ms (${row.proofline_threads} threads), naive fullProve (threads) ${row.naive_ms} ms → proofline/naive ${row.ratio_vs_naive} (load ${loadBefore.join(" ")} → ${loadAfter.join(" ")})`);
      continue;
    }
    const bursts = { proofline: [], naiveSequential: [], singlePerCore: [] };
    const sides = Object.keys(bursts);
    for (let i = 0; i < BURST_ROUNDS; i++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length];
        bursts[side].push(await page.evaluate(([s, n]) => window.__latency.burst[s](n), [side, BURST]));
      }
    }
    const burst = Object.fromEntries(sides.map((s) => [s, Math.min(...bursts[s])]));
    const loadAfter = load();
    const memory = { proofline: await peakMiB(id, "proofline"), naive: await peakMiB(id, "naive") };
    const m = { proofline: median(times.proofline), naive: median(times.naive), single: median(times.single) };
    const better = Math.min(burst.naiveSequential, burst.singlePerCore);
    const row = {
      circuit: id,
      proofline_ms: round(m.proofline),
      proofline_threads: median(threads),
      naive_ms: round(m.naive),
      single_ms: round(m.single),
      ratio_vs_naive: ratio(m.proofline, m.naive),
      ratio_vs_single: ratio(m.proofline, m.single),
      burst: { n: BURST, rounds: BURST_ROUNDS, proofline_ms: round(burst.proofline), naive_sequential_ms: round(burst.naiveSequential), single_per_core_ms: round(burst.singlePerCore), ratio_vs_better: ratio(burst.proofline, better) },
      peak_renderer_mib: { proofline_lone: memory.proofline.lone, proofline_burst: memory.proofline.burst, naive: memory.naive.lone },
      n: N,
      load_before: loadBefore,
      load_after: loadAfter,
    };
    rows.push(row);
    if (BACKEND) row.backend = BACKEND;
    console.log(`chromium ${id}: proofline${BACKEND ? ` (${BACKEND})` : ""} ${row.proofline_ms} ms (${row.proofline_threads} threads), naive fullProve (threads) ${row.naive_ms} ms, single-threaded ${row.single_ms} ms → proofline/naive ${row.ratio_vs_naive}; burst of ${BURST}: proofline ${row.burst.proofline_ms} ms vs naive sequential ${row.burst.naive_sequential_ms} ms / single per core ${row.burst.single_per_core_ms} ms → ${row.burst.ratio_vs_better}× the better; renderer peak proofline ${memory.proofline.lone} MiB lone / ${memory.proofline.burst} MiB burst of ${2 * cores}, naive ${memory.naive.lone} MiB (load ${loadBefore.join(" ")} → ${loadAfter.join(" ")})`);
  }
  await page.evaluate(() => window.__latency.dispose());
} finally {
  await context.close().catch(() => undefined);
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
console.log(JSON.stringify({ bench: "latency", platform: "chromium", backend: BACKEND ?? "bn254 (default)", baseline: "snarkjs.groth16.fullProve, default threads", browser: "chromium (/usr/bin/chromium)", cores, load_average: load(), rows }));
process.exit(0);
