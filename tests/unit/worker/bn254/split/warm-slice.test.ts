// @vitest-environment node
// One thread's slice of a split proof (warm-slice.ts): partial sums over contiguous slices,
// each in its own wasm instance as each helper has, add up to the whole MSM (G1 and G2).
import { describe, expect, it } from "vitest";
import { hex, leBytes, loadWasm, R, randomBelow, seeded, wasmAndGroups } from "../bn254-harness.js";
import { cutRange } from "../../../../../src/lib/proof/worker/bn254/split/split-plan.js";
import { hPartial, loadWarmSlice, sliceBytes, sliceViews, witnessPartials } from "../../../../../src/lib/proof/worker/bn254/split/warm-slice.js";
import type { Groth16Zkey } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";

const ctx = wasmAndGroups();

const cat = (xs: Uint8Array[]) => {
  const out = new Uint8Array(xs.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of xs) out.set(x, o), (o += x.length);
  return out;
};

describe("warm slices", () => {
  it("partial sums over contiguous slices add up to the whole MSM, empty slices included", async () => {
    const next = seeded(0x511ce);
    const n = 97;
    const step = ctx.G1.timesScalar(ctx.G1.g, randomBelow(next, R));
    let p = ctx.G1.g;
    const g1 = Array.from({ length: n }, () => ctx.G1.toAffine((p = ctx.G1.add(p, step))));
    let q = ctx.G2.g;
    const step2 = ctx.G2.timesScalar(ctx.G2.g, randomBelow(next, R));
    const g2 = Array.from({ length: n }, () => ctx.G2.toAffine((q = ctx.G2.add(q, step2))));
    // Witness-like scalars: zeros, ones and full-width values.
    const ks = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0n : i % 3 === 1 ? 1n : randomBelow(next, R)));
    const scalars = cat(ks.map((k) => leBytes(k)));
    const whole = { g1: ctx.wasm.g1Msm(cat(g1), scalars, n), g2: ctx.wasm.g2Msm(cat(g2), scalars, n) };
    const ranges = cutRange(n, [0, 0.3, 0.7]);
    const partials = await Promise.all(
      ranges.map(async ({ lo, hi }) => {
        const { exports: e } = await loadWasm(); // one instance per thread, as each helper has
        const g1s = cat(g1.slice(lo, hi));
        const slice = loadWarmSlice(e, { a: g1s, b1: g1s, b2: cat(g2.slice(lo, hi)), c: g1s, h: g1s });
        const ab = scalars.slice(32 * lo, 32 * hi);
        return { w: witnessPartials(e, slice, ab, ab), h: hPartial(e, slice, ab) };
      }),
    );
    const ones = cat(ranges.map(() => leBytes(1n)));
    expect(hex(ctx.wasm.g1Msm(cat(partials.map((x) => x.w.a)), ones, ranges.length))).toBe(hex(whole.g1));
    expect(hex(ctx.wasm.g1Msm(cat(partials.map((x) => x.w.c)), ones, ranges.length))).toBe(hex(whole.g1));
    expect(hex(ctx.wasm.g1Msm(cat(partials.map((x) => x.h)), ones, ranges.length))).toBe(hex(whole.g1));
    expect(hex(ctx.wasm.g2Msm(cat(partials.map((x) => x.w.b2)), ones, ranges.length))).toBe(hex(whole.g2));
    expect(hex(partials[0]!.w.a)).toBe(hex(new Uint8Array(64))); // the empty slice: infinity
  });

  it("a slice decoded in place from views of its ranges keeps what the gathered copy keeps", async () => {
    const next = seeded(0x5111);
    const pts = Array.from({ length: 9 }, () => ctx.G1.toAffine(ctx.G1.timesScalar(ctx.G1.g, randomBelow(next, R))));
    const q2 = Array.from({ length: 9 }, () => ctx.G2.toAffine(ctx.G2.timesScalar(ctx.G2.g, randomBelow(next, R))));
    const g1 = cat(pts);
    const g2 = cat(q2);
    const ranges = [{ lo: 0, hi: 2 }, { lo: 5, hi: 9 }];
    const z = { pointsA: g1, pointsB1: g1, pointsB2: g2, pointsC: g1, pointsH: g1 } as unknown as Groth16Zkey;
    const plan = { ab: ranges, c: ranges, h: [{ lo: 3, hi: 7 }] };
    const kept = async (bytes: Parameters<typeof loadWarmSlice>[1]) => {
      const { exports: e } = await loadWasm();
      const slice = loadWarmSlice(e, bytes);
      const scalars = cat(Array.from({ length: slice.nAB }, (_, i) => leBytes(BigInt(i + 2))));
      return { slice, w: witnessPartials(e, slice, scalars, scalars), h: hPartial(e, slice, cat(Array.from({ length: slice.nH }, () => leBytes(3n)))) };
    };
    const copied = await kept(sliceBytes(z, plan));
    const viewed = await kept(sliceViews(z, plan));
    expect([viewed.slice.nAB, viewed.slice.nC, viewed.slice.nH]).toEqual([6, 6, 4]);
    for (const k of ["a", "b1", "b2", "c"] as const) expect(hex(viewed.w[k])).toBe(hex(copied.w[k]));
    expect(hex(viewed.h)).toBe(hex(copied.h));
  });

  it("refuses scalars that do not match the slice", async () => {
    const { exports: e } = await loadWasm();
    const slice = loadWarmSlice(e, { a: new Uint8Array(64), b1: new Uint8Array(64), b2: new Uint8Array(128), c: new Uint8Array(0), h: new Uint8Array(0) });
    expect(() => witnessPartials(e, slice, new Uint8Array(64), new Uint8Array(0))).toThrow(RangeError);
    expect(() => hPartial(e, slice, new Uint8Array(32))).toThrow(RangeError);
  });
});
