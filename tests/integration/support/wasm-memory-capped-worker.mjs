/**
 * TEST-ONLY prover worker: the real built worker (dist/prover.node-worker.js) on a "device"
 * whose growable WebAssembly memories are capped at WASM_PAGE_CAP pages (64 KiB each), in the
 * prover worker and in every helper thread it starts for a threaded proof.
 *
 * Nothing is faked: snarkjs/ffjavascript really grow their wasm heaps while proving and V8 really
 * refuses to grow past the cap ("WebAssembly.Memory.grow(): Maximum memory size exceeded"),
 * which the worker classifies as RESOURCE_EXHAUSTED. Measured (single-threaded snarkjs 0.7.6):
 * the prover heap peaks at 33 pages for ebsl-16 and 117 pages for ebsl-64, so a 64-page cap
 * fails the medium circuit and not the small one. circom's witness memory (reserved once at its
 * full size, no `maximum`) is left alone.
 *
 * Helper threads run the thread source ffjavascript hands to the built worker's helper Worker
 * class (in Node's CommonJS cache under the path ffjavascript resolves `web-worker` to; see
 * src/lib/proof/worker/node-helper-threads.ts): a subclass puts the same cap in front of that source.
 * ffjavascript is imported only at init, after this file has installed the subclass.
 *
 * Lives under tests/ only; no package entry can reach it.
 */
import { createRequire, Module } from "node:module";

const WASM_PAGE_CAP = 64;

/** Cap every WebAssembly.Memory created after it runs, in whichever thread runs it. */
function capWasmMemory(cap) {
  const NativeMemory = WebAssembly.Memory;
  class CappedMemory extends NativeMemory {
    constructor(descriptor) {
      const capped =
        descriptor && typeof descriptor.maximum === "number"
          ? { ...descriptor, maximum: Math.max(descriptor.initial ?? 0, Math.min(descriptor.maximum, cap)) }
          : descriptor;
      super(capped);
    }
  }
  WebAssembly.Memory = CappedMemory;
}
capWasmMemory(WASM_PAGE_CAP);

await import(new URL("../../../dist/prover.node-worker.js", import.meta.url).href);

const require = createRequire(import.meta.url);
const path = createRequire(require.resolve("ffjavascript")).resolve("web-worker");
const cached = Module._cache[path];
const HelperWorker = cached.exports;
const prelude = `(${capWasmMemory.toString()})(${WASM_PAGE_CAP});\n`;
cached.exports = class CappedHelper extends HelperWorker {
  constructor(url, options) {
    const source = Buffer.from(String(url).slice(String(url).indexOf(",") + 1), "base64").toString("utf8");
    super(`data:application/javascript;base64,${Buffer.from(prelude + source).toString("base64")}`, options);
  }
};
