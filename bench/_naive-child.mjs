// The naive call, as a dapp writes it in Node: snarkjs.groth16.fullProve with its default
// threads, on the main thread of its own process (snarkjs's threads cannot start inside
// worker_threads), bytes in memory. argv: wasm zkey input.json. Warms up once, prints "ready",
// then proves once per stdin line and prints {"ms": ..., "peakMb": ...} per proof (peakMb: the
// process's peak resident memory so far, its threads included).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import * as snarkjs from "snarkjs";

const [wasmPath, zkeyPath, inputPath] = process.argv.slice(2);
// VmHWM, not getrusage's maxRSS, which Linux carries over from the forking parent.
const peakMb = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
const wasm = new Uint8Array(readFileSync(wasmPath));
const zkey = new Uint8Array(readFileSync(zkeyPath));
const input = JSON.parse(readFileSync(inputPath, "utf8"));
await snarkjs.groth16.fullProve(input, wasm, zkey);
console.log("ready");
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "exit") break;
  const t0 = performance.now();
  await snarkjs.groth16.fullProve(input, wasm, zkey);
  console.log(JSON.stringify({ ms: performance.now() - t0, peakMb: peakMb() }));
}
await globalThis.curve_bn128?.terminate();
process.exit(0);
