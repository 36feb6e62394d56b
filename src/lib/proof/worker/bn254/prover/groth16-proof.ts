/**
 * One Groth16 proof on a warm zkey (warm-zkey.ts), as the whole or as one half of a split proof.
 *
 * With blinding scalars r, s (fresh from a CSPRNG for every proof) and witness w:
 *   A  = alpha1 + sum w_i A_i + r delta1                    (G1, zkey section 5)
 *   B  = beta2  + sum w_i B_i + s delta2                    (G2, section 7; B1 the same in G1, section 6)
 *   C  = sum_{private} w_i C_i + sum_j h_j H_j + s A + r B1 - r s delta1   (sections 8, 9)
 * The public part of each line is one multi-scalar multiplication (variable time; alpha1, beta1,
 * beta2 join the zkey's points with scalar 1); the blinding terms r delta1, s delta2, s A, r B1,
 * -rs delta1 are added to its result by the constant-time multiply, so the secret scalars never
 * index the MSM's buckets. In a split proof the H half returns sum_j h_j H_j, which joins C's
 * MSM with scalar 1.
 */
import { ArtifactInvalidError, ResourceExhaustedError } from "../../../core/errors.js";
import type { Groth16Proof } from "../../../engine/types.js";
import { alloc, allocBytes, G1_POINT_BYTES, mulAdd, pointBytes, readBytes, SCALAR_BYTES, writeBytes, type Bn254Exports } from "../bn254-wasm.js";
import { proofJson } from "../readers/proof-json.js";
import { randomFrScalar, type RandomBytes } from "./random-scalar.js";
import type { WarmZkey } from "./warm-zkey.js";
import { readWitness } from "../readers/wtns-file.js";
import { BN254_R } from "../readers/zkey-groth16.js";

/**
 * Progress inside one proof: `step` names the work that starts now, `fraction` (0..1) is the
 * share of the proof's cost done before it (measured CPU shares; see the provers).
 */
export interface ProofPhase {
  readonly step: string;
  readonly fraction: number;
}

export interface Groth16Result {
  readonly proof: Groth16Proof;
  /** Decimal strings, signals 1..nPublic of the witness. */
  readonly publicSignals: string[];
}

/**
 * A proof under way: it yields each phase as it starts and returns the proof. The phases are
 * values its caller forwards (a prover worker posts them as progress), so the proof holds no
 * listener of the layer above. Run it to the end: its secrets are zeroed when it returns or throws.
 */
export type ProofRun = AsyncGenerator<ProofPhase, Groth16Result, undefined>;

/** The proof of `run`, its phases passed over. */
export async function proofResult(run: ProofRun): Promise<Groth16Result> {
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

function le32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

const ONE = le32(1n);
const ZERO = new Uint8Array(32);

/** bn254.wasm reports exhausted memory as RangeError; everything else is a bug to surface. */
export function outOfMemory<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new ResourceExhaustedError(`bn254 prover: ${error.message}`, { cause: error });
    throw error;
  }
}

/** A bn254.wasm status: 1 is memory that could not grow (RangeError), any other non-zero a bad coefficient. */
export function check(status: number, what: string): void {
  if (status === 1) throw new RangeError(`${what}: bn254.wasm could not grow memory`);
  if (status !== 0) {
    throw new ArtifactInvalidError(`zkey: ${what} found a coefficient out of range`, { details: { what: "zkey", reason: "coefficient out of range" } });
  }
}

/** The witness values of a .wtns file, checked against the zkey's signal count. */
export function witnessValues(z: { readonly nVars: number }, wtnsBytes: Uint8Array): Uint8Array {
  const wtns = readWitness(wtnsBytes);
  if (wtns.count !== z.nVars) {
    throw new ArtifactInvalidError(`witness has ${wtns.count} values, the zkey's circuit ${z.nVars}`, {
      details: { what: "witness", reason: "length differs from the zkey", witness: wtns.count, zkey: z.nVars },
    });
  }
  return wtns.values;
}

/** The H half: sum_j h_j H_j as a 64-byte point in zkey form. */
export function proveHPart(z: WarmZkey, e: Bn254Exports, wtnsBytes: Uint8Array): Uint8Array {
  const w = witnessValues(z, wtnsBytes);
  return outOfMemory(() => {
    e.bn_reset();
    const out = alloc(e, G1_POINT_BYTES), sw = allocBytes(e, w, "the witness"), sh = alloc(e, SCALAR_BYTES * z.domainSize, "the H scalars");
    check(e.h_poly(sh, z.coefs, z.nCoefs, sw, z.nVars, z.log2Domain), "H evaluations");
    check(e.g1_msm_decoded(out, z.h, sh, z.domainSize, 0, 0), "MSM H");
    return readBytes(e, out, G1_POINT_BYTES);
  });
}

/** The header points the blinding terms multiply (zkey form): delta1 (64 bytes), delta2 (128). */
export interface BlindingBases {
  readonly delta1: Uint8Array;
  readonly delta2: Uint8Array;
}

/**
 * The whole proof ("whole" part), or the rest of one whose H half's point arrives as `hPart`
 * ("rest" part: A, B1 and B2 are computed before it is awaited).
 *
 * The witness MSMs (variable time) see only public points and witness scalars: the kept bases'
 * slots for the blinding terms get scalar 0. The terms r delta1, s delta1, s delta2, s A, r B1
 * and -rs delta1 are added after each MSM by the constant-time multiply (mulAdd), and every
 * byte copy of r, s and -rs is zeroed when the proof ends, failed or not.
 */
export async function* proveWarm(
  z: WarmZkey,
  e: Bn254Exports,
  random: RandomBytes,
  wtnsBytes: Uint8Array,
  bases: BlindingBases,
  hPart?: Promise<Uint8Array> | Uint8Array,
): ProofRun {
  const w = witnessValues(z, wtnsBytes);
  const r = randomFrScalar(random);
  const s = randomFrScalar(random);
  const secrets = [le32(r), le32(s), le32((BN254_R - ((r * s) % BN254_R)) % BN254_R)] as const;
  const [rBytes, sBytes, rsBytes] = secrets;
  try {
    const ptr = outOfMemory(() => {
      e.bn_reset();
      const p = { c: alloc(e, G1_POINT_BYTES), sAB: alloc(e, SCALAR_BYTES * z.nAB, "the A, B scalars"), sC: alloc(e, SCALAR_BYTES * z.nC, "the C and H scalars") };
      // Scalars of A, B1, B2: the witness, then alpha1's (beta1's, beta2's) 1 and the delta slot's 0.
      writeBytes(e, p.sAB, w);
      // Scalars of C: private witness values, H (whole: written in place by h_poly), 0 for the slots.
      writeBytes(e, p.sC, w.subarray(32 * (z.nPublic + 1)));
      if (z.hAt >= 0) check(e.h_poly(p.sC + 32 * z.hAt, z.coefs, z.nCoefs, p.sAB, z.nVars, z.log2Domain), "H evaluations");
      // Shares of one proof's CPU time (ebsl-64): H evaluations 13 %, A 10 %, B1 8 %, B2 22 %, C with H 47 %.
      // The arena is not zeroed on allocation: every slot's scalar is written, zeros included.
      writeBytes(e, p.sAB + 32 * z.nVars, ONE), writeBytes(e, p.sAB + 32 * (z.nVars + 1), ZERO);
      writeBytes(e, p.sC + 32 * z.slotA, new Uint8Array(96));
      return p;
    });
    // The MSM's result is unblinded (a function of the witness alone): zeroed once blinded.
    const blinded = (group: 1 | 2, points: number, what: string, base: Uint8Array, k: Uint8Array): Uint8Array =>
      outOfMemory(() => {
        const out = alloc(e, pointBytes(group));
        check((group === 1 ? e.g1_msm_decoded : e.g2_msm_decoded)(out, points, ptr.sAB, z.nAB, 0, 0), what);
        const unblinded = readBytes(e, out, pointBytes(group));
        const result = mulAdd(e, group, unblinded, base, k);
        unblinded.fill(0);
        return result;
      });
    yield { step: "multiexp A", fraction: 0.13 };
    const a = blinded(1, z.a, "MSM A", bases.delta1, rBytes);
    yield { step: "multiexp B1", fraction: 0.23 };
    const b1 = blinded(1, z.b1, "MSM B1", bases.delta1, sBytes);
    yield { step: "multiexp B2", fraction: 0.31 };
    const b2 = blinded(2, z.b2, "MSM B2", bases.delta2, sBytes);
    if (z.slotH >= 0) {
      const h = await hPart;
      if (!(h instanceof Uint8Array) || h.byteLength !== G1_POINT_BYTES) throw new TypeError("the H half's point must be 64 bytes");
      outOfMemory(() => {
        const hp = allocBytes(e, h);
        e.g1_decode(z.c, z.slotH, hp, 1);
        writeBytes(e, ptr.sC + 32 * z.slotH, ONE);
      });
    }
    yield { step: z.hAt >= 0 || z.slotH >= 0 ? "multiexp C, H" : "multiexp C", fraction: 0.53 };
    const c = outOfMemory(() => {
      check(e.g1_msm_decoded(ptr.c, z.c, ptr.sC, z.nC, 0, 0), "MSM C");
      const unblinded = readBytes(e, ptr.c, G1_POINT_BYTES);
      const withSA = mulAdd(e, 1, unblinded, a, sBytes);
      const withRB = mulAdd(e, 1, withSA, b1, rBytes);
      unblinded.fill(0), withSA.fill(0), b1.fill(0);
      const result = mulAdd(e, 1, withRB, bases.delta1, rsBytes);
      withRB.fill(0);
      return result;
    });
    return { proof: proofJson(a, b2, c), publicSignals: publicSignalsOf(w, z.nPublic) };
  } finally {
    for (const b of secrets) b.fill(0);
  }
}

/** Signals 1..nPublic of the witness values, as decimal strings. */
export function publicSignalsOf(w: Uint8Array, nPublic: number): string[] {
  const publicSignals: string[] = [];
  for (let i = 1; i <= nPublic; i++) {
    let v = 0n;
    for (let b = 32 * i + 31; b >= 32 * i; b--) v = (v << 8n) | BigInt(w[b]!);
    publicSignals.push(v.toString());
  }
  return publicSignals;
}
