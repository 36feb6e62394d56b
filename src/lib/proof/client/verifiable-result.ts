/**
 * What `ProofAPI.verify` accepts: a proof result, or the same three fields from a server or a
 * store, checked for shape before anything is sent to a worker.
 */
import { invalid } from "../core/option-checks.js";
import type { EbslProofResult } from "../ebsl/ebsl-plan.js";

/** Any `EbslProofResult`, or just its circuit id, proof and public signals. */
export type VerifiableResult = Pick<EbslProofResult, "circuitId" | "proof" | "publicSignals">;

/** Throws ValidationError naming the field unless `value` has the shape of a {@link VerifiableResult}. */
export function assertVerifiableResult(value: unknown): asserts value is VerifiableResult {
  const r = value as Partial<VerifiableResult> | null | undefined;
  if (typeof r !== "object" || r === null) invalid("result", "must be a proof result object");
  if (typeof r!.circuitId !== "string" || r!.circuitId.length === 0 || r!.circuitId.length > 256) invalid("circuitId", "must be a non-empty string of at most 256 characters");
  if (typeof r!.proof !== "object" || r!.proof === null) invalid("proof", "must be a Groth16 proof object");
  if (!Array.isArray(r!.publicSignals) || !r!.publicSignals.every((x) => typeof x === "string")) invalid("publicSignals", "must be an array of decimal strings");
}
