// Thread policy measurement: single-threaded snarkjs with a warm curve in worker_threads
// (proofline's Node workers) against snarkjs's own threads (in child processes: they fail inside
// worker_threads). For a small and a medium circuit: latency of one warm proof (median), and the
// wall time of a burst of 6 proofs with pool size 1 and 2. Last line: JSON rows.
// Usage: npm run bench -- threads [latencyRuns=3]
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createProver } from "../src/lib/proof/engine/prover.ts";
import { createNodeWorkerFactory } from "../src/lib/proof/engine/pool/node-worker-factory.ts";
import { toCircuitSignals } from "../src/lib/proof/ebsl/circuit-input.ts";
import { EMPTY_SLOT } from "../src/lib/proof/ebsl/fixed-point.ts";

const root = new URL("../", import.meta.url);
const p = (rel) => new URL(rel, root).pathname;
const RUNS = Number(process.argv[2] ?? 3);
const BURST = 6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
mkdirSync(p(".tmp"), { recursive: true });

const subjects = [
  { id: "multiplier", dir: "tests/fixtures/multiplier/", wasm: "circuit.wasm", zkey: "circuit.zkey", vkey: "vkey.json", input: { a: "3", b: "11" } },
];
if (existsSync(p("circuits/build/ebsl-16/ebsl-16.zkey"))) {
  const input = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
  subjects.push({ id: "ebsl-16", dir: "circuits/build/ebsl-16/", wasm: "ebsl-16.wasm", zkey: "ebsl-16.zkey", vkey: "ebsl-16.vkey.json", input });
}

async function single(s, poolSize) {
  const def = { id: s.id, ...Object.fromEntries(["wasm", "zkey", "vkey"].map((k) => [k, { url: p(s.dir + s[k]), bytes: 0, sha256: "" }])) };
  const bytes = { wasm: new Uint8Array(readFileSync(def.wasm.url)), zkey: new Uint8Array(readFileSync(def.zkey.url)), vkey: JSON.parse(readFileSync(def.vkey.url, "utf8")) };
  const prover = createProver({
    circuits: [def],
    artifacts: { load: async () => ({ circuitId: s.id, ...bytes, networkBytes: 0 }) },
    poolSize,
    workerFactory: createNodeWorkerFactory({ url: new URL("dist/prover.node-worker.js", root) }),
  });
  const prove = async () => {
    const t0 = performance.now();
    await prover.prove(s.id, s.input, { verify: false });
    return performance.now() - t0;
  };
  await Promise.all(Array.from({ length: poolSize }, prove)); // warm every worker
  const latency = [];
  if (poolSize === 1) for (let i = 0; i < RUNS; i++) latency.push(await prove());
  const t0 = performance.now();
  await Promise.all(Array.from({ length: BURST }, prove));
  const burst = performance.now() - t0;
  prover.dispose();
  return { latency: latency.length ? median(latency) : undefined, burst };
}

async function threaded(s, children) {
  const inputPath = p(`.tmp/threads-${s.id}.input.json`);
  writeFileSync(inputPath, JSON.stringify(s.input));
  const per = children === 1 ? BURST : BURST / children;
  const procs = Array.from({ length: children }, () =>
    spawn(process.execPath, [p("bench/_threaded-child.mjs"), p(s.dir + s.wasm), p(s.dir + s.zkey), inputPath, String(children === 1 ? Math.max(per, RUNS) : per)], { stdio: ["pipe", "pipe", "inherit"] }),
  );
  const lines = procs.map((c) => {
    let buf = "";
    const waiters = [];
    c.stdout.on("data", (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        waiters.shift()?.(line);
      }
    });
    return () => new Promise((r) => waiters.push(r));
  });
  const next = lines.map((l) => l());
  await Promise.all(next); // all "ready" (warm)
  const results = lines.map((l) => l());
  const t0 = performance.now();
  for (const c of procs) c.stdin.write("go\n");
  const out = (await Promise.all(results)).map((l) => JSON.parse(l).times);
  const burst = performance.now() - t0;
  return { latency: children === 1 ? median(out[0].slice(0, RUNS)) : undefined, burst: children === 1 ? out[0].slice(0, BURST).reduce((a, b) => a + b, 0) : burst };
}

const rows = [];
for (const s of subjects) {
  const st1 = await single(s, 1);
  const st2 = await single(s, 2);
  const mt1 = await threaded(s, 1);
  const mt2 = await threaded(s, 2);
  const row = {
    circuit: s.id,
    single_latency_ms: Math.round(st1.latency),
    snarkjs_latency_ms: Math.round(mt1.latency),
    single_burst6_pool1_ms: Math.round(st1.burst),
    single_burst6_pool2_ms: Math.round(st2.burst),
    snarkjs_burst6_pool1_ms: Math.round(mt1.burst),
    snarkjs_burst6_pool2_ms: Math.round(mt2.burst),
  };
  console.log(row);
  rows.push(row);
}
console.log(JSON.stringify(rows));
