// @vitest-environment node
// Bases decoded once and kept (g1_decode/g2_decode + *_msm_decoded, what the warm prover runs)
// against ffjavascript: bases decoded in several pieces into one array, a slot rewritten between
// two MSMs (as the prover rewrites C's slots for A and B1 every proof), kept across bn_reset,
// with and without the GLV split, in one pass and in many, infinity in a slot.
import { describe, expect, it } from "vitest";
import { withCurve, hex, leBytes, loadWasm, R, randomBelow, seeded, type FfCurve } from "./bn254-harness.js";
import { alloc, allocBytes as put, keptBytes, pointBytes, readBytes, type Bn254Wasm } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";

interface FfGroup {
  g: Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  toAffine(a: Uint8Array): Uint8Array;
  timesScalar(a: Uint8Array, k: bigint): Uint8Array;
  multiExpAffine(bases: Uint8Array, scalars: Uint8Array): Promise<Uint8Array>;
}

let wasm: Bn254Wasm;
let curve: FfCurve;
withCurve(loadWasm, (w, c) => {
  // a fresh instance: bn_keep cannot be undone, so this file must not share one
  wasm = w;
  curve = c;
});

function points(G: FfGroup, n: number, seed: number): Uint8Array[] {
  const next = seeded(seed);
  let p = G.timesScalar(G.g, randomBelow(next, R));
  const step = G.timesScalar(G.g, randomBelow(next, R));
  return Array.from({ length: n }, () => G.toAffine((p = G.add(p, step))));
}
const cat = (xs: Uint8Array[]) => {
  const out = new Uint8Array(xs.reduce((s, x) => s + x.length, 0));
  let o = 0;
  for (const x of xs) out.set(x, o), (o += x.length);
  return out;
};

describe("decoded bases kept in wasm memory", () => {
  for (const [group, glv] of [[1, true], [1, false], [2, true], [2, false]] as const) {
    it(`G${group} ${glv ? "with" : "without"} GLV`, async () => {
      const e = wasm.exports;
      const G = (curve as unknown as Record<string, FfGroup>)[`G${group}`]!;
      const pb = pointBytes(group);
      const n = 150;
      const pts = points(G, n, 0xdec0 + group);
      pts[40] = new Uint8Array(pb); // infinity among the bases
      const next = seeded(7 + group);
      const ks = pts.map((_, i) => (i % 5 === 0 ? 1n : i % 7 === 0 ? 0n : randomBelow(next, R)));
      e.bn_reset();
      const kept = alloc(e, n * keptBytes(group));
      e.bn_keep();
      const decode = (first: number, part: Uint8Array[]) => {
        const src = put(e, cat(part));
        if (group === 1) e.g1_decode(kept, first, src, part.length);
        else e.g2_decode(kept, first, src, part.length);
        e.bn_reset();
      };
      decode(0, pts.slice(0, 100)), decode(100, pts.slice(100));
      const run = async (label: string) => {
        e.bn_reset();
        const out = alloc(e, pb), sc = put(e, cat(ks.map((k) => leBytes(k))));
        const ref = G.toAffine(await G.multiExpAffine(cat(pts), cat(ks.map((k) => leBytes(k)))));
        // One pass, and passes of 32 points (16 bases with GLV) carrying bucket sums between them.
        for (const options of [glv ? 0 : 1, (glv ? 0 : 1) | (5 << 8)]) {
          const status = group === 1 ? e.g1_msm_decoded(out, kept, sc, n, 0, options) : e.g2_msm_decoded(out, kept, sc, n, 0, options);
          expect(status).toBe(0);
          const ours = readBytes(e, out, pb);
          expect(hex(ours), `${label} options ${options}`).toBe(hex(ref));
        }
      };
      await run("first");
      // rewrite slot 3 (and, with GLV, its image) with another point, and slot 4 with infinity
      pts[3] = points(G, 1, 99)[0]!;
      pts[4] = new Uint8Array(pb);
      decode(3, [pts[3]!, pts[4]!]);
      await run("after rewriting slots");
    });
  }
});
