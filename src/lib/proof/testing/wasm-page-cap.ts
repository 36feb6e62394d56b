/**
 * A "small device" for a whole prover worker: every growable WebAssembly memory created after
 * the call gets its `maximum` capped. TEST-ONLY (see fault-plan.ts); the fault worker entries
 * install it when their factory passes `wasmPageCap`.
 *
 * Nothing is faked: snarkjs/ffjavascript grow their heap while proving and V8 refuses to grow
 * past the cap. Measured (tests/integration/support/wasm-memory-capped-worker.mjs): the
 * single-threaded prover heap peaks at 33 pages for ebsl-16 and 117 for ebsl-64, so 64 pages
 * fails the medium circuit only. Memories without a `maximum` (circom's witness memory) are
 * left alone.
 */
const INSTALLED = Symbol.for("proofline.testing.wasmPageCap");

/** Cap growable WebAssembly memories at `pages` (64 KiB each) in this realm. Idempotent per cap. */
export function installWasmPageCap(pages: number): void {
  if (!Number.isSafeInteger(pages) || pages < 1) throw new RangeError(`wasmPageCap must be an integer >= 1, got ${String(pages)}`);
  const wasm = WebAssembly as unknown as { Memory: typeof WebAssembly.Memory; [INSTALLED]?: number };
  if (wasm[INSTALLED] !== undefined) return;
  const Native = wasm.Memory;
  class CappedMemory extends Native {
    constructor(descriptor: WebAssembly.MemoryDescriptor) {
      const capped =
        descriptor && typeof descriptor.maximum === "number"
          ? { ...descriptor, maximum: Math.max(descriptor.initial ?? 0, Math.min(descriptor.maximum, pages)) }
          : descriptor;
      super(capped);
    }
  }
  wasm.Memory = CappedMemory;
  wasm[INSTALLED] = pages;
}
