// @vitest-environment node
// G1 point formulas of bn254.wasm (native/bn254/g1.h: XYZZ add, mixed add, double; batch_add.h:
// batched affine additions) against ffjavascript's G1, byte for byte on affine results, with
// the special cases every bucket method meets: P + P, P + (-P), the point at infinity.
import { describe, expect, it } from "vitest";
import { withCurve, Heap, hex, loadTestWasm, P, R, randomBelow, seeded, type FfCurve, type Bn254TestWasm } from "./bn254-harness.js";

const OP = { add: 0, madd: 1, dbl: 2 } as const;
const BATCH_CHUNK = 4096; // native/bn254/batch_add.h

let wasm: Bn254TestWasm;
let curve: FfCurve;
withCurve(loadTestWasm, (w, c) => {
  wasm = w;
  curve = c;
});

const aff = (p: Uint8Array): Uint8Array => curve.G1.toAffine(p);
const INF = new Uint8Array(64);

/** Points a + i*b times G for i < count: cheap to make and all distinct. */
function points(seed: number, count: number): Uint8Array[] {
  const next = seeded(seed);
  const G1 = curve.G1;
  const step = G1.timesScalar(G1.g, randomBelow(next, R));
  let p = G1.timesScalar(G1.g, randomBelow(next, R));
  return Array.from({ length: count }, () => aff((p = G1.add(p, step))));
}

/** One formula in wasm; z-factors put the XYZZ inputs at Z != 1, as inside an MSM. */
function op(kind: keyof typeof OP, p: Uint8Array, q: Uint8Array, zp: bigint, zq: bigint): Uint8Array {
  const h = new Heap(wasm);
  const [pp, pq, pzp, pzq] = [h.put(p), h.put(q), h.put(curve.F1.e(zp)), h.put(curve.F1.e(zq))];
  const out = h.alloc(64);
  wasm.exports.g1_op(OP[kind], out, pp, pzp, pq, pzq);
  return h.get(out, 64);
}

function batchAdd(pairs: [Uint8Array, Uint8Array][]): Uint8Array[] {
  const h = new Heap(wasm);
  const ab = new Uint8Array(128 * pairs.length);
  pairs.forEach(([a, b], k) => (ab.set(a, 128 * k), ab.set(b, 128 * k + 64)));
  const pab = h.put(ab);
  const out = h.alloc(64 * pairs.length);
  const work = h.alloc(152 * pairs.length + 73 * BATCH_CHUNK);
  wasm.exports.g1_batch_add(out, pab, pairs.length, work);
  const res = h.get(out, 64 * pairs.length);
  return pairs.map((_, k) => res.subarray(64 * k, 64 * k + 64));
}

describe("G1 formulas (XYZZ)", () => {
  it("affine zero of ffjavascript is all zero bytes, the form the wasm reads as infinity", () => {
    expect(hex(aff(curve.G1.zero))).toBe(hex(INF));
  });

  it("add, mixed add and double match ffjavascript on random points and Z factors", () => {
    const next = seeded(0x91);
    const pts = points(0x92, 24);
    for (let i = 0; i + 1 < pts.length; i += 2) {
      const [p, q] = [pts[i]!, pts[i + 1]!];
      const [zp, zq] = [randomBelow(next, P - 1n) + 1n, randomBelow(next, P - 1n) + 1n];
      const sum = hex(aff(curve.G1.add(p, q)));
      expect(hex(op("add", p, q, zp, zq)), `add #${i}`).toBe(sum);
      expect(hex(op("madd", p, q, zp, 1n)), `madd #${i}`).toBe(sum);
      expect(hex(op("dbl", p, q, zp, zq)), `dbl #${i}`).toBe(hex(aff(curve.G1.double(p))));
    }
  });

  it("handles P + P, P + (-P) and infinity in every formula", () => {
    const [p, q] = points(0x93, 2) as [Uint8Array, Uint8Array];
    const neg = aff(curve.G1.neg(p));
    const twoP = hex(aff(curve.G1.double(p)));
    for (const kind of ["add", "madd"] as const) {
      const z = kind === "add" ? 77n : 1n;
      expect(hex(op(kind, p, p, 5n, z)), `${kind} P+P`).toBe(twoP);
      expect(hex(op(kind, p, neg, 5n, z)), `${kind} P-P`).toBe(hex(INF));
      expect(hex(op(kind, p, INF, 5n, z)), `${kind} P+O`).toBe(hex(p));
      expect(hex(op(kind, INF, q, 5n, z)), `${kind} O+Q`).toBe(hex(q));
      expect(hex(op(kind, INF, INF, 5n, z)), `${kind} O+O`).toBe(hex(INF));
    }
    expect(hex(op("dbl", INF, INF, 3n, 1n))).toBe(hex(INF));
  });
});

describe("batched affine addition", () => {
  it("adds random pairs and every special case within one batch", () => {
    const pts = points(0x94, 40);
    const [p, q] = pts as [Uint8Array, Uint8Array];
    const neg = aff(curve.G1.neg(p));
    const pairs: [Uint8Array, Uint8Array][] = [];
    for (let i = 2; i + 1 < pts.length; i += 2) pairs.push([pts[i]!, pts[i + 1]!]);
    // Special cases spread between ordinary pairs, so the shared inversion must skip them.
    pairs.splice(1, 0, [p, p]);
    pairs.splice(4, 0, [p, neg]);
    pairs.splice(7, 0, [INF, q]);
    pairs.splice(9, 0, [q, INF]);
    pairs.splice(11, 0, [INF, INF]);
    pairs.push([q, q]);
    const got = batchAdd(pairs);
    pairs.forEach(([a, b], k) => expect(hex(got[k]!), `pair ${k}`).toBe(hex(aff(curve.G1.add(a, b)))));
  });

  it("is exact across the boundary between two shared inversions", () => {
    const pts = points(0x95, 2 * BATCH_CHUNK + 6);
    const pairs: [Uint8Array, Uint8Array][] = [];
    for (let i = 0; i + 1 < pts.length; i += 2) pairs.push([pts[i]!, pts[i + 1]!]);
    pairs[BATCH_CHUNK - 1] = [pts[0]!, pts[0]!];
    pairs[BATCH_CHUNK] = [pts[1]!, INF];
    const got = batchAdd(pairs);
    for (const k of [0, 1, BATCH_CHUNK - 2, BATCH_CHUNK - 1, BATCH_CHUNK, BATCH_CHUNK + 1, pairs.length - 1]) {
      expect(hex(got[k]!), `pair ${k}`).toBe(hex(aff(curve.G1.add(...pairs[k]!))));
    }
  });

  it("returns infinity for a batch made only of cancelling pairs (the inverted product is 1)", () => {
    const pts = points(0x96, 3);
    const got = batchAdd(pts.map((p) => [p, aff(curve.G1.neg(p))]));
    for (const g of got) expect(hex(g)).toBe(hex(INF));
  });
});
