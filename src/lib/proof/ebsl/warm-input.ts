/**
 * A public example input of an EBSL circuit, for a warm-up's throwaway proof (`preload`): one
 * attestation from a fixed source about a fixed subject, at a fixed time. Nothing in it belongs
 * to a user, so it may be computed with, proven and discarded like any sample; it is a valid
 * statement, so circom's calculator runs the whole circuit on it as it will on a real request.
 * Building it runs the page-side steps of a request once as well.
 */
import type { CircuitInput } from "../engine/types.js";
import { planEbslRequest, type EbslVariant } from "./ebsl-plan.js";

const NOW = 1_767_225_600_000;
const DAY = 86_400_000;
const SUBJECT = "0x00000000000000000000000000000000000000a1";

/** The example input of `circuitId`, or undefined when it is not one of `variants`. */
export async function ebslWarmInput(variants: readonly EbslVariant[], circuitId: string, defaultThreshold: number): Promise<CircuitInput | undefined> {
  const variant = variants.find((v) => v.circuitId === circuitId);
  if (!variant) return undefined;
  const example = {
    source: "0x00000000000000000000000000000000000000b1",
    target: SUBJECT,
    opinion: { belief: 0.5, disbelief: 0.2, uncertainty: 0.3, base_rate: 0.5 },
    attestation_type: "trust",
    weight: 1,
    created_at: NOW - DAY,
    expires_at: NOW + DAY,
  };
  const plan = planEbslRequest({ attestations: [example], proofType: "exact", options: { subject: SUBJECT, now: NOW }, variants: [variant], wallNow: NOW, defaultThreshold });
  const prepared = await plan.prepare(circuitId);
  // The same main-thread steps a request takes (statement hashes, expected public signals): a
  // returning visit's first request then finds them optimised too.
  await prepared.expectedPublicSignals();
  return prepared.input as CircuitInput;
}
