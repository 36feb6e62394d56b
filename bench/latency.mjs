// Latency of one proof, and a burst, against what a user would do instead (Node).
//   proofline  createProver().prove (defaults: verification on), warm, bytes in memory
//   naive      snarkjs.groth16.fullProve with its default threads, warm, bytes in memory, in a
//              process of its own (the call a dapp or server writes)
//   single     fullProve single-threaded in a worker_threads worker (snarkjs's own threads
//              cannot start there), warm
// Inputs are realistic: every slot of the circuit holds an attestation that counts.
// One proof: medians of N interleaved rounds (the order rotates each round). Burst: 8 proofs
// submitted at once to proofline (pool = cores) against the better of 8 sequential naive proofs
// and 8 single-threaded proofs spread over one worker per core; BURST_ROUNDS=2 rounds, the order
// rotating, each side's best round. The load average is printed beside
// the figures; the LAST line is JSON.
// Memory: peak RSS of a process of its own running proofline (bench/_memory-child.mjs, proofs one
// at a time, then a burst of 2 × cores), beside the naive process's peak.
// Chromium: `npm run bench -- latency --browser [N]` (bench/_latency-browser.mjs), same rows.
// proofline runs its defaults (bn254 backend, adaptive threads); BENCH_BACKEND=snarkjs benches
// the reference backend instead.
// Usage: npm run bench -- latency [--browser] [N=5]
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createInterface } from "node:readline";
import { Worker } from "node:worker_threads";
import { createProver } from "../src/lib/proof/engine/prover.ts";
import { createNodeWorkerFactory } from "../src/lib/proof/engine/pool/node-worker-factory.ts";
import { buildCircuitInput, toCircuitSignals } from "../src/lib/proof/ebsl/circuit-input.ts";

const root = new URL("../", import.meta.url);
const p = (rel) => new URL(rel, root).pathname;
if (process.argv.includes("--browser")) {
  await import("./_latency-browser.mjs");
  process.exit(0);
}
const N = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? process.env.BENCH_N ?? 5);
const BURST = 8;
// Burst rounds, the order rotating; each side's best round counts (a load spike hits one side).
const BURST_ROUNDS = Number(process.env.BURST_ROUNDS ?? 2);
const CORES = availableParallelism();
const SHIM = { mod: "data:text/javascript,", type: "classic" }; // see node-worker-factory.ts
const NOW = 1_767_225_600_000;
const SUBJECT = "0xabc";
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const round = Math.round;
mkdirSync(p(".tmp"), { recursive: true });

function fullSet(capacity) {
  const attestations = Array.from({ length: capacity }, (_, i) => ({
    source: `0x${(0x5eed00 + i).toString(16)}`,
    target: SUBJECT,
    opinion: i % 2 === 0 ? { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1137, uncertainty: 0.5863, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i * 1000,
    expires_at: NOW + 86_400_000,
  }));
  const built = buildCircuitInput({ attestations, subject: SUBJECT, now: NOW, threshold: 600000n, reveal: true, capacities: [capacity], forceCapacity: capacity });
  return toCircuitSignals(built.slots, built.publicInputs);
}

const manifest = JSON.parse(readFileSync(p("circuits/manifest.json"), "utf8"));
const subjects = Object.values(manifest.circuits).filter((e) => e.family === "ebsl" && ["wasm", "zkey", "vkey"].every((k) => existsSync(p(`circuits/${e[k].path}`))));

function bareWorker() {
  const w = new Worker(new URL("./_bare-worker.mjs", import.meta.url), { workerData: SHIM });
  const ask = (msg, transfer) =>
    new Promise((resolve, reject) => {
      w.once("message", (m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
      w.postMessage(msg, transfer);
    });
  return { ask, close: () => w.terminate() };
}

async function naiveChild(entry, inputPath) {
  const child = spawn(process.execPath, [new URL("./_naive-child.mjs", import.meta.url).pathname, p(`circuits/${entry.wasm.path}`), p(`circuits/${entry.zkey.path}`), inputPath], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => (await lines.next()).value;
  if ((await next()) !== "ready") throw new Error("naive child did not start");
  let peakMb = 0;
  return {
    prove: async () => {
      child.stdin.write("go\n");
      const r = JSON.parse(await next());
      peakMb = Math.max(peakMb, r.peakMb);
      return r.ms;
    },
    peakMb: () => peakMb,
    close: () => {
      child.stdin.write("exit\n");
      child.stdin.end();
    },
  };
}

const rows = [];
for (const entry of subjects) {
  const id = entry.id;
  const input = fullSet(entry.capacity);
  const inputPath = p(`.tmp/latency-${id}.json`);
  writeFileSync(inputPath, JSON.stringify(input));
  const bytes = { wasm: new Uint8Array(readFileSync(p(`circuits/${entry.wasm.path}`))), zkey: new Uint8Array(readFileSync(p(`circuits/${entry.zkey.path}`))), vkey: JSON.parse(readFileSync(p(`circuits/${entry.vkey.path}`), "utf8")) };
  const def = { id, wasm: { url: "mem:wasm", bytes: entry.wasm.bytes, sha256: entry.wasm.sha256 }, zkey: { url: "mem:zkey", bytes: entry.zkey.bytes, sha256: entry.zkey.sha256 }, vkey: { url: "mem:vkey", bytes: entry.vkey.bytes, sha256: entry.vkey.sha256 }, constraints: entry.constraints };
  const prover = createProver({
    circuits: [def],
    artifacts: { load: async () => ({ circuitId: id, ...bytes, networkBytes: 0 }) },
    poolSize: CORES,
    maxProofsPerWorker: 1_000_000,
    workerFactory: createNodeWorkerFactory({ url: new URL("dist/prover.node-worker.js", root) }),
    // The default backend (bn254, adaptive threads); BENCH_BACKEND=snarkjs benches the reference backend.
    ...(process.env.BENCH_BACKEND ? { backend: process.env.BENCH_BACKEND } : {}),
  });
  const naive = await naiveChild(entry, inputPath);
  const singles = Array.from({ length: CORES }, bareWorker);
  for (const s of singles) {
    const wasm = bytes.wasm.slice();
    const zkey = bytes.zkey.slice();
    await s.ask({ type: "load", id, wasm, zkey }, [wasm.buffer, zkey.buffer]);
  }
  const threadsUsed = [];
  const runs = {
    proofline: async () => {
      const t0 = performance.now();
      const r = await prover.prove(id, input);
      threadsUsed.push(r.threads ?? 1);
      return performance.now() - t0;
    },
    naive: () => naive.prove(),
    single: async () => (await singles[0].ask({ type: "prove", id, input, mode: "memory" })).ms,
  };
  // Warm every side (worker start, curve, artifacts); not measured. proofline warms every worker.
  await Promise.all(Array.from({ length: CORES }, () => runs.proofline()));
  await runs.proofline(); // alone: its worker's threaded curve is warm from start-up, its helpers now too
  await runs.single();
  threadsUsed.length = 0;
  const loadBefore = load();
  const times = { proofline: [], naive: [], single: [] };
  const order = Object.keys(runs);
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length];
      times[name].push(await runs[name]());
    }
    process.stderr.write(`${id} round ${i + 1}/${N}: ${order.map((n) => `${n} ${round(times[n].at(-1))}`).join(", ")}\n`);
  }
  // Bursts of 8.
  const timed = async (fn) => {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
  };
  const burstSides = {
    proofline: () => timed(() => Promise.all(Array.from({ length: BURST }, () => prover.prove(id, input)))),
    naive: () =>
      timed(async () => {
        for (let i = 0; i < BURST; i++) await naive.prove();
      }),
    single: () =>
      timed(async () => {
        let nextJob = 0;
        await Promise.all(singles.map(async (s) => {
          while (nextJob < BURST) {
            nextJob++;
            await s.ask({ type: "prove", id, input, mode: "memory" });
          }
        }));
      }),
  };
  const burstTimes = { proofline: [], naive: [], single: [] };
  const burstOrder = Object.keys(burstSides);
  for (let i = 0; i < BURST_ROUNDS; i++) {
    for (let k = 0; k < burstOrder.length; k++) {
      const side = burstOrder[(i + k) % burstOrder.length];
      burstTimes[side].push(await burstSides[side]());
    }
  }
  const burstProofline = Math.min(...burstTimes.proofline);
  const burstNaive = Math.min(...burstTimes.naive);
  const burstSingle = Math.min(...burstTimes.single);
  const loadAfter = load();
  prover.dispose();
  naive.close();
  for (const s of singles) await s.close();

  const naivePeakMb = naive.peakMb();
  const mem = spawnSync(process.execPath, [new URL("./_memory-child.mjs", import.meta.url).pathname, id, p(`circuits/${entry.wasm.path}`), p(`circuits/${entry.zkey.path}`), p(`circuits/${entry.vkey.path}`), inputPath, String(CORES)], { encoding: "utf8" });
  const memory = mem.status === 0 ? JSON.parse(mem.stdout.trim().split("\n").at(-1)) : { error: mem.stderr.slice(-300) };
  const m = { proofline: median(times.proofline), naive: median(times.naive), single: median(times.single) };
  const better = Math.min(burstNaive, burstSingle);
  const row = {
    circuit: id,
    attestations: entry.capacity,
    proofline_ms: round(m.proofline),
    proofline_threads: median(threadsUsed),
    naive_ms: round(m.naive),
    single_ms: round(m.single),
    ratio_vs_naive: +(m.proofline / m.naive).toFixed(2),
    ratio_vs_single: +(m.proofline / m.single).toFixed(2),
    burst: { n: BURST, rounds: BURST_ROUNDS, proofline_ms: round(burstProofline), naive_sequential_ms: round(burstNaive), single_per_core_ms: round(burstSingle), ratio_vs_better: +(burstProofline / better).toFixed(2) },
    memory_peak_mb: { proofline_lone: memory.lone_peak_mb, proofline_burst: memory.burst_peak_mb, proofline_idle: memory.baseline_mb, naive: naivePeakMb },
    n: N,
    load_before: loadBefore,
    load_after: loadAfter,
  };
  rows.push(row);
  console.log(`${id} (${entry.capacity} attestations): proofline ${row.proofline_ms} ms (${row.proofline_threads} threads), naive fullProve (threads) ${row.naive_ms} ms, single-threaded ${row.single_ms} ms → proofline/naive ${row.ratio_vs_naive}; burst of ${BURST}: proofline ${row.burst.proofline_ms} ms vs naive sequential ${row.burst.naive_sequential_ms} ms / single per core ${row.burst.single_per_core_ms} ms → ${row.burst.ratio_vs_better}× the better; peak RSS proofline ${memory.lone_peak_mb} MB lone / ${memory.burst_peak_mb} MB burst, naive ${naivePeakMb} MB (load ${loadBefore.join(" ")} → ${loadAfter.join(" ")})`);
}
console.log(JSON.stringify({ bench: "latency", platform: "node", backend: process.env.BENCH_BACKEND || "bn254 (default)", baseline: "snarkjs.groth16.fullProve, default threads", cores: CORES, load_average: load(), rows }));
process.exit(0);
