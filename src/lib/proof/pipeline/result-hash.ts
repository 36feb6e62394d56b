/**
 * `result.hash` (SPEC §2): SHA-256 hex of the canonical JSON of (circuit id, proof, public
 * signals), for dedup and tamper checks. The single implementation is trust/proof-hash.ts; these
 * names stay because the facade exported them first.
 */
export { proofHash as resultHash, proofHashPreimage as resultHashPreimage } from "../trust/proof-hash.js";
