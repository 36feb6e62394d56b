// Many cores without many copies: peak memory and threads of proofline (bn254, adaptive) told it
// has 16 cores (`cores: 16`, pool of 4 workers), in a process of its own (Node worker_threads,
// ebsl-16, the built package dist/node.js). Steps, each followed by the process's peak RSS and
// its live OS threads (/proc/self/task: V8's own threads, every worker, every helper):
//   idle      a prover created, nothing run
//   burst     8 proofs submitted at once (one thread each while others wait; the last one,
//             alone by then, widens to the cores nobody holds)
//   lone      3 proofs one after another (each alone: 16 threads, 15 helpers)
//   pair      2 proofs at once, then 1 alone
// With one helper set per pool the live threads after `lone` are the pool's plus 15 helpers;
// with a set per worker, every worker that once proved wide keeps its own.
// Usage: npm run bench -- wide-memory. The LAST line printed is JSON.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const CORES = 16;
const POOL = 4;
const root = fileURLToPath(new URL("..", import.meta.url));
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

if (process.argv[2] !== "child") {
  const before = load();
  const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "child"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    console.error(r.stderr.slice(-2000));
    process.exit(r.status ?? 1);
  }
  const steps = JSON.parse(r.stdout.trim().split("\n").at(-1));
  for (const s of steps) console.log(`${s.step.padEnd(6)} peak RSS ${s.peak_mb} MB, ${s.threads} OS threads${s.proof_threads ? `, proofs on ${s.proof_threads.join("/")} threads` : ""}`);
  console.log(JSON.stringify({ bench: "wide-memory", cores: CORES, pool: POOL, circuit: "ebsl-16", backend: "bn254", load_average: before, load_average_after: load(), steps }));
} else {
  const { createNodeWorkerFactory, createProver } = await import("../dist/node.js");
  const { ebslInput } = await import("../tests/integration/support/bn254-fixtures.ts");
  const dir = `${root}circuits/build/ebsl-16/`;
  const bytes = { wasm: new Uint8Array(readFileSync(`${dir}ebsl-16.wasm`)), zkey: new Uint8Array(readFileSync(`${dir}ebsl-16.zkey`)), vkey: JSON.parse(readFileSync(`${dir}ebsl-16.vkey.json`, "utf8")) };
  const id = "ebsl-16";
  const ref = (kind) => ({ url: `mem:${kind}`, bytes: 0, sha256: "" });
  const prover = createProver({
    circuits: [{ id, wasm: ref("wasm"), zkey: ref("zkey"), vkey: ref("vkey") }],
    artifacts: { load: async () => ({ circuitId: id, wasm: bytes.wasm.slice(), zkey: bytes.zkey.slice(), vkey: bytes.vkey, networkBytes: 0 }) },
    poolSize: POOL,
    cores: CORES,
    workerFactory: createNodeWorkerFactory(),
  });
  const input = ebslInput(16, 9);
  // VmHWM: this process's peak resident set since exec (every worker thread included).
  const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
  const threads = () => readdirSync("/proc/self/task").length;
  const steps = [];
  const mark = (step, results = []) => steps.push({ step, peak_mb: peakMb(), threads: threads(), ...(results.length ? { proof_threads: results.map((r) => r.threads ?? 1) } : {}) });
  mark("idle");
  mark("burst", await Promise.all(Array.from({ length: 2 * POOL }, () => prover.prove(id, input))));
  const lone = [];
  for (let i = 0; i < 3; i++) lone.push(await prover.prove(id, input));
  mark("lone", lone);
  const pair = await Promise.all([prover.prove(id, input), prover.prove(id, input)]);
  const after = await prover.prove(id, input);
  // Let released helpers stop (asynchronously) before counting threads.
  await new Promise((resolve) => setTimeout(resolve, 500));
  mark("pair", [...pair, after]);
  prover.dispose();
  console.log(JSON.stringify(steps));
  process.exit(0);
}
