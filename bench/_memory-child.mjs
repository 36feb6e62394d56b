// Peak memory of proofline in a process of its own (the latency bench's memory column). argv:
// circuitId wasm zkey vkey input.json cores. Uses the built package (dist/node.js): a pool of
// `cores` workers, proofs one at a time first (one worker, its threaded curve and helpers),
// then a burst of 2 × cores. Peak RSS (the whole process: every worker, helper and buffer) is
// read after each part and printed as one JSON line.
import { readFileSync } from "node:fs";
import { createNodeWorkerFactory, createProver } from "../dist/node.js";

const [id, wasmPath, zkeyPath, vkeyPath, inputPath, coresArg] = process.argv.slice(2);
const cores = Number(coresArg);
const bytes = { wasm: new Uint8Array(readFileSync(wasmPath)), zkey: new Uint8Array(readFileSync(zkeyPath)), vkey: JSON.parse(readFileSync(vkeyPath, "utf8")) };
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const ref = (kind) => ({ url: `mem:${kind}`, bytes: 0, sha256: "" });
const prover = createProver({
  circuits: [{ id, wasm: ref("wasm"), zkey: ref("zkey"), vkey: ref("vkey") }],
  artifacts: { load: async () => ({ circuitId: id, wasm: bytes.wasm.slice(), zkey: bytes.zkey.slice(), vkey: bytes.vkey, networkBytes: 0 }) },
  poolSize: cores,
  cores,
  workerFactory: createNodeWorkerFactory(),
});
// VmHWM (this process's peak resident set since exec), not getrusage's maxRSS: Linux carries the
// forking parent's peak over into a spawned child's maxRSS.
const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
const baseline = peakMb();
let threads = 0;
for (let i = 0; i < 3; i++) threads = Math.max(threads, (await prover.prove(id, input)).threads ?? 1);
const lone = peakMb();
await Promise.all(Array.from({ length: 2 * cores }, () => prover.prove(id, input)));
const burst = peakMb();
prover.dispose();
console.log(JSON.stringify({ baseline_mb: baseline, lone_peak_mb: lone, lone_threads: threads, burst_peak_mb: burst }));
