// @vitest-environment node
// bn254.wasm against a second, independent implementation: @noble/curves (audited, pure
// JavaScript, shares no code with ffjavascript or snarkjs). Fp and Fr operations, G1 and G2
// additions, doublings and MSMs, and the constant-time blinding multiply, on random inputs from a
// seed chosen per run: the seed is printed, and BN254_SEED=<n> replays a run.
import { bn254 } from "@noble/curves/bn254.js";
import { describe, expect, it } from "vitest";
import { fromLe, Heap, leBytes, loadTestWasm, randomBelow, seeded } from "./bn254-harness.js";

const SEED = Number(process.env.BN254_SEED ?? globalThis.crypto.getRandomValues(new Uint32Array(1))[0]);
console.log(`bn254 vs @noble/curves: seed ${SEED} (replay with BN254_SEED=${SEED})`);

const { Fp, Fr, Fp2 } = bn254.fields;
const P = Fp.ORDER;
const R = Fr.ORDER;
const R_MONT = (1n << 256n) % P;
const mont = (v: bigint) => leBytes(Fp.mul(v, R_MONT));
const unmont = (b: Uint8Array) => Fp.div(fromLe(b), R_MONT);

type G1P = ReturnType<typeof bn254.G1.Point.fromAffine>;
type G2P = ReturnType<typeof bn254.G2.Point.fromAffine>;
const g1Bytes = (p: G1P) => (p.is0() ? new Uint8Array(64) : new Uint8Array([...mont(p.toAffine().x), ...mont(p.toAffine().y)]));
const g2Bytes = (p: G2P) => {
  if (p.is0()) return new Uint8Array(128);
  const { x, y } = p.toAffine();
  return new Uint8Array([...mont(x.c0), ...mont(x.c1), ...mont(y.c0), ...mont(y.c1)]);
};
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.byteLength), 0);
  return out;
};

describe(`bn254.wasm vs @noble/curves (seed ${SEED})`, () => {
  const next = seeded(SEED);
  const below = (bound: bigint) => randomBelow(next, bound);

  it("Fp and Fr: add, sub, mul, square, neg, inverse on random and edge elements", async () => {
    const wasm = await loadTestWasm();
    const e = wasm.exports;
    for (const [field, F, mod] of [
      ["fp", Fp, P],
      ["fr", Fr, R],
    ] as const) {
      const values = [0n, 1n, 2n, mod - 1n, mod - 2n, ...Array.from({ length: 60 }, () => below(mod))];
      const op = field === "fp" ? e.fp_op : e.fr_op;
      const fromStd = field === "fp" ? e.fp_from_std : e.fr_from_std;
      const toStd = field === "fp" ? e.fp_to_std : e.fr_to_std;
      for (let i = 0; i < values.length; i++) {
        const a = values[i]!;
        const b = values[(i * 7 + 3) % values.length]!;
        const h = new Heap(wasm);
        const [pa, pb, pz, out] = [h.put(leBytes(a)), h.put(leBytes(b)), h.alloc(36), h.alloc(32)];
        const [ia, ib] = [h.alloc(36), h.alloc(36)];
        fromStd(ia, pa), fromStd(ib, pb);
        const run = (code: number) => {
          op(code, pz, ia, ib);
          toStd(out, pz);
          return fromLe(h.get(out, 32));
        };
        const ctx = `${field} a=${a} b=${b} (seed ${SEED})`;
        expect(run(0), ctx).toBe(F.add(a, b));
        expect(run(1), ctx).toBe(F.sub(a, b));
        expect(run(2), ctx).toBe(F.mul(a, b));
        expect(run(3), ctx).toBe(F.sqr(a));
        expect(run(4), ctx).toBe(F.neg(a));
        expect(run(5), ctx).toBe(a === 0n ? 0n : F.inv(a));
      }
    }
  });

  it("G1: addition, doubling and MSMs (repeated, opposite and infinite points included)", async () => {
    const wasm = await loadTestWasm();
    const G = bn254.G1.Point.BASE;
    const pts = Array.from({ length: 40 }, () => G.multiply(1n + below(R - 1n)));
    // g1_op: p + q and 2p with z = 1 (affine in, affine out)
    const h = new Heap(wasm);
    const one = h.put(mont(1n));
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const [p, q] = [pts[i]!, pts[i + 1]!];
      const [pp, pq, out] = [h.put(g1Bytes(p)), h.put(g1Bytes(q)), h.alloc(64)];
      wasm.exports.g1_op(0, out, pp, one, pq, one);
      expect(h.get(out, 64), `add (seed ${SEED})`).toEqual(g1Bytes(p.add(q)));
      wasm.exports.g1_op(2, out, pp, one, pq, one);
      expect(h.get(out, 64), `double (seed ${SEED})`).toEqual(g1Bytes(p.double()));
    }
    for (const n of [1, 2, 7, 64, 1 + Number(below(300n))]) {
      const points: G1P[] = [];
      const scalars: bigint[] = [];
      for (let i = 0; i < n; i++) {
        const kind = Number(below(10n));
        // 0: infinity, 1: a repeat, 2: an opposite, else fresh; scalars: 0, 1, r - 1 or random
        const p = kind === 0 ? bn254.G1.Point.ZERO : kind === 1 && i > 0 ? points[i - 1]! : kind === 2 && i > 0 ? points[i - 1]!.negate() : pts[i % pts.length]!;
        const k = [0n, 1n, R - 1n][Number(below(6n))] ?? below(R);
        points.push(p), scalars.push(k);
      }
      const expected = points.reduce((acc, p, i) => (scalars[i]! === 0n ? acc : acc.add(p.multiplyUnsafe(scalars[i]!))), bn254.G1.Point.ZERO);
      const got = wasm.g1Msm(concat(points.map(g1Bytes)), concat(scalars.map((k) => leBytes(k))), n);
      expect(got, `G1 MSM n=${n} (seed ${SEED})`).toEqual(g1Bytes(expected));
    }
  });

  it("G2: MSMs, with and without GLV", async () => {
    const wasm = await loadTestWasm();
    const G = bn254.G2.Point.BASE;
    for (const n of [1, 3, 1 + Number(below(40n))]) {
      const points = Array.from({ length: n }, (_, i) => (i > 0 && below(5n) === 0n ? bn254.G2.Point.ZERO : G.multiply(1n + below(R - 1n))));
      const scalars = Array.from({ length: n }, () => [0n, 1n, R - 1n][Number(below(6n))] ?? below(R));
      const expected = points.reduce((acc, p, i) => (scalars[i]! === 0n ? acc : acc.add(p.multiplyUnsafe(scalars[i]!))), bn254.G2.Point.ZERO);
      for (const glv of [true, false]) {
        const got = wasm.g2Msm(concat(points.map(g2Bytes)), concat(scalars.map((k) => leBytes(k))), n, { glv });
        expect(got, `G2 MSM n=${n} glv=${glv} (seed ${SEED})`).toEqual(g2Bytes(expected));
      }
    }
  });

  it("the constant-time blinding multiply: acc + k P on G1 and G2", async () => {
    const wasm = await loadTestWasm();
    const cases: Array<[bigint, bigint, bigint]> = [
      [0n, 1n, 5n],
      [3n, 3n, 1n], // acc = k P: the doubling inside the final addition
      [5n, 7n, R - 1n],
      [5n, 0n, 9n], // P at infinity
      [9n, 4n, 0n], // k = 0
      ...Array.from({ length: 6 }, () => [below(R), 1n + below(R - 1n), 1n + below(R - 1n)] as [bigint, bigint, bigint]),
    ];
    for (const [a, b, k] of cases) {
      const ctx = `a=${a} b=${b} k=${k} (seed ${SEED})`;
      const g1 = (v: bigint) => (v === 0n ? bn254.G1.Point.ZERO : bn254.G1.Point.BASE.multiply(v));
      const g2 = (v: bigint) => (v === 0n ? bn254.G2.Point.ZERO : bn254.G2.Point.BASE.multiply(v));
      expect(wasm.g1MulAdd(g1Bytes(g1(a)), g1Bytes(g1(b)), leBytes(k)), ctx).toEqual(g1Bytes(g1(a).add(g1(b).multiplyUnsafe(k))));
      expect(wasm.g2MulAdd(g2Bytes(g2(a)), g2Bytes(g2(b)), leBytes(k)), ctx).toEqual(g2Bytes(g2(a).add(g2(b).multiplyUnsafe(k))));
    }
  });

  it("byte forms agree: noble's generator in zkey form reads back", () => {
    const g = g2Bytes(bn254.G2.Point.BASE);
    expect(Fp2.eql(Fp2.create({ c0: unmont(g.subarray(0, 32)), c1: unmont(g.subarray(32, 64)) }), bn254.G2.Point.BASE.toAffine().x)).toBe(true);
  });
});
