// @vitest-environment node
// G1 MSM of bn254.wasm (native/bn254/msm.c via bn254-wasm.ts) against ffjavascript's
// G1.multiExpAffine on the same bytes: random sizes, edge-case scalars (0, 1, r - 1, values
// >= r), equal and repeated points, points at infinity, witness-like 0/1 scalars that pile up
// in one bucket, every window size, with and without GLV.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCurve, hex, leBytes, loadWasm, R, randomBelow, seeded, type FfCurve } from "./bn254-harness.js";
import type { Bn254Wasm, MsmOptions } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

let wasm: Bn254Wasm;
let curve: FfCurve;
let pool: Uint8Array; // 4096 distinct affine points, zkey form
beforeAll(async () => {
  [wasm, curve] = await Promise.all([loadWasm(), buildCurve()]);
  const next = seeded(0x5eed);
  const G1 = curve.G1;
  const step = G1.timesScalar(G1.g, randomBelow(next, R));
  let p = G1.timesScalar(G1.g, randomBelow(next, R));
  pool = new Uint8Array(64 * 4096);
  for (let i = 0; i < 4096; i++) pool.set(G1.toAffine((p = G1.add(p, step))), 64 * i);
});
afterAll(async () => {
  await curve?.terminate();
});

const INF = new Uint8Array(64);
const point = (i: number): Uint8Array => pool.subarray(64 * i, 64 * i + 64);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), (o += p.length);
  return out;
}

/** Compares with ffjavascript; returns our result for further checks. */
async function check(points: Uint8Array[], scalars: bigint[], options?: MsmOptions, label = ""): Promise<Uint8Array> {
  const [pb, sb] = [concat(points), concat(scalars.map((k) => leBytes(k)))];
  const ref = curve.G1.toAffine(await curve.G1.multiExpAffine(pb, sb));
  const ours = wasm.g1Msm(pb, sb, points.length, options);
  expect(hex(ours), `${label} n=${points.length} ${JSON.stringify(options ?? {})}`).toBe(hex(ref));
  return ours;
}

const randomScalars = (seed: number, n: number): bigint[] => {
  const next = seeded(seed);
  return Array.from({ length: n }, () => randomBelow(next, R));
};

describe("g1Msm against ffjavascript", () => {
  it.each([1, 2, 3, 17, 1000, 4096])("random points and scalars, n = %i", async (n) => {
    const pts = Array.from({ length: n }, (_, i) => point(i));
    await check(pts, randomScalars(n, n));
    if (n <= 1000) await check(pts, randomScalars(n + 1, n), { glv: false });
  });

  it("edge-case scalars: 0, 1, 2, r - 1, r - 2, (r-1)/2, r, r + 1, 2^256 - 1, 2^128 +- 1", async () => {
    const ks = [0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, R, R + 1n, (1n << 256n) - 1n, (1n << 128n) - 1n, 1n << 128n, (1n << 128n) + 1n];
    for (let i = 0; i < ks.length; i++) await check([point(i)], [ks[i]!], undefined, `k=${ks[i]}`);
    const pts = ks.map((_, i) => point(i));
    await check(pts, ks);
    await check(pts, ks, { glv: false });
  });

  it("all scalars zero, and a sum that cancels to infinity, give (0, 0)", async () => {
    expect(hex(await check([point(0), point(1)], [0n, 0n]))).toBe(hex(INF));
    expect(hex(await check([point(5), point(5)], [3n, R - 3n]))).toBe(hex(INF));
    expect(hex(wasm.g1Msm(new Uint8Array(0), new Uint8Array(0), 0))).toBe(hex(INF));
  });

  it("all points equal (every bucket add is a doubling or a cancellation)", async () => {
    const n = 300;
    const pts = Array.from({ length: n }, () => point(7));
    await check(pts, randomScalars(0xe0, n));
    await check(pts, Array.from({ length: n }, (_, i) => BigInt(i % 5)), undefined, "small");
    await check(pts, Array.from({ length: n }, (_, i) => (i % 2 ? R - 1n : 1n)), undefined, "+-1");
  });

  it("repeated points among distinct ones, and equal scalars on every point", async () => {
    const pts = Array.from({ length: 500 }, (_, i) => point(i % 37));
    await check(pts, randomScalars(0xe1, 500));
    await check(pts, Array(500).fill(123456789n), undefined, "equal scalars");
    await check(pts, Array(500).fill(R - 1n), undefined, "equal scalars r-1");
  });

  it("points at infinity among the bases are skipped", async () => {
    const n = 200;
    const pts = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? INF : point(i)));
    await check(pts, randomScalars(0xe2, n));
    await check(pts, randomScalars(0xe3, n), { glv: false });
    await check([INF, INF], [5n, R - 1n], undefined, "only infinity");
  });

  it("witness-like scalars: mostly 0 and 1, some small, some full width (one heavy bucket)", async () => {
    const n = 4096;
    const next = seeded(0xe4);
    const ks = Array.from({ length: n }, () => {
      const u = next();
      return u < 0.4 ? 1n : u < 0.6 ? 0n : u < 0.8 ? BigInt(Math.floor(next() * 256)) : randomBelow(next, R);
    });
    await check(Array.from({ length: n }, (_, i) => point(i)), ks);
  });

  it("in passes: bucket sums carried from pass to pass, with and without GLV, random and witness-like", async () => {
    const n = 1000;
    const pts = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? INF : point(i)));
    const next = seeded(0xe7);
    const witness = Array.from({ length: n }, () => {
      const u = next();
      return u < 0.4 ? 1n : u < 0.6 ? 0n : u < 0.8 ? BigInt(Math.floor(next() * 256)) : randomBelow(next, R);
    });
    for (const passLog2 of [1, 4, 7]) {
      await check(pts, randomScalars(0xe8 + passLog2, n), { passLog2 }, "random");
      await check(pts, randomScalars(0xe9 + passLog2, n), { passLog2, glv: false }, "random");
      await check(pts, witness, { passLog2 }, "witness");
      await check(pts, witness, { passLog2, window: 3 }, "witness");
    }
    const same = Array.from({ length: 300 }, () => point(7));
    await check(same, Array.from({ length: 300 }, (_, i) => (i % 2 ? R - 1n : 1n)), { passLog2: 3 }, "+-1 cancels across passes");
  });

  it("every window size from 2 to 15 bits, with and without GLV", async () => {
    const n = 64;
    const pts = Array.from({ length: n }, (_, i) => point(100 + i));
    const ks = randomScalars(0xe5, n);
    ks[0] = R - 1n;
    ks[1] = 0n;
    for (let window = 2; window <= 15; window++) {
      await check(pts, ks, { window });
      await check(pts, ks, { window, glv: false });
    }
  });
});

describe("g1Msm contract", () => {
  it("reads only the first n points and scalars and leaves the inputs unchanged", () => {
    const pts = pool.slice(0, 64 * 10);
    const sc = concat(randomScalars(0xe6, 10).map((k) => leBytes(k)));
    const [p0, s0] = [pts.slice(), sc.slice()];
    const a = wasm.g1Msm(pts, sc, 4);
    expect(hex(a)).toBe(hex(wasm.g1Msm(pts.subarray(0, 256), sc.subarray(0, 128), 4)));
    expect(hex(pts)).toBe(hex(p0));
    expect(hex(sc)).toBe(hex(s0));
  });

  it("rejects a bad n, short inputs and a window out of range, naming the value", () => {
    const [pts, sc] = [pool.slice(0, 128), new Uint8Array(64)];
    expect(() => wasm.g1Msm(pts, sc, -1)).toThrow(/got -1/);
    expect(() => wasm.g1Msm(pts, sc, 1.5)).toThrow(/got 1.5/);
    expect(() => wasm.g1Msm(pts, sc, 2 ** 24 + 1)).toThrow(/got 16777217/);
    expect(() => wasm.g1Msm(pts, sc, 3)).toThrow(/need 192 bytes, got 128/);
    expect(() => wasm.g1Msm(pts, new Uint8Array(32), 2)).toThrow(/need 64 bytes, got 32/);
    expect(() => wasm.g1Msm(pts, sc, 2, { window: 16 })).toThrow(/got 16/);
    expect(() => wasm.g1Msm(pts, sc, 2, { passLog2: 21 })).toThrow(/passLog2 .* got 21/);
  });
});
