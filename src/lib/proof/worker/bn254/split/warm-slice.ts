/**
 * One thread's share of a split proof (split-plan.ts): its ranges of the bases of each MSM,
 * gathered into one array per MSM, decoded once into that thread's bn254.wasm instance and kept there, and the partial sums
 * a proof asks of it. The header terms (alpha1, beta1, beta2, delta1, delta2 with scalars 1, r,
 * s, -rs) are not in any slice: the lead adds them when it combines the partial sums
 * (split-combine.ts), so every slice is a plain sum of witness (or H) scalars times zkey points.
 *
 * Memory kept per thread: its fraction of the whole prover's bases (72 bytes per G1 base, 144
 * per G2 base).
 */
import { alloc, allocBytes, decodeInto, G1_POINT_BYTES, G2_POINT_BYTES, keepBytes, keptBytes, pointBytes, readBytes, type Bn254Exports } from "../bn254-wasm.js";
import { check, outOfMemory } from "../prover/groth16-proof.js";
import { gather, type BaseRange, type SliceRanges } from "./split-plan.js";
import type { Groth16Zkey } from "../readers/zkey-groth16.js";

/** A slice's points in the zkey's byte form (64 bytes per G1 point, 128 per G2 point), copied. */
export interface SliceBytes {
  readonly a: Uint8Array;
  readonly b1: Uint8Array;
  readonly b2: Uint8Array;
  readonly c: Uint8Array;
  readonly h: Uint8Array;
}

/**
 * The points of one thread's ranges. Copies, not views: a view posted to another thread would
 * clone the whole zkey buffer behind it.
 */
export function sliceBytes(z: Groth16Zkey, r: SliceRanges): SliceBytes {
  return {
    a: gather(z.pointsA, r.ab, 64),
    b1: gather(z.pointsB1, r.ab, 64),
    b2: gather(z.pointsB2, r.ab, 128),
    c: gather(z.pointsC, r.c, 64),
    h: gather(z.pointsH, r.h, 64),
  };
}

/** A slice as views of the zkey's sections, one per range: what the lead decodes in place. */
export type SliceViews = { readonly [K in keyof SliceBytes]: readonly Uint8Array[] };

/**
 * The points of one thread's ranges as views into the zkey, nothing copied: for the thread that
 * holds the zkey (the lead). Gathering its slice into copies first put about a third of the
 * zkey's bytes more in memory at the moment it is highest (the file, the helpers' slices in
 * flight and the decoded copies together).
 */
export function sliceViews(z: Groth16Zkey, r: SliceRanges): SliceViews {
  const views = (bytes: Uint8Array, ranges: readonly BaseRange[], size: number) => ranges.map((g) => bytes.subarray(g.lo * size, g.hi * size));
  return {
    a: views(z.pointsA, r.ab, 64),
    b1: views(z.pointsB1, r.ab, 64),
    b2: views(z.pointsB2, r.ab, 128),
    c: views(z.pointsC, r.c, 64),
    h: views(z.pointsH, r.h, 64),
  };
}

/** A slice decoded into wasm memory: pointers below the arena's floor (0 for an empty range). */
export interface WarmSlice {
  readonly nAB: number;
  readonly nC: number;
  readonly nH: number;
  readonly a: number;
  readonly b1: number;
  readonly b2: number;
  readonly c: number;
  readonly h: number;
}

/** One value per witness MSM of a proof: A, B1, B2 and C. */
export interface PerMsm<T> {
  readonly a: T;
  readonly b1: T;
  readonly b2: T;
  readonly c: T;
}

/** A's, B1's, B2's and C's partial sums over a slice's witness ranges (zkey byte form). */
export type WitnessPartials = PerMsm<Uint8Array>;

/**
 * Decodes a slice into `e`, above whatever the instance already keeps (several circuits may
 * share one instance); throws ResourceExhaustedError when memory cannot grow.
 */
export function loadWarmSlice(e: Bn254Exports, s: SliceBytes | SliceViews): WarmSlice {
  const partsOf = (bytes: Uint8Array | readonly Uint8Array[]): readonly Uint8Array[] => (bytes instanceof Uint8Array ? [bytes] : bytes);
  const count = (bytes: Uint8Array | readonly Uint8Array[], group: 1 | 2): number => partsOf(bytes).reduce((n, p) => n + p.byteLength / pointBytes(group), 0);
  return outOfMemory(() => {
    const set = (bytes: Uint8Array | readonly Uint8Array[], group: 1 | 2): number => {
      const n = count(bytes, group);
      if (n === 0) return 0;
      e.bn_reset();
      const dst = alloc(e, n * keptBytes(group), "a slice's bases");
      e.bn_keep();
      let first = 0;
      for (const part of partsOf(bytes)) first += decodeInto(e, group, dst, first, part);
      return dst;
    };
    return {
      nAB: count(s.a, 1),
      nC: count(s.c, 1),
      nH: count(s.h, 1),
      a: set(s.a, 1),
      b1: set(s.b1, 1),
      b2: set(s.b2, 2),
      c: set(s.c, 1),
      h: set(s.h, 1),
    };
  });
}

/** Keeps bytes (the lead's QAP coefficients) below the arena's floor; returns their pointer. */
export function keepCoefficients(e: Bn254Exports, bytes: Uint8Array): number {
  return outOfMemory(() => keepBytes(e, bytes, "the QAP coefficients"));
}

// The point at infinity is all zeros in zkey form: an empty range's partial sum.
const INFINITY_G1 = G1_POINT_BYTES;
const INFINITY_G2 = G2_POINT_BYTES;

/**
 * Partial sums of A, B1, B2 (scalars `ab`: the witness values of the slice's signal range) and
 * of C's witness part (`c`: the values of its private-signal range). Scratch stays in the arena
 * above the floor until the caller wipes it.
 */
export function witnessPartials(e: Bn254Exports, s: WarmSlice, ab: Uint8Array, c: Uint8Array): WitnessPartials {
  const steps = witnessPartialSteps(e, s, ab, c);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/** The same sums, each MSM's label yielded as it starts (the lead reports its own as the proof's progress). */
export function* witnessPartialSteps(e: Bn254Exports, s: WarmSlice, ab: Uint8Array, c: Uint8Array): Generator<"A" | "B1" | "B2" | "C", WitnessPartials, undefined> {
  if (ab.byteLength !== 32 * s.nAB || c.byteLength !== 32 * s.nC) throw new RangeError("slice scalars do not match the slice's bases");
  // The four sums side by side: A, B1 (G1), B2 (G2), C (G1).
  const at = { a: 0, b1: G1_POINT_BYTES, b2: 2 * G1_POINT_BYTES, c: 2 * G1_POINT_BYTES + G2_POINT_BYTES } as const;
  const { out, sAB, sC } = outOfMemory(() => {
    e.bn_reset();
    return { out: alloc(e, at.c + G1_POINT_BYTES), sAB: allocBytes(e, ab), sC: allocBytes(e, c) };
  });
  const msm = (status: () => number, what: string) => outOfMemory(() => check(status(), what));
  if (s.nAB > 0) {
    yield "A";
    msm(() => e.g1_msm_decoded(out, s.a, sAB, s.nAB, 0, 0), "MSM A slice");
    yield "B1";
    msm(() => e.g1_msm_decoded(out + at.b1, s.b1, sAB, s.nAB, 0, 0), "MSM B1 slice");
    yield "B2";
    msm(() => e.g2_msm_decoded(out + at.b2, s.b2, sAB, s.nAB, 0, 0), "MSM B2 slice");
  }
  yield "C";
  if (s.nC > 0) msm(() => e.g1_msm_decoded(out + at.c, s.c, sC, s.nC, 0, 0), "MSM C slice");
  const read = (offset: number, n: number, used: boolean) => (used ? readBytes(e, out + offset, n) : new Uint8Array(n));
  return outOfMemory(() => ({ a: read(at.a, INFINITY_G1, s.nAB > 0), b1: read(at.b1, INFINITY_G1, s.nAB > 0), b2: read(at.b2, INFINITY_G2, s.nAB > 0), c: read(at.c, INFINITY_G1, s.nC > 0) }));
}

/** The partial sum of C's H part over the slice's domain range (`h`: those H evaluations). */
export function hPartial(e: Bn254Exports, s: WarmSlice, h: Uint8Array): Uint8Array {
  if (h.byteLength !== 32 * s.nH) throw new RangeError("slice scalars do not match the slice's bases");
  if (s.nH === 0) return new Uint8Array(INFINITY_G1);
  return outOfMemory(() => {
    e.bn_reset();
    const out = alloc(e, G1_POINT_BYTES);
    const sh = allocBytes(e, h);
    check(e.g1_msm_decoded(out, s.h, sh, s.nH, 0, 0), "MSM H slice");
    return readBytes(e, out, G1_POINT_BYTES);
  });
}
