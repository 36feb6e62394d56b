// proofline in a process of its own for `npm run bench -- scale` (Node): the built package
// (dist/node.js), createProver with its defaults (bn254, adaptive threads, every core, each
// prover worker reading and checking its own files: a big zkey's bytes are let go once decoded),
// as a Node app's would be. argv: pins.json input.json, the pins being { id, wasm, zkey, vkey }
// of { url (a file path), bytes, sha256 }. Warms up once, prints "ready", then proves once per
// stdin line and prints {"ms", "peakMb", "threads"} (peakMb: the process's peak resident memory
// so far, every worker and helper thread included).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { createNodeWorkerFactory, createProver } from "../dist/node.js";

const [pinsPath, inputPath] = process.argv.slice(2);
// VmHWM (this process's peak since exec), not getrusage's maxRSS, which Linux carries over from the parent.
const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
const { id, wasm, zkey, vkey } = JSON.parse(readFileSync(pinsPath, "utf8"));
const prover = createProver({ circuits: [{ id, wasm, zkey, vkey }], workerFactory: createNodeWorkerFactory(), timeoutMs: 2_000_000_000 });
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
