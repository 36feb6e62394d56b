import { afterAll, beforeAll } from "vitest";
// Shared set-up of the bn254.wasm differential tests: the module, byte helpers, a seeded random
// source (a failure names its seed and reproduces), and the single-threaded ffjavascript curve
// that serves as the reference.
import { seededRandom } from "../../../../src/lib/proof/testing/fault-plan.js";
import { readFileSync } from "node:fs";
import { buildBn128 } from "ffjavascript";
import { instantiateBn254Wasm, type Bn254Wasm } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

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

export const loadWasm = (): Promise<Bn254Wasm> =>
  instantiateBn254Wasm(readFileSync(new URL("../../../../src/lib/proof/worker/bn254/bn254.wasm", import.meta.url)));

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
  constructor(readonly wasm: Bn254Wasm) {
    wasm.exports.bn_reset();
  }
  alloc(bytes: number): number {
    const p = this.wasm.exports.bn_alloc(bytes) >>> 0;
    if (!p) throw new Error("bn254.wasm out of memory");
    return p;
  }
  put(bytes: Uint8Array): number {
    const p = this.alloc(Math.max(bytes.length, 1));
    new Uint8Array(this.wasm.exports.memory.buffer).set(bytes, p);
    return p;
  }
  get(ptr: number, n: number): Uint8Array {
    return new Uint8Array(this.wasm.exports.memory.buffer, ptr, n).slice();
  }
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
