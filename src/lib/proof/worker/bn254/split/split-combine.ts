/**
 * The lead's last step of a split proof: the threads' partial sums and the header terms become
 * the proof's three points. Each point is one small MSM whose bases are the partial sums (scalar
 * 1) and the header points (scalars 1, r, s, -rs), the same trick the whole prover uses for its
 * header terms, so no other point arithmetic is needed:
 *   A  = sum_k A_k  + alpha1 + r delta1
 *   B1 = sum_k B1_k + beta1  + s delta1        (G1 copy of B, only needed for C)
 *   B2 = sum_k B2_k + beta2  + s delta2        (G2)
 *   C  = sum_k C_k + sum_k H_k + s A + r B1 - rs delta1
 * A group element has one affine form, so the bytes equal the whole prover's for the same r, s.
 */
import type { Bn254Wasm } from "../bn254-wasm.js";
import { BN254_R } from "../readers/zkey-groth16.js";
import type { PerMsm } from "./warm-slice.js";

/** The zkey's header points, file form (64 bytes G1, 128 bytes G2). */
export interface HeaderPoints {
  readonly alpha1: Uint8Array;
  readonly beta1: Uint8Array;
  readonly delta1: Uint8Array;
  readonly beta2: Uint8Array;
  readonly delta2: Uint8Array;
}

/**
 * Every thread's partial sums, one entry per thread (the lead's included); `c` holds C's
 * witness parts and H parts together, since C sums them all.
 */
export type AllPartials = PerMsm<readonly Uint8Array[]>;

export function le32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
};

/** sum_i k_i P_i over (point, scalar) terms, G1 or G2, with the wasm MSM. */
function sum(w: Pick<Bn254Wasm, "g1Msm" | "g2Msm">, group: 1 | 2, terms: ReadonlyArray<readonly [Uint8Array, bigint]>): Uint8Array {
  const points = concat(terms.map(([p]) => p));
  const scalars = concat(terms.map(([, k]) => le32(k)));
  return group === 1 ? w.g1Msm(points, scalars, terms.length) : w.g2Msm(points, scalars, terms.length);
}

/** The proof's A (G1), B (G2) and C (G1), zkey byte form. */
export function combineProof(
  w: Pick<Bn254Wasm, "g1Msm" | "g2Msm" | "g1MulAdd" | "g2MulAdd">,
  header: HeaderPoints,
  parts: AllPartials,
  r: bigint,
  s: bigint,
): { a: Uint8Array; b2: Uint8Array; c: Uint8Array } {
  const ones = (points: readonly Uint8Array[]) => points.map((p) => [p, 1n] as const);
  // The sums of public points run through the (variable-time) MSM; the blinding terms through
  // the constant-time multiply, and their scalars' byte copies are zeroed after.
  const rB = le32(r), sB = le32(s), rsB = le32((BN254_R - ((r * s) % BN254_R)) % BN254_R);
  try {
    // Each sum before its blinding term is a function of the witness alone: zeroed after use.
    const blind = (group: 1 | 2, unblinded: Uint8Array, base: Uint8Array, k: Uint8Array) => {
      const out = (group === 1 ? w.g1MulAdd : w.g2MulAdd)(unblinded, base, k);
      unblinded.fill(0);
      return out;
    };
    const a = blind(1, sum(w, 1, [...ones(parts.a), [header.alpha1, 1n]]), header.delta1, rB);
    const b1 = blind(1, sum(w, 1, [...ones(parts.b1), [header.beta1, 1n]]), header.delta1, sB);
    const b2 = blind(2, sum(w, 2, [...ones(parts.b2), [header.beta2, 1n]]), header.delta2, sB);
    const c = blind(1, blind(1, blind(1, sum(w, 1, ones(parts.c)), a, sB), b1, rB), header.delta1, rsB);
    b1.fill(0);
    return { a, b2, c };
  } finally {
    rB.fill(0), sB.fill(0), rsB.fill(0);
  }
}
