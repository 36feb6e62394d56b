// @vitest-environment node
// The lead's combination of a split proof (split-combine.ts) against ffjavascript and scalar
// arithmetic: every point is a known multiple of the generator, so the expected A, B and C are
// one scalar multiplication each.
import { describe, expect, it } from "vitest";
import { hex, R, randomBelow, seeded, wasmAndGroups, type FfGroup } from "../bn254-harness.js";
import { combineProof } from "../../../../../src/lib/proof/worker/bn254/split/split-combine.js";

const ctx = wasmAndGroups();

const mod = (x: bigint) => ((x % R) + R) % R;

describe("combineProof", () => {
  it("A, B and C from partial sums and header terms equal the scalar formula's points", () => {
    const next = seeded(0xc0b1);
    const rnd = () => randomBelow(next, R);
    const at = (G: FfGroup, k: bigint) => G.toAffine(G.timesScalar(G.g, k));
    const t = 3;
    const a = Array.from({ length: t }, rnd), b = Array.from({ length: t }, rnd), c = Array.from({ length: t + 2 }, rnd);
    const [x, y, d, d2, yb2] = [rnd(), rnd(), rnd(), rnd(), rnd()];
    const [r, s] = [rnd(), rnd()];
    const header = { alpha1: at(ctx.G1, x), beta1: at(ctx.G1, y), delta1: at(ctx.G1, d), beta2: at(ctx.G2, yb2), delta2: at(ctx.G2, d2) };
    // One partial is infinity (an empty slice), as a helper with no bases would send.
    const parts = { a: [...a.slice(0, 2).map((k) => at(ctx.G1, k)), new Uint8Array(64)], b1: b.map((k) => at(ctx.G1, k)), b2: b.map((k) => at(ctx.G2, k)), c: c.map((k) => at(ctx.G1, k)) };
    const sumA = mod(a[0]! + a[1]! + x + r * d);
    const sumB = mod(b.reduce((p, q) => p + q) + y + s * d);
    const sumB2 = mod(b.reduce((p, q) => p + q) + yb2 + s * d2);
    const sumC = mod(c.reduce((p, q) => p + q) + s * sumA + r * sumB - r * s * d);
    const got = combineProof(ctx.wasm, header, parts, r, s);
    expect(hex(got.a)).toBe(hex(at(ctx.G1, sumA)));
    expect(hex(got.b2)).toBe(hex(at(ctx.G2, sumB2)));
    expect(hex(got.c)).toBe(hex(at(ctx.G1, sumC)));
    // Positive control: another s gives another C.
    expect(hex(combineProof(ctx.wasm, header, parts, r, mod(s + 1n)).c)).not.toBe(hex(got.c));
  });
});
