// Overhead of proofline against bare snarkjs on the same artifacts.
//
// For each circuit of circuits/manifest.json whose build exists (ebsl-16, ebsl-64, ...), N warm
// proofs, interleaved round by round:
//   bare       snarkjs.groth16.fullProve on in-memory bytes, in one worker_threads worker
//   proofline  createProver().prove (pool size 1, verify off so both do the same work)
//   typical    fullProve with file paths each time, in the same kind of worker (a typical dapp)
// Prints medians and the ratio; the LAST line is JSON:
//   [{"circuit","bare_ms","proofline_ms","ratio","typical_ms","typical_ratio","n"}, ...]
// Usage: npm run bench -- overhead [N=7]
import { readFileSync, existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { createProver } from "../src/lib/proof/engine/prover.ts";
import { createNodeWorkerFactory } from "../src/lib/proof/engine/pool/node-worker-factory.ts";
import { toCircuitSignals } from "../src/lib/proof/ebsl/circuit-input.ts";
import { EMPTY_SLOT } from "../src/lib/proof/ebsl/fixed-point.ts";

const root = new URL("../", import.meta.url);
const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 7);
const SHIM = { mod: "data:text/javascript,", type: "classic" }; // see node-worker-factory.ts
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function inputFor(entry) {
  const custom = new URL(`circuits/build/${entry.id}/input.json`, root);
  if (existsSync(custom)) return JSON.parse(readFileSync(custom, "utf8"));
  if (entry.family === "ebsl") {
    return toCircuitSignals(Array(entry.capacity).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
  }
  return undefined;
}

const manifest = JSON.parse(readFileSync(new URL("circuits/manifest.json", root), "utf8"));
const subjects = Object.values(manifest.circuits)
  .map((e) => ({ entry: e, paths: ["wasm", "zkey", "vkey"].map((k) => new URL(`circuits/${e[k].path}`, root)) }))
  .filter((s) => s.paths.every(existsSync) && inputFor(s.entry) !== undefined);
if (subjects.length === 0) {
  console.error("no built circuit with a known input in circuits/manifest.json");
  process.exit(1);
}

const definitions = subjects.map(({ entry, paths: [wasm, zkey, vkey] }) => ({
  id: entry.id,
  wasm: { url: wasm.pathname, bytes: entry.wasm.bytes, sha256: entry.wasm.sha256 },
  zkey: { url: zkey.pathname, bytes: entry.zkey.bytes, sha256: entry.zkey.sha256 },
  vkey: { url: vkey.pathname, bytes: entry.vkey.bytes, sha256: entry.vkey.sha256 },
}));
const memory = new Map(); // id -> { wasm, zkey, vkey }: read once, shared by both sides
for (const d of definitions) {
  memory.set(d.id, { wasm: new Uint8Array(readFileSync(d.wasm.url)), zkey: new Uint8Array(readFileSync(d.zkey.url)), vkey: JSON.parse(readFileSync(d.vkey.url, "utf8")) });
}
const artifacts = { load: async (c) => ({ circuitId: c.id, ...memory.get(c.id), networkBytes: 0 }) };

const prover = createProver({
  circuits: definitions,
  artifacts,
  poolSize: 1,
  maxProofsPerWorker: 1_000_000,
  workerFactory: createNodeWorkerFactory({ url: new URL("dist/prover.node-worker.js", root) }),
});

const bare = new Worker(new URL("./_bare-worker.mjs", import.meta.url), { workerData: SHIM });
const ask = (msg, transfer) =>
  new Promise((resolve, reject) => {
    bare.once("message", (m) => (m.ok ? resolve(m) : reject(new Error(m.error))));
    bare.postMessage(msg, transfer);
  });

const rows = [];
for (const { entry } of subjects) {
  const id = entry.id;
  const input = inputFor(entry);
  const m = memory.get(id);
  const wasm = m.wasm.slice();
  const zkey = m.zkey.slice();
  const d = definitions.find((x) => x.id === id);
  await ask({ type: "load", id, wasm, zkey, wasmPath: d.wasm.url, zkeyPath: d.zkey.url }, [wasm.buffer, zkey.buffer]);
  const runs = {
    bare: async () => (await ask({ type: "prove", id, input, mode: "memory" })).ms,
    typical: async () => (await ask({ type: "prove", id, input, mode: "paths" })).ms,
    proofline: async () => {
      const t0 = performance.now();
      await prover.prove(id, input, { verify: false });
      return performance.now() - t0;
    },
  };
  // warm-up: one of each (worker start, curve, artifacts transfer) is not measured
  for (const run of Object.values(runs)) await run();
  const times = { bare: [], proofline: [], typical: [] };
  const order = Object.keys(runs);
  for (let i = 0; i < N; i++) {
    // rotate the order each round so drift in machine load hits every side alike
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length];
      times[name].push(await runs[name]());
    }
    process.stderr.write(`${id} round ${i + 1}/${N}: ${order.map((n) => `${n} ${times[n].at(-1).toFixed(0)}`).join(", ")}\n`);
  }
  const b = median(times.bare);
  const p = median(times.proofline);
  const t = median(times.typical);
  rows.push({ circuit: id, bare_ms: Math.round(b), proofline_ms: Math.round(p), ratio: +(p / b).toFixed(3), typical_ms: Math.round(t), typical_ratio: +(p / t).toFixed(3), n: N });
  console.log(`${id}: bare ${b.toFixed(0)} ms, proofline ${p.toFixed(0)} ms, ratio ${(p / b).toFixed(3)}; typical dapp (file paths each time) ${t.toFixed(0)} ms -> proofline/typical ${(p / t).toFixed(3)}`);
}

prover.dispose();
await bare.terminate();
console.log(JSON.stringify(rows));
