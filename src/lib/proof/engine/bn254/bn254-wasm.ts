/**
 * BN254 arithmetic compiled from `native/bn254/*.c` to `bn254.wasm` (`npm run native:build`).
 *
 * Field elements cross into the module in ffjavascript's form: 32 bytes little-endian in
 * Montgomery form with R = 2^256 (what zkeys store), or in standard form for scalars. G1 points
 * are 64 bytes, affine x ‖ y in that form, infinity all zeros (ffjavascript's `zeroAffine`).
 *
 * Instantiation does nothing but compile and link: no work happens at import time, and the wasm
 * memory starts small and grows on each call to what that call needs; it never shrinks, so drop
 * the instance to give memory back.
 */

/** Raw exports of bn254.wasm; pointers are byte offsets into `memory`. */
export interface Bn254Exports {
  readonly memory: WebAssembly.Memory;
  /** Frees every allocation: the next call lays out its inputs from the start of the heap. */
  bn_reset(): void;
  /** Allocates `bytes` (64-byte aligned), growing memory; 0 when memory cannot grow. */
  bn_alloc(bytes: number): number;
  fp_op(op: number, z: number, a: number, b: number): void;
  fr_op(op: number, z: number, a: number, b: number): void;
  fp_from_ff(z: number, w: number): void;
  fp_to_ff(w: number, z: number): void;
  fp_from_std(z: number, w: number): void;
  fp_to_std(w: number, z: number): void;
  fr_from_ff(z: number, w: number): void;
  fr_to_ff(w: number, z: number): void;
  fr_from_std(z: number, w: number): void;
  fr_to_std(w: number, z: number): void;
  g1_op(op: number, out: number, p: number, zp: number, q: number, zq: number): void;
  g1_batch_add(out: number, ab: number, count: number, work: number): void;
}

export interface Bn254Wasm {
  /** The raw module, for tests and for a prover that keeps its buffers inside wasm memory. */
  readonly exports: Bn254Exports;
}

/**
 * Compiles (or takes) the module and instantiates it. Pass the bytes of `bn254.wasm`, e.g.
 * `readFile(new URL("./bn254.wasm", import.meta.url))` in Node or the response of `fetch` in a
 * browser, or an already compiled `WebAssembly.Module` to instantiate it again.
 */
export async function instantiateBn254Wasm(source: BufferSource | WebAssembly.Module): Promise<Bn254Wasm> {
  const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
  const instance = await WebAssembly.instantiate(module, {});
  const exports = instance.exports as unknown as Bn254Exports;
  return { exports };
}
