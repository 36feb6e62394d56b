/**
 * A zkey decoded once into bn254.wasm memory and kept there across proofs: the G1 bases in the
 * MSM's internal affine form with their GLV images, the G2 bases with theirs, and the QAP coefficients.
 * A proof then copies in only the witness and writes its scalars next to the kept bases; the
 * JavaScript side holds no zkey bytes at all.
 *
 * Each MSM's bases are laid out so that the proof's public header terms join the MSM (alpha1,
 * beta1, beta2 with scalar 1): A = [A_i, alpha1, delta1], B1 = [B1_i, beta1, delta1],
 * B2 = [B2_i, beta2, delta2], C = [C_i (private signals), H_j, slot for A, slot for B1, delta1].
 * The delta entries and the slots get scalar 0: the blinding terms are added outside the MSM
 * by a constant-time multiply (groth16-proof.ts).
 *
 * A proof can also be split in two halves for two cores ("h": the H evaluations and their MSM,
 * about 45 % of the work; "rest": everything else), each half keeping only its own bases. Then
 * C's bases are [C_i, slot for A, slot for B1, delta1, slot for the H half's point] and the H
 * half keeps the coefficients and [H_j].
 *
 * Memory, kept: 72 bytes per G1 base (9 limbs of 29 bits per coordinate; the MSM makes the
 * GLV images' contribution without storing them), 144 per G2 base, 44 per coefficient: 1.125
 * times the zkey's point bytes.
 */
import { alloc, allocBytes, decodeInto, keptBytes, pointBytes, type Bn254Exports } from "../bn254-wasm.js";
import type { Groth16Zkey } from "../readers/zkey-groth16.js";

/** Which bases a prover keeps: all, or one half of a split proof (module comment). */
export type ZkeyPart = "whole" | "h" | "rest";

export interface WarmZkey {
  readonly part: ZkeyPart;
  readonly nVars: number;
  readonly nPublic: number;
  readonly nPrivate: number;
  readonly domainSize: number;
  readonly log2Domain: number;
  readonly nCoefs: number;
  /** Pointers into wasm memory (kept below the arena's floor). */
  readonly coefs: number;
  readonly a: number;
  readonly b1: number;
  readonly b2: number;
  readonly c: number;
  /** The H half's bases [H_j] (0 in the other parts). */
  readonly h: number;
  /** Bases of the A, B1, B2 MSMs (nVars + 2) and of the C MSM. */
  readonly nAB: number;
  readonly nC: number;
  /** Indices in C's bases: H_j start (-1 without), the slots for A, B1 and the H half's point (-1 without). */
  readonly hAt: number;
  readonly slotA: number;
  readonly slotH: number;
}

/** Decodes into a fresh instance (nothing kept yet); throws RangeError when memory runs out. */
export function loadWarmZkey(e: Bn254Exports, z: Groth16Zkey, part: ZkeyPart = "whole"): WarmZkey {
  e.bn_reset();
  const coefs = part === "rest" ? 0 : allocBytes(e, z.coefs, "the QAP coefficients");
  e.bn_keep();
  const keptSet = (group: 1 | 2, parts: readonly Uint8Array[], what: string): number => {
    const total = parts.reduce((n, p) => n + p.byteLength / pointBytes(group), 0);
    const dst = alloc(e, total * keptBytes(group), what);
    e.bn_keep();
    let first = 0;
    for (const part of parts) first += decodeInto(e, group, dst, first, part);
    return dst;
  };
  const g1Set = (parts: readonly Uint8Array[], what: string): number => keptSet(1, parts, what);
  const nPrivate = z.nVars - z.nPublic - 1;
  const nAB = z.nVars + 2;
  const common = { part, nVars: z.nVars, nPublic: z.nPublic, nPrivate, domainSize: z.domainSize, log2Domain: z.log2Domain, nCoefs: z.nCoefs, coefs, nAB };
  if (part === "h") {
    const h = g1Set([z.pointsH], "the H bases");
    return { ...common, a: 0, b1: 0, b2: 0, c: 0, h, nC: 0, hAt: -1, slotA: -1, slotH: -1 };
  }
  const a = g1Set([z.pointsA, z.alpha1, z.delta1], "the A bases");
  const b1 = g1Set([z.pointsB1, z.beta1, z.delta1], "the B1 bases");
  const slots = new Uint8Array(128);
  const c = part === "whole" ? g1Set([z.pointsC, z.pointsH, slots, z.delta1], "the C and H bases") : g1Set([z.pointsC, slots, z.delta1, new Uint8Array(64)], "the C bases");
  const b2 = keptSet(2, [z.pointsB2, z.beta2, z.delta2], "the B2 bases");
  if (part === "rest") {
    return { ...common, a, b1, b2, c, h: 0, nC: nPrivate + 4, hAt: -1, slotA: nPrivate, slotH: nPrivate + 3 };
  }
  return { ...common, a, b1, b2, c, h: 0, nC: nPrivate + z.domainSize + 3, hAt: nPrivate, slotA: nPrivate + z.domainSize, slotH: -1 };
}
