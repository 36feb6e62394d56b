// proofline in a process of its own for `npm run bench -- scale` (Node): the built package
// (dist/node.js), createProver with its defaults (bn254, adaptive threads, every core), the
// artifacts read from files as a Node app's would be. argv: wasm zkey vkey input.json. Warms up
// once, prints "ready", then proves once per stdin line and prints {"ms", "peakMb", "threads"}
// (peakMb: the process's peak resident memory so far, every worker and helper thread included).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createNodeWorkerFactory, createProver } from "../dist/node.js";

const [wasmPath, zkeyPath, vkeyPath, inputPath] = process.argv.slice(2);
// VmHWM (this process's peak since exec), not getrusage's maxRSS, which Linux carries over from the parent.
const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const ref = (kind) => ({ url: `file:${kind}`, bytes: 0, sha256: "" });
const id = "synthetic";
const prover = createProver({
  circuits: [{ id, wasm: ref("wasm"), zkey: ref("zkey"), vkey: ref("vkey") }],
  artifacts: {
    load: async () => ({ circuitId: id, wasm: new Uint8Array(readFileSync(wasmPath)), zkey: new Uint8Array(readFileSync(zkeyPath)), vkey: JSON.parse(readFileSync(vkeyPath, "utf8")), networkBytes: 0 }),
  },
  workerFactory: createNodeWorkerFactory(),
  timeoutMs: 2_000_000_000,
});
try {
  const first = await prover.prove(id, input);
  if (!first.verified) throw new Error("unverified proof");
  console.log("ready");
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === "exit") break;
    const t0 = performance.now();
    const r = await prover.prove(id, input);
    console.log(JSON.stringify({ ms: performance.now() - t0, peakMb: peakMb(), threads: r.threads ?? 1, verified: r.verified }));
  }
} catch (error) {
  console.log(JSON.stringify({ error: `${error?.code ?? error?.name}: ${error?.message}` }));
}
prover.dispose();
process.exit(0);
