/**
 * Points in the zkey's byte form (affine, each Fq coordinate 32-byte little-endian Montgomery
 * with R = 2^256, infinity all zeros) to snarkjs's proof JSON: decimal strings of the standard
 * coordinates with a projective 1 appended, as `G1.toObject(G1.toAffine(p))` prints them.
 */
import type { Groth16Proof } from "../../../engine/types.js";
import { BN254_Q } from "./zkey-groth16.js";

/** 2^-256 mod q: Montgomery form to standard form is one multiply by it. */
const R_INV = modPow(2n, BN254_Q - 1n - 256n, BN254_Q);

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

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
