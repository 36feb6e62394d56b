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

/** Raw exports of bn254.wasm; pointers are byte offsets into `memory`. */
export interface Bn254Exports {
  readonly memory: WebAssembly.Memory;
  /** Frees every allocation: the next call lays out its inputs from the start of the heap. */
  bn_reset(): void;
  /** Zeroes and frees everything above the kept region that any call has used (witness, scalars, digits). */
  bn_wipe(): void;
  /** The C stack's bounds in memory: 0 its lowest address, 1 one past its highest. */
  bn_stack_bound(which: 0 | 1): number;
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
  g1_msm(out: number, points: number, scalars: number, n: number, window: number, options: number): number;
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
  /** Decodes `count` zkey-form points into slots `first`.. of a kept array (72 bytes a G1 point, 144 a G2 point). */
  g1_decode(pts: number, first: number, points: number, count: number): void;
  g1_msm_decoded(out: number, pts: number, scalars: number, n: number, window: number, options: number): number;
  g2_decode(pts: number, first: number, points: number, count: number): void;
  g2_msm_decoded(out: number, pts: number, scalars: number, n: number, window: number, options: number): number;
  g2_msm(out: number, points: number, scalars: number, n: number, window: number, options: number): number;
  fp2_op(op: number, z: number, a: number, b: number): void;
  fp2_from_ff(z: number, w: number): void;
  fp2_to_ff(w: number, z: number): void;
  fr_fft(a: number, log2n: number, inverse: number): number;
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
   * The H scalars of a Groth16 proof exactly as snarkjs 0.7.6 computes them (native/bn254/h_poly.c):
   * `2^log2Domain` values of 32 bytes, standard form. `coefs`: zkey section 4 after its count
   * (44-byte records); `witness`: `nVars` values of 32 bytes (a .wtns section 2).
   */
  hEvaluations(coefs: Uint8Array, nCoefs: number, witness: Uint8Array, nVars: number, log2Domain: number): Uint8Array;
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

export const G1_POINT_BYTES = 64;
export const G2_POINT_BYTES = 128;
export const SCALAR_BYTES = 32;
/** A decoded (kept) base in wasm memory: two coordinates of 9 limbs of 29 bits (G2: of Fp2). */
export const G1_KEPT_BYTES = 72;
export const G2_KEPT_BYTES = 144;
/** Largest n an MSM takes (native/bn254/msm_template.h): the scalars alone fill 512 MiB. */
export const MAX_G1_MSM_POINTS = 1 << 24;
/** zkey-form points decoded per call: the copy in wasm scratch stays small (1 MiB of G1 points). */
const DECODE_STEP_POINTS = 16384;

/**
 * Decodes zkey-form points into slots `first`.. of a kept array at `dst` (kept below the
 * arena's floor), a step at a time so that the copy in scratch stays small; returns the count.
 */
export function decodeInto(e: Bn254Exports, group: 1 | 2, dst: number, first: number, bytes: Uint8Array): number {
  const size = group === 1 ? G1_POINT_BYTES : G2_POINT_BYTES;
  const count = bytes.byteLength / size;
  for (let done = 0; done < count; done += DECODE_STEP_POINTS) {
    const step = Math.min(DECODE_STEP_POINTS, count - done);
    e.bn_reset();
    const src = alloc(e, step * size, "points to decode");
    new Uint8Array(e.memory.buffer).set(bytes.subarray(done * size, (done + step) * size), src);
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
    hEvaluations: (coefs, nCoefs, witness, nVars, log2Domain) => hEvaluations(exports, coefs, nCoefs, witness, nVars, log2Domain),
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

function msm(e: Bn254Exports, group: 1 | 2, points: Uint8Array, scalars: Uint8Array, n: number, options: MsmOptions): Uint8Array {
  const name = `g${group}Msm`;
  const pointBytes = group === 1 ? G1_POINT_BYTES : G2_POINT_BYTES;
  if (!Number.isInteger(n) || n < 0 || n > MAX_G1_MSM_POINTS) {
    throw new RangeError(`${name}: n must be an integer in 0..${MAX_G1_MSM_POINTS}, got ${n}`);
  }
  if (points.byteLength < n * pointBytes) {
    throw new RangeError(`${name}: ${n} points need ${n * pointBytes} bytes, got ${points.byteLength}`);
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
  const out = alloc(e, pointBytes);
  const pp = alloc(e, n * pointBytes);
  const sp = alloc(e, n * SCALAR_BYTES);
  // Views are taken after the allocations: growing memory detaches earlier ArrayBuffers.
  const heap = new Uint8Array(e.memory.buffer);
  heap.set(points.subarray(0, n * pointBytes), pp);
  heap.set(scalars.subarray(0, n * SCALAR_BYTES), sp);
  const status = group === 1 ? e.g1_msm(out, pp, sp, n, window, flags) : e.g2_msm(out, pp, sp, n, window, flags);
  if (status !== 0) throw new RangeError(`${name}: bn254.wasm could not grow memory for n = ${n}`);
  return new Uint8Array(e.memory.buffer, out, pointBytes).slice();
}

/**
 * acc + [k]p through the constant-time export, laid out above whatever the arena holds now (a
 * prover's proof scratch stays in place); the copy of k is zeroed before returning.
 */
export function mulAdd(e: Bn254Exports, group: 1 | 2, acc: Uint8Array, p: Uint8Array, k: Uint8Array): Uint8Array {
  const bytes = group === 1 ? G1_POINT_BYTES : G2_POINT_BYTES;
  if (acc.byteLength !== bytes || p.byteLength !== bytes || k.byteLength !== SCALAR_BYTES) {
    throw new RangeError(`g${group}MulAdd: points must be ${bytes} bytes and k ${SCALAR_BYTES}`);
  }
  const out = alloc(e, bytes), ap = alloc(e, bytes), pp = alloc(e, bytes), kp = alloc(e, SCALAR_BYTES);
  const heap = new Uint8Array(e.memory.buffer);
  heap.set(acc, ap), heap.set(p, pp), heap.set(k, kp);
  (group === 1 ? e.g1_mul_add_ct : e.g2_mul_add_ct)(out, ap, pp, kp);
  const result = new Uint8Array(e.memory.buffer, out, bytes).slice();
  new Uint8Array(e.memory.buffer).fill(0, kp, kp + SCALAR_BYTES);
  return result;
}

const COEF_RECORD_BYTES = 44;

function hEvaluations(e: Bn254Exports, coefs: Uint8Array, nCoefs: number, witness: Uint8Array, nVars: number, log2Domain: number): Uint8Array {
  if (!Number.isInteger(log2Domain) || log2Domain < 1 || log2Domain > 24) {
    throw new RangeError(`hEvaluations: log2Domain must be an integer in 1..24, got ${log2Domain}`);
  }
  if (coefs.byteLength < nCoefs * COEF_RECORD_BYTES || witness.byteLength < nVars * SCALAR_BYTES) {
    throw new RangeError("hEvaluations: coefficient or witness bytes shorter than their counts");
  }
  const n = 2 ** log2Domain;
  e.bn_reset();
  const out = alloc(e, n * SCALAR_BYTES);
  const cp = alloc(e, Math.max(1, nCoefs * COEF_RECORD_BYTES));
  const wp = alloc(e, Math.max(1, nVars * SCALAR_BYTES));
  const heap = new Uint8Array(e.memory.buffer);
  heap.set(coefs.subarray(0, nCoefs * COEF_RECORD_BYTES), cp);
  heap.set(witness.subarray(0, nVars * SCALAR_BYTES), wp);
  const status = e.h_poly(out, cp, nCoefs, wp, nVars, log2Domain);
  if (status === 1) throw new RangeError(`hEvaluations: bn254.wasm could not grow memory for 2^${log2Domain}`);
  if (status !== 0) throw new RangeError("hEvaluations: a coefficient names a matrix, constraint or signal out of range");
  return new Uint8Array(e.memory.buffer, out, n * SCALAR_BYTES).slice();
}
