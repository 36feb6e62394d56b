/**
 * `result.hash`: a stable SHA-256 over (circuit id, proof, public signals). Used for
 * dedup and tamper checks: any change to a proof coordinate, a public signal or the circuit id
 * changes the hash. Synchronous (@noble/hashes) because the inputs are a few hundred bytes.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { canonicalJson } from "./canonical-json.js";

/**
 * The fields of a Groth16 proof that verification reads, and so the only ones hashed (any
 * `Groth16Proof` fits: the hash depends on no engine type).
 */
export interface HashedGroth16Proof {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
  readonly protocol: string;
  readonly curve: string;
}

const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256HexSync(text: string): string {
  return bytesToHex(sha256(encoder.encode(text)));
}

/**
 * The canonical JSON text that is hashed: sorted keys, no whitespace, only the fields
 * verification reads (extra properties on the proof object do not change it), and a version tag
 * so the encoding can change later without silently colliding with old hashes.
 */
export function resultHashPreimage(circuitId: string, proof: HashedGroth16Proof, publicSignals: readonly string[]): string {
  return canonicalJson({
    v: 1,
    circuitId,
    proof: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, protocol: proof.protocol, curve: proof.curve },
    publicSignals,
  });
}

/**
 * Hash of a proof result (`result.hash`): the one implementation, used by the facade, the cache
 * and its tamper checks.
 * @example const hash = resultHash("ebsl-16", result.proof, result.publicSignals);
 */
export function resultHash(circuitId: string, proof: HashedGroth16Proof, publicSignals: readonly string[]): string {
  return sha256HexSync(resultHashPreimage(circuitId, proof, publicSignals));
}

/** Something carrying a claimed hash of its own proof. */
export interface HashedProof {
  readonly circuitId: string;
  readonly proof: HashedGroth16Proof;
  readonly publicSignals: readonly string[];
  readonly hash: string;
}

/** True when `entry.hash` matches its circuit id, proof and public signals. Never throws. */
export function hasValidProofHash(entry: HashedProof): boolean {
  try {
    return resultHash(entry.circuitId, entry.proof, entry.publicSignals) === entry.hash;
  } catch {
    return false;
  }
}
