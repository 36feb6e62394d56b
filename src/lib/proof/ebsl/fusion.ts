/**
 * Weighted cumulative EBSL fusion in floating point: the readable reference for what the
 * circuit proves (circuits/README.md, "What the circuit computes").
 *
 * Evidence adds, so fusion is order-independent: R = Σ wᵢ·rᵢ, S = Σ wᵢ·sᵢ, then
 * b = R/(R+S+W), d = S/(R+S+W), u = W/(R+S+W). The fused base rate is the weight-averaged base
 * rate (0.5 when the total weight is 0), and the score is E = b + a·u.
 */
import { opinionToEvidence, PRIOR_WEIGHT } from "./evidence.js";
import { SCALE as FIXED_SCALE, WP as FIXED_WP } from "./fixed-point.js";
import { idToField } from "./encode.js";
import type { Attestation, CircuitOutputs, Opinion } from "./types.js";

/** Base rate when nothing counts (the circuit's `z · 500000` term). */
export const NEUTRAL_BASE_RATE = 0.5;

// The contract's SCALE and WP = W·10^12, as numbers, for reading circuit outputs.
const SCALE = Number(FIXED_SCALE);
const WP = Number(FIXED_WP);

export interface WeightedOpinion {
  readonly opinion: Opinion;
  readonly weight: number;
}

export interface FusionContext {
  /** Id of whom the reputation is about; only attestations with this `target` count. */
  readonly subject: string;
  /** Epoch ms; only attestations with `created_at ≤ now < expires_at` count. */
  readonly now: number;
}

/** E = b + a·u, the expected probability of the opinion; in [0, 1] for valid opinions. */
export function score(opinion: Opinion): number {
  return opinion.belief + opinion.base_rate * opinion.uncertainty;
}

/**
 * Fuse weighted opinions by adding their evidence (every item counts; no time or subject rule).
 * An empty list (or total weight 0) gives the vacuous opinion (0, 0, 1, 0.5).
 */
export function fuseWeighted(items: readonly WeightedOpinion[]): Opinion {
  let R = 0;
  let S = 0;
  let WS = 0;
  let AS = 0;
  for (const { opinion, weight } of items) {
    if (weight === 0) continue; // also skips a zero-weight dogmatic opinion's infinite evidence
    const { r, s } = opinionToEvidence(opinion);
    R += weight * r;
    S += weight * s;
    WS += weight;
    AS += weight * opinion.base_rate;
  }
  const D = R + S + PRIOR_WEIGHT;
  return {
    belief: R / D,
    disbelief: S / D,
    uncertainty: PRIOR_WEIGHT / D,
    base_rate: WS > 0 ? AS / WS : NEUTRAL_BASE_RATE,
  };
}

/**
 * Whether an attestation counts in the circuit: in force at `now`
 * (`created_at ≤ now < expires_at`) and about `subject` (ids compared as circuit ids, so hex
 * ids match whatever their case or zero padding).
 */
export function countsFor(att: Attestation, context: FusionContext): boolean {
  return countsForField(att, context.now, idToField(context.subject));
}

/** `countsFor` with the subject already converted by `idToField` (avoids rehashing it). */
function countsForField(att: Attestation, now: number, subjectField: bigint): boolean {
  return att.created_at <= now && now < att.expires_at && idToField(att.target) === subjectField;
}

/**
 * Fuse the attestations that count at `now` about `subject` (the same rule as the circuit),
 * in floating point. Agrees with the circuit's integers up to fixed-point rounding.
 */
export function fuseAttestations(attestations: readonly Attestation[], context: FusionContext): Opinion {
  const subjectField = idToField(context.subject);
  return fuseWeighted(attestations.filter((att) => countsForField(att, context.now, subjectField)));
}

/**
 * The fused opinion the circuit's integers stand for (circuits/README.md): `belief = R/D`,
 * `disbelief = S/D`, `uncertainty = WP/D` with `WP = W·10^12`, `base_rate = aF/10^6`.
 * This is what `result.fusedOpinion` reports: the opinion behind the proven score.
 */
export function fusedOpinionFromOutputs(outputs: Pick<CircuitOutputs, "R" | "S" | "D" | "aF">): Opinion {
  const D = Number(outputs.D);
  return {
    belief: Number(outputs.R) / D,
    disbelief: Number(outputs.S) / D,
    uncertainty: WP / D,
    base_rate: Number(outputs.aF) / SCALE,
  };
}
