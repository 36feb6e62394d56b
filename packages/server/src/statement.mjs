/**
 * EBSL statement checks: a valid proof proves SOME statement; a verifier also wants the one it
 * asked for. Public signals are named with the library's parsePublicSignals and ids mapped with
 * its idToField, so the service reads them exactly as the circuits write them.
 *   subject    the proof is about this id
 *   maxAgeMs   its `now` lies within maxAgeMs of the server's clock (either side)
 *   threshold  it proves score >= at least this threshold (10^6 scale) and meets = 1
 *   reveal     true: the score is revealed (an "exact" proof); false: hidden ("threshold")
 *   roots      its registry root is one of these (decimal field elements): the attestations it
 *              fuses are the subject's whole entry in a registry the verifier trusts; without
 *              this check a proof may rest on a private registry that vouches for nothing
 */
import { loadProoflineEbsl } from "./proofline.mjs";

/** The names of the checks that failed ([] when all passed); throws PublicSignalMismatchError on malformed signals. */
export async function checkEbslStatement(publicSignals, statement, wallNow) {
  const ebsl = await loadProoflineEbsl();
  const s = ebsl.parsePublicSignals(publicSignals);
  const failed = [];
  if (statement.subject !== undefined && s.subject !== ebsl.idToField(statement.subject)) failed.push("subject");
  if (statement.maxAgeMs !== undefined) {
    const age = BigInt(wallNow) - s.now;
    if (age > BigInt(statement.maxAgeMs) || -age > BigInt(statement.maxAgeMs)) failed.push("now");
  }
  if (statement.threshold !== undefined && (s.threshold < BigInt(statement.threshold) || s.meets !== 1n)) failed.push("threshold");
  if (statement.reveal !== undefined && s.reveal !== (statement.reveal ? 1n : 0n)) failed.push("reveal");
  if (statement.roots !== undefined && !statement.roots.some((root) => BigInt(root) === s.root)) failed.push("root");
  return failed;
}
