/**
 * A zkey decoded once into bn254.wasm memory and kept there across proofs: the G1 bases in the
 * MSM's internal affine form with their GLV images, the G2 bases with theirs, and the QAP coefficients.
 * A proof then copies in only the witness and writes its scalars next to the kept bases; the
 * JavaScript side holds no zkey bytes at all.
 *
 * Each MSM's bases are laid out so that the proof's header terms join the MSM (scalars 1, r, s,
 * -rs in groth16-prover.ts): A = [A_i, alpha1, delta1], B1 = [B1_i, beta1, delta1],
 * B2 = [B2_i, beta2, delta2], C = [C_i (private signals), H_j, slot for A, slot for B1, delta1],
 * the two slots rewritten by every proof.
 *
 * Memory, kept: 144 bytes per G1 base (point and GLV image, 9 limbs of 29 bits per coordinate),
 * 288 per G2 base (the same), 44 per coefficient; a 2^15 circuit (ebsl-64) keeps about 40 MiB.
 */
import { alloc, type Bn254Exports } from "./bn254-wasm.js";
import type { Groth16Zkey } from "./zkey-groth16.js";

const G1_AFF_BYTES = 72;
const G2_AFF_BYTES = 144;

export interface WarmZkey {
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
  /** Bases of the A, B1, B2 MSMs (nVars + 2) and of the C MSM (nPrivate + domainSize + 3). */
  readonly nAB: number;
  readonly nC: number;
}

function put(e: Bn254Exports, bytes: Uint8Array): number {
  const p = alloc(e, Math.max(1, bytes.byteLength));
  new Uint8Array(e.memory.buffer).set(bytes, p);
  return p;
}

/** Decodes into a fresh instance (nothing kept yet); throws RangeError when memory runs out. */
export function loadWarmZkey(e: Bn254Exports, z: Groth16Zkey): WarmZkey {
  e.bn_reset();
  const coefs = put(e, z.coefs);
  e.bn_keep();
  const g1Set = (parts: readonly Uint8Array[]): number => {
    const total = parts.reduce((n, p) => n + p.byteLength / 64, 0);
    const dst = alloc(e, 2 * total * G1_AFF_BYTES);
    e.bn_keep();
    let first = 0;
    for (const part of parts) {
      const count = part.byteLength / 64;
      e.g1_decode(dst, total, first, put(e, part), count, 0);
      e.bn_reset();
      first += count;
    }
    return dst;
  };
  const nPrivate = z.nVars - z.nPublic - 1;
  const a = g1Set([z.pointsA, z.alpha1, z.delta1]);
  const b1 = g1Set([z.pointsB1, z.beta1, z.delta1]);
  const c = g1Set([z.pointsC, z.pointsH, new Uint8Array(128), z.delta1]);
  const nAB = z.nVars + 2;
  const b2 = alloc(e, 2 * nAB * G2_AFF_BYTES);
  e.bn_keep();
  let first = 0;
  for (const part of [z.pointsB2, z.beta2, z.delta2]) {
    const count = part.byteLength / 128;
    e.g2_decode(b2, nAB, first, put(e, part), count, 0);
    e.bn_reset();
    first += count;
  }
  return {
    nVars: z.nVars,
    nPublic: z.nPublic,
    nPrivate,
    domainSize: z.domainSize,
    log2Domain: z.log2Domain,
    nCoefs: z.nCoefs,
    coefs,
    a,
    b1,
    b2,
    c,
    nAB,
    nC: nPrivate + z.domainSize + 3,
  };
}
