// `npm run bench -- scale [powers=16,17,18] [kinds=full,bits] [rounds=2] [--node-only|--browser-only] [--proofline-only]`
// Big circuits: for each synthetic circuit (scripts/circuits/synthetic.mjs, built on demand into
// .synthetic/ with an INSECURE dev setup; 2^16 ... 2^21 constraints, full-width or bit-heavy
// witness), proofline (its defaults: bn254, adaptive threads) against the naive call
// (snarkjs.groth16.fullProve with its default threads), warm, rounds interleaved:
//   Node      each side in a process of its own (peak: the process's VmHWM, threads included)
//   Chromium  each side in a browser of its own (peak: the renderer's VmHWM: page, workers, helpers);
//             proofline loads its pinned artifacts in its worker (fetch, SHA-256, IndexedDB)
// A side that fails (out of memory, a refused budget) says so in its row. `--proofline-only` skips
// the naive side (it takes minutes a proof from 2^19 on); its row then says so. The load average is
// printed beside every row. The LAST line is JSON.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../scripts/demo-server.mjs";
import { ensureSynthetic, inputFor, KINDS, SYNTHETIC_DIR } from "../scripts/circuits/synthetic.mjs";
import { rendererPeakMiB } from "./_core-browser.mjs";
import { rssSampler } from "./_scale-rss.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const positional = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const POWERS = (positional[0] ?? "16,17,18").split(",").map(Number);
const SELECTED = (positional[1] ?? KINDS.join(",")).split(",");
const ROUNDS = Number(positional[2] ?? 2);
const NODE = !process.argv.includes("--browser-only");
const BROWSER = !process.argv.includes("--node-only");
const NAIVE = !process.argv.includes("--proofline-only");
const SKIPPED = { failed: "not run (--proofline-only)" };
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? undefined : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : undefined);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const tmp = mkdtempSync(join(tmpdir(), "proofline-scale-"));

/** A side in a child process speaking the ready / one-line-per-proof protocol. */
function child(script, args) {
  const p = spawn(process.execPath, [join(root, "bench", script), ...args], { cwd: root, stdio: ["pipe", "pipe", "pipe"] });
  const lines = createInterface({ input: p.stdout });
  const queue = [];
  const waiting = [];
  let stderr = "";
  let exited;
  p.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  lines.on("line", (l) => (waiting.length ? waiting.shift().resolve(l) : queue.push(l)));
  p.on("exit", (code, signal) => {
    exited = `exited (${signal ?? code})${/heap out of memory|Out of memory|RangeError[^\n]*/i.exec(stderr)?.[0] ? `: ${/heap out of memory|Out of memory|RangeError[^\n]*/i.exec(stderr)[0]}` : ""}`;
    for (const w of waiting.splice(0)) w.reject(new Error(exited));
  });
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : exited ? Promise.reject(new Error(exited)) : new Promise((resolve, reject) => waiting.push({ resolve, reject })));
  return {
    ready: async () => {
      const l = await next();
      if (l !== "ready") throw new Error(JSON.parse(l).error ?? l);
    },
    prove: async () => {
      p.stdin.write("go\n");
      const r = JSON.parse(await next());
      if (r.error) throw new Error(r.error);
      return r;
    },
    close: () => {
      if (p.exitCode === null) p.stdin.write("exit\n");
      setTimeout(() => p.exitCode === null && p.kill("SIGKILL"), 5000).unref();
    },
  };
}

/** Both sides warm, rounds interleaved (the order alternates); a side that fails keeps its reason. */
async function interleave(sides) {
  const out = {};
  for (const [name, side] of Object.entries(sides)) {
    try {
      await side.ready();
      out[name] = { ms: [], peak: 0 };
    } catch (error) {
      out[name] = { failed: error.message };
    }
  }
  const names = Object.keys(sides);
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(i + k) % names.length];
      if (out[name].failed) continue;
      try {
        const r = await sides[name].prove();
        out[name].ms.push(r.ms);
        out[name].peak = Math.max(out[name].peak, r.peakMb ?? 0);
        if (r.threads) out[name].threads = r.threads;
        if (r.rssPeaks) out[name].rssPeaks = r.rssPeaks;
      } catch (error) {
        out[name] = { failed: error.message };
      }
    }
  }
  for (const s of Object.values(sides)) s.close();
  return out;
}

function summary(where, art, res, loadBefore) {
  const p = res.proofline;
  const n = res.naive ?? SKIPPED;
  const row = {
    where,
    circuit: art.id,
    kind: art.kind,
    power: art.power,
    constraints: art.constraints,
    zkey_mb: Math.round(art.zkeyBytes / 1e5) / 10,
    proofline_ms: p.failed ? undefined : Math.round(median(p.ms)),
    proofline_peak_mib: p.failed ? undefined : Math.round(p.peak),
    proofline_threads: p.threads,
    naive_ms: n.failed ? undefined : Math.round(median(n.ms)),
    naive_peak_mib: n.failed ? undefined : Math.round(n.peak),
    // Browser rows: the renderer's highest resident memory sampled during the setup (load,
    // decode, first proof) and during the warm proofs: which phase holds the peak.
    ...(p.rssPeaks ? { proofline_rss_setup_mib: p.rssPeaks.setup, proofline_rss_proofs_mib: p.rssPeaks.proofs, renderers: p.rssPeaks.renderers } : {}),
    ratio_time: p.failed || n.failed ? undefined : ratio(median(p.ms), median(n.ms)),
    ratio_peak: p.failed || n.failed ? undefined : ratio(p.peak, n.peak),
    ...(p.failed ? { proofline_failed: p.failed } : {}),
    ...(n.failed ? { naive_failed: n.failed } : {}),
    rounds: ROUNDS,
    load_before: loadBefore,
    load_after: load(),
  };
  const side = (name, ms, peak, failed) => (failed ? `${name} FAILED (${failed})` : `${name} ${ms} ms, peak ${peak} MiB`);
  console.log(
    `${where} ${art.id} (${art.constraints} constraints, zkey ${row.zkey_mb} MB): ${side("proofline", row.proofline_ms, row.proofline_peak_mib, p.failed)}${p.threads ? ` on ${p.threads} threads` : ""} | ${side("naive fullProve", row.naive_ms, row.naive_peak_mib, n.failed)}` +
      `${row.ratio_time ? ` → time ${row.ratio_time}×, peak ${row.ratio_peak}×` : ""}${p.rssPeaks ? ` [proofline RSS: setup ${p.rssPeaks.setup} MiB, warm proofs ${p.rssPeaks.proofs} MiB, ${p.rssPeaks.renderers} renderer(s) ${JSON.stringify(p.rssPeaks.byPid)} HWM ${JSON.stringify(p.rssPeaks.hwm)}]` : ""} (load ${loadBefore.join(" ")} → ${row.load_after.join(" ")})`,
  );
  return row;
}

/** SHA-256 of a file, streamed (a 2^21 zkey is about a gigabyte). */
async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}

/** The circuit's pins: its files' paths, sizes and SHA-256. */
async function pinsOf(art, url = (p) => p) {
  const pin = async (p) => ({ url: url(p), bytes: statSync(p).size, sha256: await sha256File(p) });
  return { id: art.id, wasm: await pin(art.wasm), zkey: await pin(art.zkey), vkey: await pin(art.vkey) };
}

async function nodeRow(art, inputPath) {
  const pinsPath = join(tmp, `${art.id}.pins.json`);
  writeFileSync(pinsPath, JSON.stringify(await pinsOf(art)));
  const loadBefore = load();
  const res = await interleave({
    proofline: child("_scale-proofline-child.mjs", [pinsPath, inputPath]),
    ...(NAIVE ? { naive: child("_naive-child.mjs", [art.wasm, art.zkey, inputPath]) } : {}),
  });
  return summary("node", art, res, loadBefore);
}

/** One side in a browser of its own, behind the same protocol as a child process. */
function browserSide(server, side, pins, input) {
  let launched;
  let page;
  let failed;
  let rss;
  const fail = (e) => (failed ??= e instanceof Error ? e.message.split("\n")[0] : String(e));
  const peak = () => rendererPeakMiB(launched.process().pid);
  return {
    ready: async () => {
      // A browser server (a fresh temporary profile): its process id leads to the renderer's.
      launched = await chromium.launchServer({ executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
      rss = rssSampler(launched.process().pid);
      rss.phase("setup");
      const browser = await chromium.connect(launched.wsEndpoint());
      page = await browser.newPage();
      page.on("crash", () => fail("the renderer crashed (out of memory?)"));
      await page.goto(new URL("scale.html", server.url).toString());
      await page.waitForFunction(() => window.__scale?.ready === true);
      try {
        await page.evaluate(([s, p, i]) => window.__scale.setup(s, p, i), [side, pins, input]);
      } catch (e) {
        throw new Error(failed ?? fail(e));
      }
    },
    prove: async () => {
      try {
        rss.phase("proofs");
        const r = await page.evaluate((s) => window.__scale.run(s), side);
        return { ...r, peakMb: peak(), rssPeaks: rss.peaks() };
      } catch (e) {
        throw new Error(failed ?? fail(e));
      }
    },
    close: () => {
      rss?.stop();
      void launched?.close().catch(() => undefined);
    },
  };
}

async function browserRow(server, art, input) {
  const pins = { ...(await pinsOf(art, (p) => `extra/${art.id}/${p.split("/").at(-1)}`)), constraints: art.constraints };
  const loadBefore = load();
  const res = await interleave({ proofline: browserSide(server, "proofline", pins, input), ...(NAIVE ? { naive: browserSide(server, "naive", pins, input) } : {}) });
  return summary("chromium", art, res, loadBefore);
}

const rows = [];
let server;
try {
  if (BROWSER) {
    const b = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "bench/browser-page/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
    if (b.status !== 0) process.exit(b.status ?? 1);
    server = await startDemoServer({ port: 0, demoDir: join(root, "bench/browser-page/dist"), extraDir: SYNTHETIC_DIR });
  }
  console.log(`scale bench: ${availableParallelism()} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, load ${load().join(" ")}; INSECURE synthetic circuits (dev setup)`);
  for (const power of POWERS) {
    for (const kind of SELECTED) {
      const made = await ensureSynthetic(kind, power, { log: (m) => console.error(m) });
      const art = { ...made, zkeyBytes: statSync(made.zkey).size };
      const input = inputFor(kind);
      const inputPath = join(tmp, `${art.id}.input.json`);
      writeFileSync(inputPath, JSON.stringify(input));
      if (NODE) rows.push(await nodeRow(art, inputPath));
      if (BROWSER) rows.push(await browserRow(server, art, input));
    }
  }
} finally {
  await server?.close();
  rmSync(tmp, { recursive: true, force: true });
}
console.log(
  JSON.stringify({ bench: "scale", baseline: "snarkjs.groth16.fullProve, default threads", proofline: "defaults (bn254, adaptive threads)", cores: availableParallelism(), memory_gib: Math.round(totalmem() / 2 ** 30), load_average: load(), rows }),
);
process.exit(0);
