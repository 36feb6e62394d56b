// Child process for bench/threads.mjs: snarkjs with its OWN threads (they cannot start inside
// worker_threads, so threaded proving in Node needs a process). Warm: one proof before "ready".
// argv: wasm zkey input.json count. Prints "ready", waits for "go" on stdin, proves `count`
// times sequentially, prints one JSON line {times}.
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";

const [wasmPath, zkeyPath, inputPath, count] = process.argv.slice(2);
const wasm = readFileSync(wasmPath);
const zkey = readFileSync(zkeyPath);
const input = JSON.parse(readFileSync(inputPath, "utf8"));
await snarkjs.groth16.fullProve(input, wasm, zkey);
console.log("ready");
process.stdin.once("data", async () => {
  const times = [];
  for (let i = 0; i < Number(count); i++) {
    const t0 = performance.now();
    await snarkjs.groth16.fullProve(input, wasm, zkey);
    times.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ times }));
  await globalThis.curve_bn128?.terminate();
  process.exit(0);
});
