/**
 * TEST-ONLY prover worker: the real built worker (dist/prover.node-worker.js) on a "device"
 * whose growable WebAssembly memories are capped at WASM_PAGE_CAP pages (64 KiB each).
 *
 * Nothing is faked: snarkjs/ffjavascript really grow their wasm heap while proving and V8 really
 * refuses to grow past the cap ("WebAssembly.Memory.grow(): Maximum memory size exceeded"),
 * which the worker classifies as RESOURCE_EXHAUSTED. Measured (single-threaded snarkjs 0.7.6):
 * the prover heap peaks at 33 pages for ebsl-16 and 117 pages for ebsl-64, so a 64-page cap
 * fails the medium circuit and not the small one. circom's witness memory (reserved once at its
 * full size, no `maximum`) is left alone.
 *
 * Lives under tests/ only; no package entry can reach it.
 */
const WASM_PAGE_CAP = 64;

const NativeMemory = WebAssembly.Memory;
class CappedMemory extends NativeMemory {
  constructor(descriptor) {
    const capped =
      descriptor && typeof descriptor.maximum === "number"
        ? { ...descriptor, maximum: Math.max(descriptor.initial ?? 0, Math.min(descriptor.maximum, WASM_PAGE_CAP)) }
        : descriptor;
    super(capped);
  }
}
WebAssembly.Memory = CappedMemory;

await import(new URL("../../../dist/prover.node-worker.js", import.meta.url).href);
