// One warm Groth16 proof per circuit: the bn254.wasm prover (src/lib/proof/worker/bn254), on one
// thread ("core"), split N ways as proofline's workers split it ("core-N": SliceHelperSet and the
// split prover, its helpers worker_threads running the built prover worker entry in helper mode;
// N = BENCH_THREADS or the machine's cores), and, on request, the older two-way split ("core-2":
// createGroth16HPart and createGroth16RestPart, the 64-byte H point passed through this thread), against
// snarkjs 0.7.6 single-threaded (a warm single-threaded curve installed as snarkjs's global, as
// proofline's workers do) and snarkjs with its default threads, all in Node on the same zkey and
// witness bytes (witness computed once by circom's calculator; only groth16.prove is timed).
//
// Each contender runs in its own child process (this file with --child), so its peak RSS is its
// own; each warms up with one proof, then rounds are interleaved (core, core-2, snarkjs-1, snarkjs,
// core, ...) so a change of machine load hits each alike. Circuits: every built circuit of
// circuits/manifest.json with full EBSL inputs, and iden3's circom_runtime test circuit.
// Prints load averages, per-circuit medians and ratios, and JSON on the last line.
// Usage: npm run bench -- core [rounds=3]   (BENCH_CONTENDERS=core,core-N,core-2,snarkjs-1,snarkjs to choose);
// `core --browser [rounds]`: the same in Chromium (bench/_core-browser.mjs: core, snarkjs-1 and
// snarkjs threads, with each renderer's peak memory).
import { spawn } from "node:child_process";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";

const CONTENDERS = process.env.BENCH_CONTENDERS?.split(",") ?? ["core", "core-N", "snarkjs-1", "snarkjs"];
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());

async function child(mode, zkeyPath, wtnsPath) {
  const zkey = new Uint8Array(readFileSync(zkeyPath));
  const wtns = new Uint8Array(readFileSync(wtnsPath));
  let prove;
  let wasmBytes = () => 0;
  if (mode === "core-2") {
    const start = (part) =>
      new Promise((resolve, reject) => {
        const w = new Worker(new URL(import.meta.url), { workerData: { part, zkeyPath } });
        w.once("message", () => resolve(w)).once("error", reject);
      });
    const [h, rest] = await Promise.all([start("h"), start("rest")]);
    h.on("message", (point) => rest.postMessage({ point }));
    prove = () =>
      new Promise((resolve) => {
        rest.once("message", resolve);
        rest.postMessage({ wtns });
        h.postMessage({ wtns });
      });
  } else if (mode === "core-N") {
    const { SliceHelperSet } = await import("../src/lib/proof/worker/bn254/split/slice-helper-set.ts");
    const { compiledBn254Module } = await import("../src/lib/proof/worker/bn254/prover/groth16-prover.ts");
    const { nodeSliceHelpers } = await import("../workers/node-slice-helpers.ts");
    const set = new SliceHelperSet({ spawn: nodeSliceHelpers(new URL("../dist/prover.node-worker.js", import.meta.url)), module: compiledBn254Module });
    const split = await set.get(THREADS - 1);
    prove = () => split.prove(zkey, wtns);
  } else if (mode === "core") {
    const { createGroth16Prover } = await import("../src/lib/proof/worker/bn254/prover/groth16-prover.ts");
    const prover = await createGroth16Prover(zkey);
    prove = () => prover.prove(wtns);
    wasmBytes = () => prover.wasmMemoryBytes;
  } else {
    if (mode === "snarkjs-1") {
      const { buildBn128 } = await import("ffjavascript");
      globalThis.curve_bn128 = await buildBn128(true);
    }
    const snarkjs = await import("snarkjs");
    prove = () => snarkjs.groth16.prove(zkey, wtns);
  }
  await prove();
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== "go") break;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await prove();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMiB: process.resourceUsage().maxRSS / 1024, wasmMiB: wasmBytes() / 2 ** 20 }));
  }
  await globalThis.curve_bn128?.terminate?.();
  process.exit(0);
}

// A worker of "core-2": one half of the split prover; "rest" awaits the point "h" sends.
async function half({ part, zkeyPath }) {
  // The --import tsx hooks do not reach worker threads on Node 20: register them here.
  const { register } = await import("tsx/esm/api");
  register();
  const mod = await import("../src/lib/proof/worker/bn254/prover/groth16-prover.ts");
  const zkey = new Uint8Array(readFileSync(zkeyPath));
  const prover = part === "h" ? await mod.createGroth16HPart(zkey) : await mod.createGroth16RestPart(zkey);
  let point;
  parentPort.on("message", async (msg) => {
    if (part === "h") return parentPort.postMessage(await prover.prove(msg.wtns));
    if (msg.point) return point.resolve(msg.point);
    let resolve;
    point = { promise: new Promise((r) => (resolve = r)) };
    point.resolve = resolve;
    await prover.prove(msg.wtns, point.promise);
    parentPort.postMessage("done");
  });
  parentPort.postMessage("ready");
}

function start(mode, zkey, wtns) {
  const proc = spawn(process.execPath, ["--import", "tsx", new URL(import.meta.url).pathname, "--child", mode, zkey, wtns], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${mode} child exited`);
    return value;
  };
  return {
    ready: next().then((l) => {
      if (l !== "ready") throw new Error(`${mode}: ${l}`);
    }),
    async run() {
      proc.stdin.write("go\n");
      return JSON.parse(await next());
    },
    stop: () => proc.stdin.end("exit\n"),
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const r1 = (x) => Math.round(x * 10) / 10;

async function subjects() {
  const root = new URL("../", import.meta.url).pathname;
  const snarkjs = await import("snarkjs");
  const { buildCircuitInput, toCircuitSignals } = await import("../src/lib/proof/ebsl/circuit-input.ts");
  mkdirSync(`${root}.tmp`, { recursive: true });
  const NOW = 1_767_225_600_000;
  const att = (i) => ({
    source: `0x${(0x5eed00 + i).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 ? { belief: 0.3, disbelief: 0.1137, uncertainty: 0.5863, base_rate: 0.4 } : { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i * 1000,
    expires_at: NOW + 86_400_000,
  });
  const out = [];
  const manifest = JSON.parse(readFileSync(`${root}circuits/manifest.json`, "utf8"));
  const list = Object.values(manifest.circuits)
    .filter((c) => existsSync(`${root}circuits/${c.zkey.path}`))
    .map((c) => {
      const ci = buildCircuitInput({ attestations: Array.from({ length: c.capacity }, (_, i) => att(i)), subject: "0xabc", now: NOW, threshold: 600_000n, reveal: true, capacities: [c.capacity], forceCapacity: c.capacity });
      return { id: c.id, wasm: `${root}circuits/${c.wasm.path}`, zkey: `${root}circuits/${c.zkey.path}`, input: toCircuitSignals(ci.slots, ci.publicInputs) };
    });
  const iden3 = `${root}node_modules/circom_runtime/test/circuit/`;
  list.push({ id: "iden3-multiplier-1000", wasm: `${iden3}circuit_js/circuit.wasm`, zkey: `${iden3}circuit.zkey`, input: { a: 1, b: 2, c: 3 } });
  for (const s of list) {
    const mem = { type: "mem" };
    await snarkjs.wtns.calculate(s.input, new Uint8Array(readFileSync(s.wasm)), mem);
    const wtns = `${root}.tmp/core-${s.id}.wtns`;
    writeFileSync(wtns, mem.data);
    out.push({ id: s.id, zkey: s.zkey, wtns });
  }
  await globalThis.curve_bn128?.terminate?.();
  return out;
}

async function main(rounds) {
  const loadBefore = load();
  console.log(`load average before: ${loadBefore.join(" ")}; ${rounds} interleaved rounds per circuit`);
  const rows = [];
  for (const s of await subjects()) {
    const kids = Object.fromEntries(CONTENDERS.map((m) => [m, start(m, s.zkey, s.wtns)]));
    // warm-ups one at a time: concurrent warm-ups on 2 cores would load the machine
    for (const m of CONTENDERS) await kids[m].ready;
    const res = Object.fromEntries(CONTENDERS.map((m) => [m, []]));
    for (let r = 0; r < rounds; r++) for (const m of CONTENDERS) res[m].push(await kids[m].run());
    for (const m of CONTENDERS) kids[m].stop();
    const row = { circuit: s.id, rounds, load: load() };
    for (const m of CONTENDERS) {
      const xs = res[m];
      row[m] = { ms: r1(median(xs.map((x) => x.ms))), cpuMs: r1(median(xs.map((x) => x.cpuMs))), peakRssMiB: r1(Math.max(...xs.map((x) => x.peakRssMiB))), wasmMiB: r1(Math.max(...xs.map((x) => x.wasmMiB))) };
    }
    // Ratios against the naive baseline: snarkjs with its default threads.
    const ratio = (m) => (row[m] && row.snarkjs ? Math.round((row[m].ms / row.snarkjs.ms) * 1000) / 1000 : undefined);
    row.vsThreads = Object.fromEntries(CONTENDERS.filter((m) => m !== "snarkjs").map((m) => [m, ratio(m)]));
    rows.push(row);
    const label = { core: "core", "core-N": `core on ${THREADS} threads`, "core-2": "core-2 (H | rest)", "snarkjs-1": "snarkjs 1 thread", snarkjs: "snarkjs threads" };
    console.log(
      `${s.id}: ` +
        CONTENDERS.map((m) => `${label[m] ?? m} ${row[m].ms} ms (cpu ${row[m].cpuMs}, rss ${row[m].peakRssMiB} MiB${row[m].wasmMiB ? `, wasm ${row[m].wasmMiB} MiB` : ""})`).join(" | ") +
        ` | vs snarkjs threads: ${Object.entries(row.vsThreads).map(([m, r]) => `${m} ${r}`).join(", ")} | load ${row.load.join(" ")}`,
    );
  }
  console.log(JSON.stringify({ bench: "core", platform: "node", cores: availableParallelism(), threads: THREADS, baseline: "snarkjs.groth16.prove, default threads", loadBefore, loadAfter: load(), rows }));
}

if (!isMainThread) await half(workerData);
else if (process.argv[2] === "--child") await child(process.argv[3], process.argv[4], process.argv[5]);
else if (process.argv.includes("--browser")) {
  const { coreBrowser } = await import("./_core-browser.mjs");
  await coreBrowser(await subjects(), Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 3));
  process.exit(0);
} else await main(Number(process.argv[2] ?? 3));
