/**
 * Groth16 proof re-randomisation on BN254, so a cached result handed out twice is not
 * byte-identical (no linking of two presentations by proof bytes) yet still verifies against
 * the same vkey and public signals.
 *
 * With random non-zero scalars r1, r2:
 *   A' = r1⁻¹·A,   B' = r1·B + r1·r2·δ₂,   C' = C + r2·A
 * Then e(A', B') = e(A, B)·e(A, δ₂)^r2 and e(C', δ₂) = e(C, δ₂)·e(A, δ₂)^r2, so the verifier's
 * equation e(A,B) = e(α,β)·e(L,γ)·e(C,δ) still holds. Only the public δ₂ of the vkey is needed.
 *
 * The curve is ffjavascript's `buildBn128(true)` (single-threaded wasm). Building it costs a few
 * hundred ms, so callers pass one they hold (the prover worker has one) or use `loadBn128()`,
 * which builds it once on first use.
 */
import { ValidationError } from "../core/errors.js";
import type { Groth16Proof } from "../engine/types.js";

/** The subset of ffjavascript's curve object this module uses (it ships no types). */
export interface Bn128Curve {
  readonly r: bigint;
  readonly G1: CurveGroup;
  readonly G2: CurveGroup;
  terminate?(): Promise<void> | void;
}
interface CurveGroup {
  fromObject(o: unknown): Uint8Array;
  toObject(p: Uint8Array): unknown[];
  toAffine(p: Uint8Array): Uint8Array;
  timesScalar(p: Uint8Array, s: bigint): Uint8Array;
  add(a: Uint8Array, b: Uint8Array): Uint8Array;
  isValid(p: Uint8Array): boolean;
  isZero(p: Uint8Array): boolean;
}

/** The vkey field used here (snarkjs `verification_key.json`). */
export interface VkeyDelta {
  readonly vk_delta_2: readonly (readonly (string | bigint)[])[];
}

export interface RerandomizeOptions {
  /** Random bytes. @default crypto.getRandomValues */
  readonly random?: (bytes: number) => Uint8Array;
}

let shared: Promise<Bn128Curve> | undefined;

/** Build the single-threaded BN254 curve once per realm (lazily; nothing runs at import). */
export function loadBn128(): Promise<Bn128Curve> {
  return (shared ??= import("ffjavascript").then(({ buildBn128 }) => buildBn128(true) as Promise<Bn128Curve>));
}

const defaultRandom = (n: number): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** A uniform non-zero scalar mod r: 64 random bytes reduced mod r (bias below 2^-250). */
export function randomScalar(r: bigint, random: (bytes: number) => Uint8Array = defaultRandom): bigint {
  for (;;) {
    const bytes = random(64);
    let x = 0n;
    for (const b of bytes) x = (x << 8n) | BigInt(b);
    const s = x % r;
    if (s !== 0n) return s;
  }
}

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  base %= mod;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % mod;
    base = (base * base) % mod;
    exp >>= 1n;
  }
  return result;
}

function toBigInts(value: unknown, field: string): unknown {
  if (Array.isArray(value)) return value.map((v, i) => toBigInts(v, `${field}[${i}]`));
  if (typeof value === "bigint") return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return BigInt(value);
  throw new ValidationError(`Invalid Groth16 proof coordinate at "${field}".`, { details: { field, reason: "not a decimal string" } });
}

function toDecimal(value: unknown): unknown {
  return Array.isArray(value) ? value.map(toDecimal) : (value as bigint).toString(10);
}

function point(group: CurveGroup, value: unknown, field: string): Uint8Array {
  let p: Uint8Array;
  try {
    p = group.fromObject(toBigInts(value, field));
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError(`Invalid curve point at "${field}".`, { details: { field, reason: "not a point" } });
  }
  if (!group.isValid(p) || group.isZero(p)) {
    throw new ValidationError(`Invalid curve point at "${field}".`, { details: { field, reason: "not on the curve or zero" } });
  }
  return p;
}

/**
 * A fresh proof of the same statement. Output is in snarkjs's JSON form (affine, z = 1,
 * decimal strings), so it verifies with `snarkjs.groth16.verify` unchanged.
 * @throws ValidationError naming the field for malformed proofs or a malformed `vk_delta_2`.
 * @example const fresh = rerandomizeProof(await loadBn128(), cached.proof, vkey);
 */
export function rerandomizeProof(curve: Bn128Curve, proof: Groth16Proof, vkey: VkeyDelta, options: RerandomizeOptions = {}): Groth16Proof {
  if (proof.protocol !== "groth16" || (proof.curve !== "bn128" && proof.curve !== "bn254")) {
    throw new ValidationError("Only Groth16 proofs on BN254 can be re-randomised.", { details: { field: "protocol", reason: "unsupported" } });
  }
  const { G1, G2 } = curve;
  const r = BigInt(curve.r);
  const A = point(G1, proof.pi_a, "pi_a");
  const B = point(G2, proof.pi_b, "pi_b");
  const C = point(G1, proof.pi_c, "pi_c");
  const delta = point(G2, vkey.vk_delta_2, "vk_delta_2");
  const r1 = randomScalar(r, options.random);
  const r2 = randomScalar(r, options.random);
  const r1Inv = modPow(r1, r - 2n, r); // Fermat: r is prime

  const A2 = G1.timesScalar(A, r1Inv);
  const B2 = G2.add(G2.timesScalar(B, r1), G2.timesScalar(delta, (r1 * r2) % r));
  const C2 = G1.add(C, G1.timesScalar(A, r2));

  return {
    ...proof,
    pi_a: toDecimal(G1.toObject(G1.toAffine(A2))) as string[],
    pi_b: toDecimal(G2.toObject(G2.toAffine(B2))) as string[][],
    pi_c: toDecimal(G1.toObject(G1.toAffine(C2))) as string[],
  };
}
