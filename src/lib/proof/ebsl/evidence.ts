/**
 * Opinion ↔ evidence in floating point (Škorić, de Hoogh, Zannone, "Flow-based reputation with
 * uncertainty: evidence-based subjective logic"): r = W·b/u, s = W·d/u and back
 * b = r/(r+s+W), d = s/(r+s+W), u = W/(r+s+W).
 *
 * Floating point, for display and for checking the fixed-point reference; the circuit integers
 * come from `encode.ts` and `fixed-point.ts`.
 */
import { ValidationError } from "../core/errors.js";

/**
 * The EBSL prior weight W (the paper's "2": one unit of pseudo-evidence for each outcome).
 * Same value as the circuit's `W`.
 */
export const PRIOR_WEIGHT = 2;

/** Positive (`r`) and negative (`s`) evidence. */
export interface Evidence {
  readonly r: number;
  readonly s: number;
}

/**
 * Evidence carried by an opinion. A dogmatic opinion (u = 0) carries infinite evidence and has
 * no evidence form, so it is rejected with a `ValidationError` naming `uncertainty`.
 */
export function opinionToEvidence(opinion: { readonly belief: number; readonly disbelief: number; readonly uncertainty: number }): Evidence {
  const { belief, disbelief, uncertainty } = opinion;
  if (!(uncertainty > 0) || !Number.isFinite(uncertainty)) {
    throw new ValidationError("opinion.uncertainty: must be positive and finite to have an evidence form", {
      details: { field: "uncertainty", reason: "dogmatic or non-finite" },
    });
  }
  return { r: (PRIOR_WEIGHT * belief) / uncertainty, s: (PRIOR_WEIGHT * disbelief) / uncertainty };
}

/**
 * The opinion (b, d, u) that evidence (r, s) stands for; always sums to 1 up to rounding.
 * Negative or non-finite evidence is rejected with a `ValidationError`.
 */
export function evidenceToOpinion(evidence: Evidence): { belief: number; disbelief: number; uncertainty: number } {
  const { r, s } = evidence;
  for (const [field, value] of [["r", r], ["s", s]] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new ValidationError(`evidence.${field}: must be finite and >= 0`, { details: { field, reason: "out of range" } });
    }
  }
  const total = r + s + PRIOR_WEIGHT;
  return { belief: r / total, disbelief: s / total, uncertainty: PRIOR_WEIGHT / total };
}
