// `npm run bench -- core --browser [rounds=3]`: the Chromium half of the core bench. Each
// contender (core, snarkjs-1, snarkjs: see bench/browser-page/core.worker.ts) runs in a browser
// of its own (Debian's /usr/bin/chromium through playwright-core, a fresh profile each), so the
// peak resident memory of its renderer process (VmHWM: the page, its worker, the wasm heaps) is
// its own. Each warms up with one proof; rounds are interleaved across the browsers.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startDemoServer } from "../scripts/demo-server.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const CONTENDERS = ["core", "snarkjs-1", "snarkjs"];
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const r1 = (x) => Math.round(x * 10) / 10;

/** Every process below `pid` (the browser's zygotes, renderers, utilities). */
export function descendants(pid) {
  const parent = new Map();
  for (const p of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      parent.set(Number(p), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      /* gone meanwhile */
    }
  }
  const out = [];
  const walk = (id) => {
    for (const [child, ppid] of parent) if (ppid === id) out.push(child), walk(child);
  };
  walk(pid);
  return out;
}

/** Peak resident memory (MiB) of the browser's renderer processes: where the page and its workers run. */
export function rendererPeakMiB(browserPid) {
  let peak = 0;
  for (const pid of descendants(browserPid)) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer")) continue;
      const kb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      peak = Math.max(peak, kb / 1024);
    } catch {
      /* gone meanwhile */
    }
  }
  return peak;
}

async function contender(server, mode, s) {
  // A browser server: its process id leads to the renderer's.
  const launched = await chromium.launchServer({ executablePath: "/usr/bin/chromium", args: ARGS, headless: true });
  const browser = await chromium.connect(launched.wsEndpoint());
  const page = await browser.newPage();
  page.on("pageerror", (e) => process.stderr.write(`${mode} page error: ${e.message}\n`));
  await page.goto(new URL("core.html", server.url).toString());
  await page.waitForFunction(() => window.__core?.ready === true);
  await page.evaluate(([m, z, w]) => window.__core.setup(m, z, w), [mode, relative(root, s.zkey), relative(root, s.wtns)]);
  return {
    run: () => page.evaluate(() => window.__core.run()),
    peakMiB: () => rendererPeakMiB(launched.process().pid),
    close: () => browser.close().then(() => launched.close()),
  };
}

/** `subjects`: the circuits with their zkey and witness files (the Node half builds them). */
export async function coreBrowser(subjects, rounds) {
  const b = spawnSync(process.execPath, [join(root, "node_modules/vite/bin/vite.js"), "build", "--config", "bench/browser-page/vite.config.ts", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
  const server = await startDemoServer({ port: 0, demoDir: join(root, "bench/browser-page/dist"), extraDir: root });
  const loadBefore = load();
  console.log(`chromium, load average before: ${loadBefore.join(" ")}; ${rounds} interleaved rounds per circuit`);
  const rows = [];
  try {
    for (const s of subjects) {
      const kids = {};
      // One at a time: concurrent warm-ups on a small machine would load it.
      for (const m of CONTENDERS) kids[m] = await contender(server, m, s);
      const res = Object.fromEntries(CONTENDERS.map((m) => [m, []]));
      for (let r = 0; r < rounds; r++) for (const m of CONTENDERS) res[m].push(await kids[m].run());
      const row = { circuit: s.id, rounds, load: load() };
      for (const m of CONTENDERS) {
        row[m] = { ms: r1(median(res[m].map((x) => x.ms))), peakRendererMiB: r1(kids[m].peakMiB()), wasmMiB: r1(Math.max(...res[m].map((x) => x.wasmMiB))) };
        await kids[m].close();
      }
      row.coreVsThreads = Math.round((row.core.ms / row.snarkjs.ms) * 1000) / 1000;
      row.coreVsSingle = Math.round((row.core.ms / row["snarkjs-1"].ms) * 1000) / 1000;
      rows.push(row);
      console.log(
        `chromium ${s.id}: core ${row.core.ms} ms (renderer peak ${row.core.peakRendererMiB} MiB, wasm ${row.core.wasmMiB} MiB) | ` +
          `snarkjs 1 thread ${row["snarkjs-1"].ms} ms (${row["snarkjs-1"].peakRendererMiB} MiB) | snarkjs threads ${row.snarkjs.ms} ms (${row.snarkjs.peakRendererMiB} MiB) | ` +
          `core/threads ${row.coreVsThreads}, core/single ${row.coreVsSingle} | load ${row.load.join(" ")}`,
      );
    }
  } finally {
    await server.close();
  }
  console.log(JSON.stringify({ bench: "core", platform: "chromium", browser: "chromium (/usr/bin/chromium)", loadBefore, loadAfter: load(), rows }));
}
