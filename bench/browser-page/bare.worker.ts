// Bare snarkjs in a plain module worker: what a dapp without proofline would do. Holds the
// artifact bytes after the first call so "warm" means the same thing as for proofline.
import * as snarkjs from "snarkjs";

let wasm: Uint8Array | undefined;
let zkey: Uint8Array | undefined;

self.onmessage = async (event: MessageEvent) => {
  const { input, wasmBytes, zkeyBytes, singleThread } = event.data;
  if (wasmBytes) wasm = wasmBytes;
  if (zkeyBytes) zkey = zkeyBytes;
  try {
    const t0 = performance.now();
    const args: unknown[] = [input, wasm, zkey];
    if (singleThread) args.push(undefined, undefined, { singleThread: true });
    const { publicSignals } = await (snarkjs.groth16.fullProve as (...a: unknown[]) => Promise<{ publicSignals: string[] }>)(...args);
    self.postMessage({ ok: true, ms: performance.now() - t0, publicSignals });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
