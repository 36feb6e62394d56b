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
 *
 * The proof's edges are here too, since nothing else in production uses them: the witness it
 * reads, the blinding scalars it draws and the snarkjs proof JSON it returns (a split proof
 * draws and returns the same way).
 */
import { ArtifactInvalidError, ResourceExhaustedError } from "../../../core/errors.js";
import { leBigInt, openBinFile } from "../../../engine/artifacts/bin-file.js";
import type { Groth16Proof } from "../../../engine/types.js";
import { alloc, allocBytes, G1_POINT_BYTES, mulAdd, pointBytes, readBytes, SCALAR_BYTES, writeBytes, type Bn254Exports } from "../bn254-wasm.js";
import type { WarmZkey } from "./warm-zkey.js";
import { BN254_Q, BN254_R } from "../readers/zkey-groth16.js";

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

/**
 * A circom witness (`.wtns`, as snarkjs `wtns.calculate` writes it): section 1 holds the field
 * element size, the prime and the count; section 2 the values, 32-byte little-endian standard
 * form, signal 0 being the constant 1. Values are returned as a view, in the byte form the MSMs
 * take as scalars.
 */
export interface Witness {
  readonly count: number;
  /** count * 32 bytes. */
  readonly values: Uint8Array;
}

/** Reads a BN254 circom witness; ArtifactInvalidError (details: what, reason) on anything else. */
export function readWitness(bytes: Uint8Array): Witness {
  const { fail, sectionOf } = openBinFile(bytes, "wtns", "witness");
  const h = sectionOf(1);
  if (h.byteLength < 40) fail("header too short");
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (hv.getUint32(0, true) !== 32) fail("field elements are not 32 bytes");
  if (leBigInt(h.subarray(4, 36)) !== BN254_R) fail("field is not the bn128 scalar field");
  const count = hv.getUint32(36, true);
  const values = sectionOf(2);
  if (values.byteLength !== count * 32) fail(`values section holds ${values.byteLength} bytes for ${count} values`);
  return { count, values };
}

/** Returns `bytes` random bytes. @default crypto.getRandomValues */
export type RandomBytes = (bytes: number) => Uint8Array;

/** The default source: the platform CSPRNG (Web Crypto, in browsers and Node alike). */
export const cryptoRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/**
 * A blinding scalar (r or s), uniform in [1, r): 64 random bytes reduced mod r (bias below
 * 2^-250), zero redrawn. Blinding scalars must be uniform, secret and fresh for every proof:
 * two proofs sharing r and s leak the witness difference, so they come from a CSPRNG on every
 * call and are never cached. The source is injectable for tests only.
 */
export function randomFrScalar(random: RandomBytes = cryptoRandomBytes): bigint {
  for (;;) {
    const bytes = random(64);
    if (bytes.length < 64) throw new RangeError(`random source returned ${bytes.length} bytes, 64 requested`);
    let x = 0n;
    for (const b of bytes.subarray(0, 64)) x = (x << 8n) | BigInt(b);
    const s = x % BN254_R;
    if (s !== 0n) return s;
  }
}

/** 2^-256 mod q: Montgomery form to standard form is one multiply by it. */
const R_INV = modPow(2n, BN254_Q - 1n - 256n, BN254_Q);

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

/**
 * A coordinate of a point in the zkey's byte form (affine, each Fq coordinate 32-byte
 * little-endian Montgomery with R = 2^256, infinity all zeros) in standard form. The proof JSON
 * holds decimal strings of these with a projective 1 appended, as snarkjs's
 * `G1.toObject(G1.toAffine(p))` prints them.
 */
function coordinate(bytes: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = at + 31; i >= at; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return (v * R_INV) % BN254_Q;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);

/** A 64-byte G1 point as `[x, y, "1"]`; infinity as `["0", "1", "0"]`. */
export function g1ToJson(p: Uint8Array): string[] {
  if (isZero(p.subarray(0, 64))) return ["0", "1", "0"];
  return [coordinate(p, 0).toString(), coordinate(p, 32).toString(), "1"];
}

/** A 128-byte G2 point (x = x0 + x1·u, then y) as `[[x0, x1], [y0, y1], ["1", "0"]]`. */
export function g2ToJson(p: Uint8Array): string[][] {
  if (isZero(p.subarray(0, 128))) return [["0", "0"], ["1", "0"], ["0", "0"]];
  const c = (i: number) => coordinate(p, 32 * i).toString();
  return [[c(0), c(1)], [c(2), c(3)], ["1", "0"]];
}

/** The proof object snarkjs 0.7.6 returns (decimal strings; protocol and curve named). */
export function proofJson(a: Uint8Array, b: Uint8Array, c: Uint8Array): Groth16Proof {
  return { pi_a: g1ToJson(a), pi_b: g2ToJson(b), pi_c: g1ToJson(c), protocol: "groth16", curve: "bn128" };
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
