// The "bare snarkjs" side of bench/overhead.mjs: one worker_threads worker that receives the
// artifacts once and runs snarkjs.groth16.fullProve exactly as a caller would without proofline.
// mode "memory": same in-memory bytes every time; mode "paths": file paths each time (typical dapp).
import { parentPort } from "node:worker_threads";

const snarkjs = await import("snarkjs");
const circuits = new Map();
parentPort.on("message", async (msg) => {
  if (msg.type === "load") {
    circuits.set(msg.id, msg);
    parentPort.postMessage({ ok: true });
    return;
  }
  const c = circuits.get(msg.id);
  const t0 = performance.now();
  try {
    const [wasm, zkey] = msg.mode === "paths" ? [c.wasmPath, c.zkeyPath] : [c.wasm, c.zkey];
    // singleThread: snarkjs's own threads cannot start inside worker_threads.
    const { publicSignals } = await snarkjs.groth16.fullProve(msg.input, wasm, zkey, undefined, undefined, { singleThread: true });
    parentPort.postMessage({ ok: true, ms: performance.now() - t0, n: publicSignals.length });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String(e) });
  }
});
