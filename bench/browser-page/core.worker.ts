// One contender of `npm run bench -- core --browser`, alone in its browser: the bn254.wasm prover
// on one thread ("core"), snarkjs with a warm single-threaded curve installed as its global
// ("snarkjs-1", as proofline's workers do), or snarkjs with its default threads ("snarkjs", the
// naive call). Only groth16.prove on in-memory zkey and witness bytes is timed.
import { buildBn128 } from "ffjavascript";
import * as snarkjs from "snarkjs";
import { createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";

let prove: (() => Promise<unknown>) | undefined;
let wasmBytes = () => 0;

async function setup(mode: string, zkey: Uint8Array, wtns: Uint8Array): Promise<void> {
  if (mode === "core") {
    const prover = await createGroth16Prover(zkey);
    prove = () => prover.prove(wtns);
    wasmBytes = () => prover.wasmMemoryBytes;
    return;
  }
  if (mode === "snarkjs-1") (globalThis as { curve_bn128?: unknown }).curve_bn128 = await buildBn128(true);
  prove = () => snarkjs.groth16.prove(zkey, wtns);
}

self.onmessage = async (event: MessageEvent) => {
  try {
    if (event.data.setup) {
      await setup(event.data.mode, event.data.zkey, event.data.wtns);
      await prove!(); // warm-up, not measured
      self.postMessage({ ok: true });
      return;
    }
    const t0 = performance.now();
    await prove!();
    self.postMessage({ ok: true, ms: performance.now() - t0, wasmMiB: wasmBytes() / 2 ** 20 });
  } catch (error) {
    self.postMessage({ ok: false, error: String(error) });
  }
};
