import { afterAll, beforeAll } from "vitest";
// Shared set-up of the bn254.wasm differential tests: the shipped module and the test build (the
// same sources exporting single field and point operations too), byte helpers, a seeded random
// source (a failure names its seed and reproduces), and the single-threaded ffjavascript curve
// that serves as the reference.
import { seededRandom } from "../../../../src/lib/proof/testing/fault-plan.js";
import { readFileSync } from "node:fs";
import { buildBn128 } from "ffjavascript";
import {
  alloc,
  allocBytes,
  COEF_RECORD_BYTES,
  instantiateBn254Wasm,
  readBytes,
  SCALAR_BYTES,
  type Bn254Exports,
  type Bn254Wasm,
} from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** The parts of ffjavascript's bn128 curve the tests use; its buffers are Uint8Arrays. */
export interface FfField {
  e(v: bigint | number | string): Uint8Array;
  toObject(a: Uint8Array): bigint;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  sub(a: Uint8Array, b: Uint8Array): Uint8Array;
  mul(a: Uint8Array, b: Uint8Array): Uint8Array;
  square(a: Uint8Array): Uint8Array;
  neg(a: Uint8Array): Uint8Array;
  inv(a: Uint8Array): Uint8Array;
}
export interface FfG1 {
  g: Uint8Array;
  zero: Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  double(a: Uint8Array): Uint8Array;
  neg(a: Uint8Array): Uint8Array;
  toAffine(a: Uint8Array): Uint8Array;
  timesScalar(a: Uint8Array, k: bigint): Uint8Array;
  multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
}
export interface FfCurve {
  F1: FfField;
  Fr: FfField;
  G1: FfG1;
  terminate(): Promise<void>;
}

/** The shipped bn254.wasm. */
export const loadWasm = (): Promise<Bn254Wasm> =>
  instantiateBn254Wasm(readFileSync(new URL("../../../../src/lib/proof/worker/bn254/bn254.wasm", import.meta.url)));

/**
 * Exports only the test build (native/bn254-test.wasm, `npm run native:build`) has: the shipped
 * ones plus single operations. `op`: 0 add, 1 sub, 2 mul, 3 square, 4 neg, 5 inv, 6 canonical
 * (native/bn254/field_exports.c); field elements 36 bytes internal (Fp2: 72), `_ff` the zkey's
 * Montgomery form, `_std` plain little-endian.
 */
export interface Bn254TestExports extends Bn254Exports {
  /** The C stack's bounds in memory: 0 its lowest address, 1 one past its highest. */
  bn_stack_bound(which: 0 | 1): number;
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
  fp2_op(op: number, z: number, a: number, b: number): void;
  fp2_from_ff(z: number, w: number): void;
  fp2_to_ff(w: number, z: number): void;
  fr_fft(a: number, log2n: number, inverse: number): number;
}

export interface Bn254TestWasm extends Omit<Bn254Wasm, "exports"> {
  readonly exports: Bn254TestExports;
  /**
   * The H scalars of a Groth16 proof as snarkjs 0.7.6 computes them (native/bn254/h_poly.c):
   * `2^log2Domain` values of 32 bytes, standard form. `coefs`: zkey section 4 after its count
   * (44-byte records); `witness`: `nVars` values of 32 bytes (a .wtns section 2).
   */
  hEvaluations(coefs: Uint8Array, nCoefs: number, witness: Uint8Array, nVars: number, log2Domain: number): Uint8Array;
}

/** The test build: the shipped exports plus single field and point operations. */
export const loadTestWasm = async (): Promise<Bn254TestWasm> => {
  const wasm = await instantiateBn254Wasm(readFileSync(new URL("../../../../native/bn254-test.wasm", import.meta.url)));
  const exports = wasm.exports as Bn254TestExports;
  return { ...wasm, exports, hEvaluations: (...args) => hEvaluations(exports, ...args) };
};

function hEvaluations(e: Bn254Exports, coefs: Uint8Array, nCoefs: number, witness: Uint8Array, nVars: number, log2Domain: number): Uint8Array {
  if (coefs.byteLength < nCoefs * COEF_RECORD_BYTES || witness.byteLength < nVars * SCALAR_BYTES) {
    throw new RangeError("hEvaluations: coefficient or witness bytes shorter than their counts");
  }
  const n = 2 ** log2Domain;
  e.bn_reset();
  const out = alloc(e, n * SCALAR_BYTES);
  const cp = allocBytes(e, coefs.subarray(0, nCoefs * COEF_RECORD_BYTES));
  const wp = allocBytes(e, witness.subarray(0, nVars * SCALAR_BYTES));
  const status = e.h_poly(out, cp, nCoefs, wp, nVars, log2Domain);
  if (status === 1) throw new RangeError(`hEvaluations: bn254.wasm could not grow memory for 2^${log2Domain}`);
  if (status !== 0) throw new RangeError("hEvaluations: a coefficient names a matrix, constraint or signal out of range");
  return readBytes(e, out, n * SCALAR_BYTES);
}

export const buildCurve = async (): Promise<FfCurve> => (await buildBn128(true)) as FfCurve;

/** The project's seeded mulberry32 (proofline/testing): failures reproduce from the seed. */
export const seeded = seededRandom;

/** Uniform bigint below `bound` from 32-bit draws (rejection keeps it uniform). */
export function randomBelow(next: () => number, bound: bigint): bigint {
  const bits = bound.toString(2).length;
  for (;;) {
    let v = 0n;
    for (let i = 0; i < Math.ceil(bits / 32); i++) v = (v << 32n) | BigInt(Math.floor(next() * 2 ** 32));
    v &= (1n << BigInt(bits)) - 1n;
    if (v < bound) return v;
  }
}

export function leBytes(v: bigint, n = 32): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

export function fromLe(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** A scratch area in wasm memory: allocate, write, call, read; reset before each use. */
export class Heap {
  constructor(readonly wasm: Bn254TestWasm) {
    wasm.exports.bn_reset();
  }
  alloc(bytes: number): number {
    return alloc(this.wasm.exports, bytes);
  }
  put(bytes: Uint8Array): number {
    return allocBytes(this.wasm.exports, bytes);
  }
  get(ptr: number, n: number): Uint8Array {
    return readBytes(this.wasm.exports, ptr, n);
  }
}

/**
 * A wasm instance (`load`) and ffjavascript's curve for one test file: built before its tests,
 * handed to `set`, and the curve's threads released after them.
 */
export function withCurve<W>(load: () => Promise<W>, set: (wasm: W, curve: FfCurve) => void): void {
  let built: FfCurve | undefined;
  beforeAll(async () => {
    const [wasm, curve] = await Promise.all([load(), buildCurve()]);
    built = curve;
    set(wasm, curve);
  });
  afterAll(async () => {
    await built?.terminate();
  });
}

/** A group of ffjavascript's curve as the split tests use it (points in its own form). */
export interface FfGroup {
  g: Uint8Array;
  zero: Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  toAffine(a: Uint8Array): Uint8Array;
  timesScalar(a: Uint8Array, k: bigint): Uint8Array;
}

/** bn254.wasm and ffjavascript's G1 and G2 for one test file, built before its tests and released after. */
export function wasmAndGroups(): { readonly wasm: Bn254Wasm; readonly curve: FfCurve; readonly G1: FfGroup; readonly G2: FfGroup } {
  const ctx = {} as { wasm: Bn254Wasm; curve: FfCurve; G1: FfGroup; G2: FfGroup };
  beforeAll(async () => {
    [ctx.wasm, ctx.curve] = await Promise.all([loadWasm(), buildCurve()]);
    ctx.G1 = ctx.curve.G1 as unknown as FfGroup;
    ctx.G2 = (ctx.curve as unknown as { G2: FfGroup }).G2;
  });
  afterAll(async () => {
    await ctx.curve?.terminate();
  });
  return ctx;
}
