/**
 * `result.hash` (SPEC §2): SHA-256 hex of the canonical JSON of (circuit id, proof, public
 * signals), for dedup and tamper checks. Canonical here means: keys in sorted order, no
 * whitespace, only the fields verification reads (extra properties on the proof object do not
 * change the hash), and a version tag so the encoding can change without silent collisions.
 *
 * The encoding is byte-identical to trust/proof-hash.ts's `proofHash` (same tag, same fields),
 * so either module may own it later without changing any hash.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { toHex } from "../engine/digest.js";
import type { Groth16Proof } from "../engine/types.js";

const encoder = new TextEncoder();

/** The canonical JSON text that is hashed (exported for tests and independent re-computation). */
export function resultHashPreimage(circuitId: string, proof: Groth16Proof, publicSignals: readonly string[]): string {
  // Insertion order is the sorted key order, so JSON.stringify is canonical for this shape
  // (strings, arrays of strings and one small integer).
  return JSON.stringify({
    circuitId,
    proof: { curve: proof.curve, pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, protocol: proof.protocol },
    publicSignals,
    v: 1,
  });
}

/**
 * Lower-case hex SHA-256 of a proof result.
 * @example const hash = resultHash("ebsl-16", result.proof, result.publicSignals);
 */
export function resultHash(circuitId: string, proof: Groth16Proof, publicSignals: readonly string[]): string {
  return toHex(sha256(encoder.encode(resultHashPreimage(circuitId, proof, publicSignals))));
}
