/**
 * Checks a parsed zkey's points before a prover keeps them, so that a hostile or broken key is
 * refused with ArtifactInvalidError (`ARTIFACT_INVALID`) before any proof is made from it.
 *
 * Why each check: the prover's output is A, B, C built from these points and the secret
 * witness. A delta at infinity removes the blinding (A = alpha1 + sum w_i A_i is then a
 * deterministic function of the witness); a G2 point with a component outside the order-r
 * subgroup carries that component into B unblinded (s delta2 cannot mask it); a point off the
 * curve, or a coordinate that is not reduced, is not a group element at all. The pairing check
 * ties delta1 to delta2 and beta1 to beta2 (the prover uses the G1 copies in C and the G2 ones
 * in B): a key whose two copies disagree makes proofs that reveal the difference.
 *
 * - Header points (alpha1, beta1, delta1 in G1; beta2, gamma2, delta2 in G2): coordinates
 *   below p, on the curve, not infinity, G2 ones in the prime-order subgroup; then
 *   e(delta1 + rho beta1, g2) = e(g1, delta2 + rho beta2) for a random rho, one pairing product
 *   for both relations (a key that breaks either passes with probability 1/r). Done with
 *   @noble/curves, an implementation independent of bn254.wasm.
 * - Per-signal bases (sections 5 to 9, tens of thousands of points): canonical and on the
 *   curve, checked in bulk by bn254.wasm (`bn_g1_check`, `bn_g2_check`). G1 has cofactor 1. For
 *   the B2 bases' subgroup, one random combination sum rho_i B2_i (64-bit rho_i, an MSM without
 *   the GLV endomorphism, which holds only inside the subgroup) is tested: a base with a
 *   component of order l outside the subgroup survives in the sum unless rho_i cancels it,
 *   probability 1/l, and the smallest prime dividing G2's cofactor is 10069.
 *
 * Bytes matched against a pinned SHA-256 whose key passed all of this before (an earlier visit,
 * zkey-check-memo.ts) are not checked again; everything else is, every time it is loaded.
 */
import { bn254 } from "@noble/curves/bn254.js";
import { invalidFile, leBigInt } from "../../../engine/artifacts/bin-file.js";
import { alloc, allocBytes, G2_POINT_BYTES, readBytes, SCALAR_BYTES, writeBytes, zeroBytes, type Bn254Exports } from "../bn254-wasm.js";
import { cryptoRandomBytes, outOfMemory, type RandomBytes } from "../prover/groth16-proof.js";
import { BN254_Q, type Groth16Zkey } from "./zkey-groth16.js";
import { passedBefore, rememberPassed } from "./zkey-check-memo.js";

const fail = invalidFile("zkey");
const { G1, G2, fields } = bn254;
const Fp = fields.Fp;
/** zkey coordinates are x * 2^256 mod q: multiply by this to read x. */
const R_INV = Fp.inv(Fp.create(1n << 256n));

type G1Point = ReturnType<typeof G1.Point.fromAffine>;
type G2Point = ReturnType<typeof G2.Point.fromAffine>;

/** A coordinate (32 bytes, Montgomery form as ffjavascript writes it), or a reason it is not one. */
function coordinate(bytes: Uint8Array, name: string): bigint {
  const raw = leBigInt(bytes);
  if (raw >= BN254_Q) fail(`${name} has a coordinate not below the field prime`);
  return Fp.mul(raw, R_INV);
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

export function headerG1(bytes: Uint8Array, name: string): G1Point {
  if (isZero(bytes)) fail(`${name} is the point at infinity`);
  const p = G1.Point.fromAffine({ x: coordinate(bytes.subarray(0, 32), name), y: coordinate(bytes.subarray(32, 64), name) });
  try {
    p.assertValidity();
  } catch {
    fail(`${name} is not on the curve`);
  }
  return p;
}

export function headerG2(bytes: Uint8Array, name: string): G2Point {
  if (isZero(bytes)) fail(`${name} is the point at infinity`);
  const c = (at: number) => coordinate(bytes.subarray(at, at + 32), name);
  const p = G2.Point.fromAffine({ x: fields.Fp2.create({ c0: c(0), c1: c(32) }), y: fields.Fp2.create({ c0: c(64), c1: c(96) }) });
  let onCurve = true;
  try {
    p.assertValidity();
  } catch {
    onCurve = false;
  }
  // assertValidity also tests the subgroup; tell the two failures apart for the message.
  if (!onCurve) fail(p.is0() || !isOnTwist(p) ? `${name} is not on the curve` : `${name} is not in the prime-order subgroup`);
  if (!p.isTorsionFree()) fail(`${name} is not in the prime-order subgroup`);
  return p;
}

function isOnTwist(p: G2Point): boolean {
  const { x, y } = p.toAffine();
  const Fp2 = fields.Fp2;
  const b = Fp2.div(Fp2.create({ c0: 3n, c1: 0n }), Fp2.create({ c0: 9n, c1: 1n }));
  return Fp2.eql(Fp2.sqr(y), Fp2.add(Fp2.mul(Fp2.sqr(x), x), b));
}

/** Header points and the relations between them; see the module comment. */
export function validateHeader(z: Groth16Zkey, random: RandomBytes = cryptoRandomBytes): void {
  headerG1(z.alpha1, "alpha1");
  const beta1 = headerG1(z.beta1, "beta1");
  const delta1 = headerG1(z.delta1, "delta1");
  const beta2 = headerG2(z.beta2, "beta2");
  headerG2(z.gamma2, "gamma2");
  const delta2 = headerG2(z.delta2, "delta2");
  const rho = 1n + (leBigInt(random(32)) % (bn254.fields.Fr.ORDER - 1n));
  // rho is not secret: the unsafe (variable-time, no precomputed tables) multiply is cheaper cold.
  const left = delta1.add(beta1.multiplyUnsafe(rho));
  const right = delta2.add(beta2.multiplyUnsafe(rho));
  if (left.is0() || right.is0()) fail("delta and beta points do not match between G1 and G2");
  const product = bn254.pairingBatch([
    { g1: left, g2: G2.Point.BASE.negate() },
    { g1: G1.Point.BASE, g2: right },
  ]);
  if (!fields.Fp12.eql(product, fields.Fp12.ONE)) fail("delta and beta points do not match between G1 and G2");
}

/** Largest run of points copied into wasm memory per check call (keeps the scratch small). */
const CHUNK_POINTS = 1 << 14;

function checkBases(e: Bn254Exports, points: Uint8Array, bytesPer: 64 | 128, section: number): void {
  const count = points.byteLength / bytesPer;
  for (let first = 0; first < count; first += CHUNK_POINTS) {
    const n = Math.min(CHUNK_POINTS, count - first);
    e.bn_reset();
    const p = allocBytes(e, points.subarray(first * bytesPer, (first + n) * bytesPer));
    const bad = (bytesPer === 64 ? e.bn_g1_check(p, n) : e.bn_g2_check(p, n)) >>> 0;
    if (bad < n) fail(`section ${section} point ${first + bad} has a coordinate not below the field prime or is not on the curve`);
  }
  e.bn_reset();
}

/** The B2 bases' subgroup, through one random combination (module comment). */
function checkB2Subgroup(e: Bn254Exports, points: Uint8Array, random: RandomBytes): void {
  const n = points.byteLength / 128;
  if (n === 0) return;
  e.bn_reset();
  const out = alloc(e, G2_POINT_BYTES), pp = allocBytes(e, points), sp = alloc(e, SCALAR_BYTES * n);
  // 8 random bytes per base in 32-byte scalars: the arena does not clear what it hands out.
  zeroBytes(e, sp, SCALAR_BYTES * n);
  // Drawn in pieces: getRandomValues gives at most 65536 bytes per call.
  for (let i = 0; i < n; i += 4096) {
    const rho = random(8 * Math.min(4096, n - i));
    for (let k = 0; k < rho.byteLength / 8; k++) writeBytes(e, sp + SCALAR_BYTES * (i + k), rho.subarray(8 * k, 8 * k + 8));
  }
  if (e.g2_msm(out, pp, sp, n, 0, 1) !== 0) throw new RangeError("zkey check: bn254.wasm could not grow memory");
  const sum = readBytes(e, out, G2_POINT_BYTES);
  e.bn_reset();
  if (isZero(sum)) return;
  try {
    headerG2(sum, "a combination of the B2 points");
  } catch {
    fail("section 7 has a point outside the prime-order subgroup");
  }
}

/**
 * Every check of the module comment, on a fresh instance (or one whose arena holds nothing to
 * keep): ArtifactInvalidError naming the first bad point, or nothing.
 */
export function validateGroth16Zkey(e: Bn254Exports, z: Groth16Zkey, random: RandomBytes = cryptoRandomBytes): void {
  // A worker may load one key twice (the whole prover and a split of it): check it once.
  if (validated.get(z.pointsA.buffer) === z.pointsA.byteOffset) return;
  // Bytes matched against a pinned SHA-256 whose key passed on an earlier visit (zkey-check-memo.ts).
  if (passedBefore(z)) return void validated.set(z.pointsA.buffer, z.pointsA.byteOffset);
  validateHeader(z, random);
  outOfMemory(() => {
    checkBases(e, z.pointsA, 64, 5);
    checkBases(e, z.pointsB1, 64, 6);
    checkBases(e, z.pointsB2, 128, 7);
    checkBases(e, z.pointsC, 64, 8);
    checkBases(e, z.pointsH, 64, 9);
    checkB2Subgroup(e, z.pointsB2, random);
  });
  validated.set(z.pointsA.buffer, z.pointsA.byteOffset);
  rememberPassed(z);
}

/**
 * Buffers whose zkey passed, by identity (with where its A section starts): a prover worker
 * keeps each loaded key's bytes in one buffer for as long as it proves with it, and the parsed
 * sections are views into it.
 */
const validated = new WeakMap<ArrayBufferLike, number>();
