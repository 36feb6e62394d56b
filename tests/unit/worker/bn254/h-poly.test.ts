// @vitest-environment node
// The H pipeline of bn254.wasm (native/bn254/h_poly.c) against snarkjs 0.7.6's own steps run on
// ffjavascript: A and B accumulated from coefficient records as buildABC1 does (raw Montgomery
// multiply of the stored coefficient by the standard-form witness value), C = A*B, then
// ifft / batchApplyKey(1, inc) / fft per polynomial, A*B - C, fromMontgomery. Random records
// (including repeated (constraint, signal) pairs and both matrices), edge-case witness values
// (0, 1, r - 1), domains from 2^1 to 2^10, plus a corrupt record; and each
// transform alone (DIT forward, DIF inverse) against Fr.fft / Fr.ifft.
import { describe, expect, it } from "vitest";
import { withCurve, hex, leBytes, loadTestWasm, R, randomBelow, seeded, type FfCurve, type Bn254TestWasm } from "./bn254-harness.js";
import { allocBytes, readBytes } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

interface FfFr {
  zero: Uint8Array;
  w: Uint8Array[];
  shift: Uint8Array;
  s: number;
  e(v: bigint | number): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  sub(a: Uint8Array, b: Uint8Array): Uint8Array;
  mul(a: Uint8Array, b: Uint8Array): Uint8Array;
  fromMontgomery(a: Uint8Array): Uint8Array;
  ifft(a: Uint8Array): Promise<Uint8Array>;
  fft(a: Uint8Array): Promise<Uint8Array>;
  batchApplyKey(a: Uint8Array, first: Uint8Array, inc: Uint8Array): Promise<Uint8Array>;
}

let wasm: Bn254TestWasm;
let curve: FfCurve;
let Fr: FfFr;
withCurve(loadTestWasm, (w, c) => {
  wasm = w;
  curve = c;
  Fr = curve.Fr as unknown as FfFr;
});

interface Coef {
  m: number;
  c: number;
  s: number;
  v: bigint; // the value as stored: standard form of coef * R^2
}

function records(coefs: Coef[]): Uint8Array {
  const out = new Uint8Array(44 * coefs.length);
  const dv = new DataView(out.buffer);
  coefs.forEach((k, i) => {
    dv.setUint32(44 * i, k.m, true), dv.setUint32(44 * i + 4, k.c, true), dv.setUint32(44 * i + 8, k.s, true);
    out.set(leBytes(k.v), 44 * i + 12);
  });
  return out;
}

/** snarkjs 0.7.6 groth16_prove.js (buildABC1, the three transforms, joinABC) on ffjavascript. */
async function reference(coefs: Coef[], witness: bigint[], log2: number): Promise<Uint8Array> {
  const n = 1 << log2;
  const A = new Uint8Array(32 * n), B = new Uint8Array(32 * n), C = new Uint8Array(32 * n);
  const out = [A, B];
  for (const k of coefs) {
    const buf = out[k.m]!;
    buf.set(Fr.add(buf.slice(32 * k.c, 32 * k.c + 32), Fr.mul(leBytes(k.v), leBytes(witness[k.s]!))), 32 * k.c);
  }
  for (let i = 0; i < n; i++) C.set(Fr.mul(A.slice(32 * i, 32 * i + 32), B.slice(32 * i, 32 * i + 32)), 32 * i);
  const inc = log2 === Fr.s ? Fr.shift : Fr.w[log2 + 1]!;
  const odd = async (x: Uint8Array) => Fr.fft(await Fr.batchApplyKey(await Fr.ifft(x), Fr.e(1), inc));
  const [a, b, c] = [await odd(A), await odd(B), await odd(C)];
  const h = new Uint8Array(32 * n);
  for (let i = 0; i < n; i++) {
    const at = (x: Uint8Array) => x.slice(32 * i, 32 * i + 32);
    h.set(Fr.fromMontgomery(Fr.sub(Fr.mul(at(a), at(b)), at(c))), 32 * i);
  }
  return h;
}

function randomCase(seed: number, log2: number, nVars: number, nCoefs: number) {
  const next = seeded(seed);
  const n = 1 << log2;
  const edge = [0n, 1n, R - 1n];
  const witness = Array.from({ length: nVars }, (_, i) => (i === 0 ? 1n : next() < 0.3 ? edge[Math.floor(next() * 3)]! : randomBelow(next, R)));
  const coefs: Coef[] = Array.from({ length: nCoefs }, () => ({
    m: next() < 0.5 ? 0 : 1,
    c: Math.floor(next() * n),
    s: Math.floor(next() * nVars),
    v: next() < 0.2 ? edge[Math.floor(next() * 3)]! : randomBelow(next, R),
  }));
  return { witness, coefs };
}

const witnessBytes = (w: bigint[]): Uint8Array => {
  const out = new Uint8Array(32 * w.length);
  w.forEach((v, i) => out.set(leBytes(v), 32 * i));
  return out;
};

describe("hEvaluations against snarkjs's steps on ffjavascript", () => {
  for (const log2 of [1, 2, 3, 5, 8, 10]) {
    it(`domain 2^${log2}`, async () => {
      const n = 1 << log2;
      const { witness, coefs } = randomCase(0x4a11 + log2, log2, Math.max(3, n >> 1), 3 * n);
      // a record repeated exactly: the same cell accumulates twice
      coefs.push({ ...coefs[0]! });
      const ours = wasm.hEvaluations(records(coefs), coefs.length, witnessBytes(witness), witness.length, log2);
      expect(ours.some((b) => b !== 0)).toBe(true);
      expect(hex(ours)).toBe(hex(await reference(coefs, witness, log2)));
    });
  }

  it("an all-zero witness gives all-zero H; no records also", async () => {
    const w = witnessBytes([0n, 0n, 0n, 0n]);
    const { coefs } = randomCase(7, 4, 4, 40);
    expect(wasm.hEvaluations(records(coefs), coefs.length, w, 4, 4).every((b) => b === 0)).toBe(true);
    expect(wasm.hEvaluations(new Uint8Array(0), 0, w, 4, 4).every((b) => b === 0)).toBe(true);
  });

  it("a record out of range is refused, not read past the arrays", () => {
    const w = witnessBytes([1n, 2n, 3n]);
    for (const bad of [{ m: 2, c: 0, s: 0 }, { m: 0, c: 16, s: 0 }, { m: 1, c: 0, s: 3 }]) {
      expect(() => wasm.hEvaluations(records([{ ...bad, v: 5n }]), 1, w, 3, 4)).toThrow(/out of range/);
    }
  });
});

describe("one transform (fr_fft) against ffjavascript's Fr.fft / Fr.ifft", () => {
  for (const log2 of [1, 2, 4, 7, 11]) {
    it(`2^${log2}, forward and inverse`, async () => {
      const n = 1 << log2;
      const next = seeded(0xff7 + log2);
      const a = new Uint8Array(32 * n);
      // ffjavascript form of random elements, with 0 and 1 among them
      for (let i = 0; i < n; i++) a.set(Fr.e(i === 0 ? 0n : i === 1 ? 1n : randomBelow(next, R)), 32 * i);
      const e = wasm.exports;
      for (const [inverse, ref] of [[0, await Fr.fft(a)], [1, await Fr.ifft(a)]] as const) {
        e.bn_reset();
        const p = allocBytes(e, a);
        expect(e.fr_fft(p, log2, inverse)).toBe(0);
        expect(hex(readBytes(e, p, 32 * n)), inverse ? "ifft" : "fft").toBe(hex(ref));
      }
    });
  }
});
