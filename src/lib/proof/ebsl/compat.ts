/**
 * The Shadowgraph seed engine's fusion, reproduced for migration: DISPLAY ONLY, never proven.
 *
 * That engine fused pairwise, left to right, with a weighted variant of Jøsang's cumulative
 * rule, so its result depends on the order of the attestations and on only the two latest
 * weights at each step. For dapps moving to proofline this shows the number their users used
 * to see next to the proven EBSL score (`fusion.ts`); the two are not expected to agree.
 *
 * One step, with the pair's weights normalised to w₁ + w₂ = 1 and k = w₁u₁ + w₂u₂ − w₁w₂u₁u₂:
 *   b = (w₁b₁u₂ + w₂b₂u₁)/k, d = (w₁d₁u₂ + w₂d₂u₁)/k, u = w₁w₂u₁u₂/k, a = (w₁a₁u₂ + w₂a₂u₁)/k;
 * then (b, d, u) is rescaled to sum to 1 when it is off by more than 1e-9 (a is not rescaled,
 * which is why its base rate can leave the range of the inputs' base rates), and every
 * component is clamped to [0, 1]. When |k| < 1e-9 (both opinions dogmatic) the step is the
 * weighted average of b, d and a with u = min(u₁, u₂).
 * Over a list, step i (i ≥ 1) fuses the running result with opinion i using weights
 * (weight[i−1]/Σweight, weight[i]/Σweight). An empty list gives (0, 0, 1, 0.5); one opinion is
 * returned as is.
 */
import { ValidationError } from "../core/errors.js";
import { score, type WeightedOpinion } from "./fusion.js";
import type { Attestation, Opinion } from "./types.js";

// The seed engine's constants; its numbers depend on them.
const EPSILON = 1e-9;
const PARTITION_THRESHOLD = 50;
const PARTITION_SIZE = 20;
const VACUOUS: Opinion = Object.freeze({ belief: 0, disbelief: 0, uncertainty: 1, base_rate: 0.5 });

const clamp01 = (x: number): number => Math.min(Math.max(x, 0), 1);

/** The seed engine's opinion check: components in [0, 1] and |b + d + u − 1| < 1e-9. */
function isCompatValid(o: Opinion): boolean {
  const inUnit = (x: number) => x >= 0 && x <= 1;
  return inUnit(o.belief) && inUnit(o.disbelief) && inUnit(o.uncertainty) && inUnit(o.base_rate)
    && Math.abs(o.belief + o.disbelief + o.uncertainty - 1) < EPSILON;
}

function invalid(index: number, field: string, reason: string): never {
  throw new ValidationError(`opinions[${index}]${field ? `.${field}` : ""}: ${reason}`, { details: { index, field: field || "opinion", reason } });
}

/** One pairwise step of the seed engine (see the module comment). */
function fusePair(o1: Opinion, o2: Opinion, weight1: number, weight2: number): Opinion {
  const w1 = weight1 / (weight1 + weight2);
  const w2 = weight2 / (weight1 + weight2);
  const { belief: b1, disbelief: d1, uncertainty: u1, base_rate: a1 } = o1;
  const { belief: b2, disbelief: d2, uncertainty: u2, base_rate: a2 } = o2;
  const k = w1 * u1 + w2 * u2 - w1 * w2 * u1 * u2;
  if (Math.abs(k) < EPSILON) {
    return {
      belief: w1 * b1 + w2 * b2,
      disbelief: w1 * d1 + w2 * d2,
      uncertainty: Math.min(u1, u2),
      base_rate: w1 * a1 + w2 * a2,
    };
  }
  let b = (w1 * b1 * u2 + w2 * b2 * u1) / k;
  let d = (w1 * d1 * u2 + w2 * d2 * u1) / k;
  let u = (w1 * w2 * u1 * u2) / k;
  const a = (w1 * a1 * u2 + w2 * a2 * u1) / k;
  const sum = b + d + u;
  if (Math.abs(sum - 1) > EPSILON && sum > 0) {
    const scale = 1 / sum;
    b *= scale;
    d *= scale;
    u *= scale;
  }
  return { belief: clamp01(b), disbelief: clamp01(d), uncertainty: clamp01(u), base_rate: clamp01(a) };
}

function fuseList(opinions: readonly Opinion[], weights: readonly number[]): Opinion {
  if (opinions.length === 0) return VACUOUS;
  if (opinions.length === 1) return opinions[0]!;
  opinions.forEach((o, i) => { if (!isCompatValid(o)) invalid(i, "opinion", "not a valid opinion (components in [0, 1], sum 1 within 1e-9)"); });
  weights.forEach((w, i) => { if (!Number.isFinite(w) || w < 0) invalid(i, "weight", "must be finite and >= 0"); });
  const total = weights.reduce((sum, w) => sum + w, 0);
  let fused = opinions[0]!;
  for (let i = 1; i < opinions.length; i++) {
    const prev = weights[i - 1]! / total;
    const cur = weights[i]! / total;
    if (!(prev + cur > 0)) invalid(i, "weight", "the seed formula is undefined when two neighbouring weights are 0");
    // The seed engine re-validated the running result; where it threw there is no number to match.
    if (!isCompatValid(fused)) invalid(i, "", "the seed formula has no result for this sequence (dogmatic opinions)");
    fused = fusePair(fused, opinions[i]!, prev, cur);
  }
  return fused;
}

/**
 * Fuse like the Shadowgraph seed engine (`fuseMultipleOpinions`): order-dependent, display
 * only, never proven. Pass attestations (or any `{ opinion, weight }` items), or opinions with
 * optional weights (default 1 each).
 *
 * @example
 * fuseCompat([{ belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 },
 *             { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 }])
 * // → b ≈ 0.677419, d ≈ 0.225806, u ≈ 0.096774, a ≈ 0.513514
 */
export function fuseCompat(items: readonly WeightedOpinion[]): Opinion;
export function fuseCompat(opinions: readonly Opinion[], weights?: readonly number[]): Opinion;
export function fuseCompat(input: readonly (WeightedOpinion | Opinion)[], weights?: readonly number[]): Opinion {
  const weighted = weights === undefined && input.length > 0 && "opinion" in input[0]!;
  if (weighted) {
    const items = input as readonly WeightedOpinion[];
    return fuseList(items.map((x) => x.opinion), items.map((x) => x.weight));
  }
  const opinions = input as readonly Opinion[];
  if (weights !== undefined && weights.length !== opinions.length) {
    throw new ValidationError("weights: must have one weight per opinion", { details: { field: "weights", reason: "length mismatch" } });
  }
  return fuseList(opinions, weights ?? opinions.map(() => 1));
}

/**
 * The seed engine's whole reputation computation (`computeReputation`), display only: keep
 * attestations whose `target` equals `subject` as a string, with `expires_at > now` and a
 * valid opinion (no `created_at` check); above 50 of them, fuse groups of 20 in order and then
 * the groups' results pairwise with equal weights; score E = b + a·u.
 */
export function reputationCompat(attestations: readonly Attestation[], context: { readonly subject: string; readonly now: number }): { opinion: Opinion; score: number } {
  const kept = attestations.filter((a) => a.target === context.subject && a.expires_at > context.now && isCompatValid(a.opinion));
  let opinion: Opinion;
  if (kept.length > PARTITION_THRESHOLD) {
    const groups: Opinion[] = [];
    for (let i = 0; i < kept.length; i += PARTITION_SIZE) groups.push(fuseCompat(kept.slice(i, i + PARTITION_SIZE)));
    opinion = fuseCompat(groups);
  } else {
    opinion = fuseCompat(kept);
  }
  return { opinion, score: score(opinion) };
}
