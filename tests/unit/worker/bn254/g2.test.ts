// @vitest-environment node
// Fp2 and the G2 MSM of bn254.wasm (native/bn254/fp2.h, g2_msm.c) against ffjavascript's F2 and
// G2.multiExpAffine on the same bytes: field operations on random and edge elements, MSMs on
// random sizes, edge-case scalars (0, 1, r - 1, >= r), repeated and opposite points (the
// doubling and P + (-P) paths of the batched adds), points at infinity, witness-like 0/1 scalars,
// several window sizes; each with and without the GLV split (whose beta on G2 is BETA^2 of G1's:
// these tests are what pins that choice).
import { describe, expect, it } from "vitest";
import { withCurve, hex, leBytes, loadTestWasm, P, R, randomBelow, seeded, Heap, type FfCurve, type FfField, type Bn254TestWasm } from "./bn254-harness.js";

/** ffjavascript's F2: the field operations of its F1, on pairs of coordinates. */
type FfF2 = Omit<FfField, "e" | "toObject">;
interface FfG2 {
  g: Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  neg(a: Uint8Array): Uint8Array;
  toAffine(a: Uint8Array): Uint8Array;
  timesScalar(a: Uint8Array, k: bigint): Uint8Array;
  multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
}

let wasm: Bn254TestWasm;
let curve: FfCurve;
let G2: FfG2;
let F2: FfF2;
let pool: Uint8Array; // 300 distinct affine G2 points, zkey form
withCurve(loadTestWasm, (w, built) => {
  wasm = w;
  curve = built;
  const c = curve as unknown as { G2: FfG2; F2: FfF2 };
  [G2, F2] = [c.G2, c.F2];
  const next = seeded(0x62);
  const step = G2.timesScalar(G2.g, randomBelow(next, R));
  let p = G2.timesScalar(G2.g, randomBelow(next, R));
  pool = new Uint8Array(128 * 300);
  for (let i = 0; i < 300; i++) pool.set(G2.toAffine((p = G2.add(p, step))), 128 * i);
});

const INF = new Uint8Array(128);
const point = (i: number): Uint8Array => pool.subarray(128 * i, 128 * i + 128);
const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
};

/** Compares with ffjavascript, with GLV (the default) and without. */
async function check(points: Uint8Array[], scalars: bigint[], window?: number, label = ""): Promise<Uint8Array> {
  const [pb, sb] = [concat(points), concat(scalars.map((k) => leBytes(k)))];
  const ref = G2.toAffine(await G2.multiExpAffine(pb, sb));
  const ours = wasm.g2Msm(pb, sb, points.length, window === undefined ? {} : { window });
  expect(hex(ours), `${label} n=${points.length} window=${window ?? "auto"}`).toBe(hex(ref));
  const plain = wasm.g2Msm(pb, sb, points.length, { glv: false, ...(window === undefined ? {} : { window }) });
  expect(hex(plain), `${label} n=${points.length} window=${window ?? "auto"} without GLV`).toBe(hex(ref));
  return ours;
}

describe("Fp2 against ffjavascript's F2", () => {
  it("add, sub, mul, square, neg, inv on random and edge elements", () => {
    const next = seeded(0xf2);
    const el = (a: bigint, b: bigint) => concat([leBytes(a), leBytes(b)]);
    // ffjavascript form = Montgomery R = 2^256; build elements with F2 ops from small ones
    const edge = [0n, 1n, P - 1n];
    const values: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const pick = () => (next() < 0.3 ? edge[Math.floor(next() * 3)]! : randomBelow(next, P));
      values.push(el(pick(), pick()));
    }
    const h = new Heap(wasm);
    const a = h.alloc(72), b = h.alloc(72), z = h.alloc(72), io = h.alloc(64);
    const mem = () => new Uint8Array(wasm.exports.memory.buffer);
    const load = (ptr: number, v: Uint8Array) => (mem().set(v, io), wasm.exports.fp2_from_ff(ptr, io));
    const read = (ptr: number) => (wasm.exports.fp2_to_ff(io, ptr), h.get(io, 64));
    const ops: [number, (x: Uint8Array, y: Uint8Array) => Uint8Array][] = [
      [0, F2.add], [1, F2.sub], [2, F2.mul], [3, (x) => F2.square(x)], [4, (x) => F2.neg(x)], [5, (x) => F2.inv(x)],
    ];
    for (let i = 0; i < values.length; i++) {
      const [x, y] = [values[i]!, values[(i * 7 + 3) % values.length]!];
      for (const [op, ref] of ops) {
        load(a, x), load(b, y);
        wasm.exports.fp2_op(op, z, a, b);
        expect(hex(read(z)), `op ${op} #${i}`).toBe(hex(ref.call(F2, x, y)));
        // aliasing: z = a
        wasm.exports.fp2_op(op, a, a, b);
        expect(hex(read(a)), `op ${op} #${i} in place`).toBe(hex(ref.call(F2, x, y)));
      }
    }
  });
});

describe("g2Msm against ffjavascript", () => {
  it("random scalars, sizes 1..300", async () => {
    const next = seeded(0x6201);
    for (const n of [1, 2, 3, 17, 64, 300]) {
      const pts = Array.from({ length: n }, (_, i) => point(i));
      await check(pts, pts.map(() => randomBelow(next, R)), undefined, "random");
    }
  });

  it("edge scalars: 0, 1, r - 1, r, r + 1, 2^256 - 1", async () => {
    const ks = [0n, 1n, R - 1n, R, R + 1n, (1n << 256n) - 1n];
    await check(ks.map((_, i) => point(i)), ks);
    for (const k of ks) await check([point(5)], [k], undefined, `k=${k}`);
    await check([point(0), point(1)], [0n, 0n], undefined, "all zero");
  });

  it("repeated and opposite points, infinity in the bases", async () => {
    const p = point(7);
    const minusP = G2.toAffine(G2.neg(p));
    await check([p, p, p, p], [5n, 5n, 5n, 5n], undefined, "same bucket, equal points: doublings");
    await check([p, minusP], [9n, 9n], undefined, "P + (-P)");
    await check([p, minusP, p], [3n, 3n, 3n], undefined, "P + (-P) + P");
    await check([INF, p, INF], [R - 1n, 2n, 1n], undefined, "infinity");
    await check([INF], [1n], undefined, "only infinity");
  });

  it("witness-like scalars (most 0 or 1) pile into one bucket; windows 2..13", async () => {
    const next = seeded(0x6202);
    const pts = Array.from({ length: 300 }, (_, i) => point(i));
    const ks = pts.map(() => {
      const u = next();
      return u < 0.4 ? 1n : u < 0.6 ? 0n : u < 0.8 ? BigInt(Math.floor(next() * 256)) : randomBelow(next, R);
    });
    await check(pts, ks, undefined, "witness-like");
    for (const w of [2, 5, 9, 13]) await check(pts.slice(0, 64), ks.slice(0, 64), w, "window");
  });
});
