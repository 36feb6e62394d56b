/**
 * BN254 arithmetic compiled from `native/bn254/*.c` to `bn254.wasm` (`npm run native:build`).
 *
 * Byte layout, chosen to be exactly what snarkjs hands to ffjavascript so a prover can pass zkey
 * sections and witness bytes through without conversion:
 * - G1 point: 64 bytes, affine `x ‖ y`, each coordinate a 32-byte little-endian Fq element in
 *   Montgomery form with R = 2^256 (ffjavascript's `G1.toRprLEM`, the zkey sections 5, 6, 8, 9).
 *   The point at infinity is all zeros (ffjavascript's `zeroAffine`).
 * - Scalar: 32 bytes, little-endian, standard (not Montgomery) form: the `.wtns` section 2 that
 *   snarkjs passes to `G1.multiExpAffine`, and the H coefficients after `batchFromMontgomery`.
 *   Values >= r are accepted and reduced.
 * The result is one 64-byte point in the same form, which ffjavascript's `G1.add`/`G1.eq` accept
 * as an affine operand.
 *
 * Instantiation does nothing but compile and link: no work happens at import time, and the wasm
 * memory starts small and grows on each call to what that call needs (an MSM: its inputs, 72
 * bytes per decoded base and about 215 of scratch, which stops growing at about 130 MiB); it
 * never shrinks, so drop the instance to give memory back.
 */

/**
 * Raw exports of the shipped bn254.wasm (what the prover calls); pointers are byte offsets into
 * `memory`. Single field and point operations exist only in the test build (native/bn254-test.wasm,
 * TEST_EXPORT in native/bn254/base.h).
 */
export interface Bn254Exports {
  readonly memory: WebAssembly.Memory;
  /** Frees every allocation: the next call lays out its inputs from the start of the heap. */
  bn_reset(): void;
  /** Zeroes and frees everything above the kept region that any call has used (witness, scalars, digits). */
  bn_wipe(): void;
  /** Keeps everything allocated so far across `bn_reset` (decoded bases); only a new instance frees it. */
  bn_keep(): void;
  /** Allocates `bytes` (64-byte aligned), growing memory; 0 when memory cannot grow. */
  bn_alloc(bytes: number): number;
  /** Index of the first of `count` G1 (G2) points with a coordinate >= p or off the curve; `count` when none. */
  bn_g1_check(points: number, count: number): number;
  bn_g2_check(points: number, count: number): number;
  /** out = acc + [k]p in constant time (native/bn254/ct_template.h): points zkey form, k 32 bytes LE. */
  g1_mul_add_ct(out: number, acc: number, p: number, k: number): void;
  g2_mul_add_ct(out: number, acc: number, p: number, k: number): void;
  /** Status 0, or 1 when memory could not grow. */
  g1_msm(out: number, points: number, scalars: number, n: number, window: number, options: number): number;
  g2_msm(out: number, points: number, scalars: number, n: number, window: number, options: number): number;
  /** Decodes `count` zkey-form points into slots `first`.. of a kept array (72 bytes a G1 point, 144 a G2 point). */
  g1_decode(pts: number, first: number, points: number, count: number): void;
  g2_decode(pts: number, first: number, points: number, count: number): void;
  g1_msm_decoded(out: number, pts: number, scalars: number, n: number, window: number, options: number): number;
  g2_msm_decoded(out: number, pts: number, scalars: number, n: number, window: number, options: number): number;
  /** The H evaluations (native/bn254/h_poly.c); status 0, 1 when memory could not grow, 2 on a coefficient out of range. */
  h_poly(out: number, coefs: number, nCoefs: number, witness: number, nVars: number, log2Domain: number): number;
}

/** Tuning knobs of {@link Bn254Wasm.g1Msm}; the defaults are what the bench measured best. */
export interface MsmOptions {
  /** Bits per Pippenger window, 2..15. @default chosen from n by an operation-count model */
  readonly window?: number;
  /** Split scalars with the GLV endomorphism (half the windows, twice the points). @default true */
  readonly glv?: boolean;
  /** log2 of the points per pass, 1..20 (tests reach the multi-pass path with few points). @default 2^20 (G1), 2^19 (G2) */
  readonly passLog2?: number;
}

export interface Bn254Wasm {
  /**
   * Sum of `scalars[i] * points[i]` for i < n (layouts in the module comment): 64-byte affine
   * point in zkey form. Inputs are copied into wasm memory; the arrays are not modified.
   */
  g1Msm(points: Uint8Array, scalars: Uint8Array, n: number, options?: MsmOptions): Uint8Array;
  /**
   * G2 counterpart of g1Msm: `points` are 128-byte affine G2 points in zkey form (x = c0 ‖ c1,
   * then y; infinity all zeros), the result one such point. GLV applies as on G1 (no 4-way GLS).
   */
  g2Msm(points: Uint8Array, scalars: Uint8Array, n: number, options?: MsmOptions): Uint8Array;
  /**
   * `acc + k * p` with a constant-time scalar multiplication (no branch or address depends on
   * k): the proof's blinding terms, whose scalars are secret. Points in zkey form (64 bytes G1,
   * 128 bytes G2), k 32 bytes little-endian; the scalar's copy in wasm memory is zeroed after.
   */
  g1MulAdd(acc: Uint8Array, p: Uint8Array, k: Uint8Array): Uint8Array;
  g2MulAdd(acc: Uint8Array, p: Uint8Array, k: Uint8Array): Uint8Array;
  /** The raw module, for tests and for a prover that keeps its buffers inside wasm memory. */
  readonly exports: Bn254Exports;
}

/*
 * The C side's record layouts, declared once here: every other module sizes its buffers in
 * wasm memory from these (and moves bytes through the functions below), never from literals.
 */
export const G1_POINT_BYTES = 64;
export const G2_POINT_BYTES = 128;
export const SCALAR_BYTES = 32;
/** A decoded (kept) base in wasm memory: two coordinates of 9 limbs of 29 bits (G2: of Fp2). */
export const G1_KEPT_BYTES = 72;
export const G2_KEPT_BYTES = 144;
/** A QAP coefficient record (zkey section 4 after its count): matrix, constraint, signal (u32 each), value (32 bytes). */
export const COEF_RECORD_BYTES = 44;
/** Bytes of one zkey-form point of `group` (64 for G1, 128 for G2). */
export const pointBytes = (group: 1 | 2): number => (group === 1 ? G1_POINT_BYTES : G2_POINT_BYTES);
/** Bytes of one decoded (kept) base of `group`. */
export const keptBytes = (group: 1 | 2): number => (group === 1 ? G1_KEPT_BYTES : G2_KEPT_BYTES);
/** Largest n an MSM takes (native/bn254/msm_template.h): the scalars alone fill 512 MiB. */
export const MAX_G1_MSM_POINTS = 1 << 24;
/** zkey-form points decoded per call: the copy in wasm scratch stays small (1 MiB of G1 points). */
const DECODE_STEP_POINTS = 16384;

/**
 * Decodes zkey-form points into slots `first`.. of a kept array at `dst` (kept below the
 * arena's floor), a step at a time so that the copy in scratch stays small; returns the count.
 */
export function decodeInto(e: Bn254Exports, group: 1 | 2, dst: number, first: number, bytes: Uint8Array): number {
  const size = pointBytes(group);
  const count = bytes.byteLength / size;
  for (let done = 0; done < count; done += DECODE_STEP_POINTS) {
    const step = Math.min(DECODE_STEP_POINTS, count - done);
    e.bn_reset();
    const src = allocBytes(e, bytes.subarray(done * size, (done + step) * size), "points to decode");
    (group === 1 ? e.g1_decode : e.g2_decode)(dst, first + done, src, step);
  }
  e.bn_reset();
  return count;
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
  return {
    exports,
    g1Msm: (points, scalars, n, options = {}) => msm(exports, 1, points, scalars, n, options),
    g2Msm: (points, scalars, n, options = {}) => msm(exports, 2, points, scalars, n, options),
    g1MulAdd: (acc, p, k) => mulAdd(exports, 1, acc, p, k),
    g2MulAdd: (acc, p, k) => mulAdd(exports, 2, acc, p, k),
  };
}

/** What one wasm32 memory can address; an allocation size is passed to wasm as a 32-bit integer. */
const WASM32_BYTES = 2 ** 32;

/**
 * Allocates in wasm memory or throws RangeError (callers map it to their out-of-memory error,
 * ResourceExhaustedError), naming `what` when given. A size of 4 GiB or more is refused here:
 * passed on, it would wrap modulo 2^32 into a small allocation that the caller then overruns.
 */
export function alloc(e: Bn254Exports, bytes: number, what = "an allocation"): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes >= WASM32_BYTES) {
    throw new RangeError(`bn254.wasm: ${what} needs ${bytes} bytes, more than a wasm32 memory can address (4 GiB)`);
  }
  const p = e.bn_alloc(bytes) >>> 0;
  if (p === 0) throw new RangeError(`bn254.wasm: cannot grow memory by ${bytes} bytes for ${what}`);
  return p;
}

// Every access below makes its own view of memory: any allocation or call may grow it, and
// growing detaches the ArrayBuffer behind every older view.

/** Copies `bytes` into wasm memory at `ptr` (allocated by the caller). */
export function writeBytes(e: Bn254Exports, ptr: number, bytes: Uint8Array): void {
  new Uint8Array(e.memory.buffer).set(bytes, ptr);
}

/** A copy of `n` bytes of wasm memory at `ptr`: later calls may overwrite or move what is there. */
export function readBytes(e: Bn254Exports, ptr: number, n: number): Uint8Array {
  return new Uint8Array(e.memory.buffer, ptr, n).slice();
}

/** Zeroes `n` bytes of wasm memory at `ptr` (a secret's copy once it is used). */
export function zeroBytes(e: Bn254Exports, ptr: number, n: number): void {
  new Uint8Array(e.memory.buffer).fill(0, ptr, ptr + n);
}

/** Allocates room for `bytes` (at least one byte, so an empty input still has a pointer) and copies them there. */
export function allocBytes(e: Bn254Exports, bytes: Uint8Array, what?: string): number {
  const p = alloc(e, Math.max(1, bytes.byteLength), what);
  writeBytes(e, p, bytes);
  return p;
}

/** Copies `bytes` below the arena's floor, where they stay across `bn_reset` for the instance's life. */
export function keepBytes(e: Bn254Exports, bytes: Uint8Array, what?: string): number {
  e.bn_reset();
  const p = allocBytes(e, bytes, what);
  e.bn_keep();
  return p;
}

/** Current size of the instance's memory: it grows to the largest call's need and never shrinks. */
export function memoryBytes(e: Bn254Exports): number {
  return e.memory.buffer.byteLength;
}

function msm(e: Bn254Exports, group: 1 | 2, points: Uint8Array, scalars: Uint8Array, n: number, options: MsmOptions): Uint8Array {
  const name = `g${group}Msm`;
  const size = pointBytes(group);
  if (!Number.isInteger(n) || n < 0 || n > MAX_G1_MSM_POINTS) {
    throw new RangeError(`${name}: n must be an integer in 0..${MAX_G1_MSM_POINTS}, got ${n}`);
  }
  if (points.byteLength < n * size) {
    throw new RangeError(`${name}: ${n} points need ${n * size} bytes, got ${points.byteLength}`);
  }
  if (scalars.byteLength < n * SCALAR_BYTES) {
    throw new RangeError(`${name}: ${n} scalars need ${n * SCALAR_BYTES} bytes, got ${scalars.byteLength}`);
  }
  const window = options.window ?? 0;
  if (window !== 0 && !(Number.isInteger(window) && window >= 2 && window <= 15)) {
    throw new RangeError(`${name}: window must be an integer in 2..15, got ${window}`);
  }
  const passLog2 = options.passLog2 ?? 0;
  if (passLog2 !== 0 && !(Number.isInteger(passLog2) && passLog2 >= 1 && passLog2 <= 20)) {
    throw new RangeError(`${name}: passLog2 must be an integer in 1..20, got ${passLog2}`);
  }
  const flags = (options.glv === false ? 1 : 0) | (passLog2 << 8);
  e.bn_reset();
  const out = alloc(e, size);
  const pp = allocBytes(e, points.subarray(0, n * size));
  const sp = allocBytes(e, scalars.subarray(0, n * SCALAR_BYTES));
  const status = group === 1 ? e.g1_msm(out, pp, sp, n, window, flags) : e.g2_msm(out, pp, sp, n, window, flags);
  if (status !== 0) throw new RangeError(`${name}: bn254.wasm could not grow memory for n = ${n}`);
  return readBytes(e, out, size);
}

/**
 * acc + [k]p through the constant-time export, laid out above whatever the arena holds now (a
 * prover's proof scratch stays in place); the copy of k is zeroed before returning.
 */
export function mulAdd(e: Bn254Exports, group: 1 | 2, acc: Uint8Array, p: Uint8Array, k: Uint8Array): Uint8Array {
  const bytes = pointBytes(group);
  if (acc.byteLength !== bytes || p.byteLength !== bytes || k.byteLength !== SCALAR_BYTES) {
    throw new RangeError(`g${group}MulAdd: points must be ${bytes} bytes and k ${SCALAR_BYTES}`);
  }
  const out = alloc(e, bytes), ap = allocBytes(e, acc), pp = allocBytes(e, p), kp = allocBytes(e, k);
  (group === 1 ? e.g1_mul_add_ct : e.g2_mul_add_ct)(out, ap, pp, kp);
  const result = readBytes(e, out, bytes);
  zeroBytes(e, kp, SCALAR_BYTES);
  return result;
}
