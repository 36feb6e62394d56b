/**
 * Bit-exact bigint reference of the EBSL circuit (circuits/ebsl.circom). The integer contract
 * (encodings, ranges, formulas) is circuits/README.md; tests compare this with real witnesses.
 */
import { ValidationError } from "../core/errors.js";
import { commitSlots } from "./registry-tree.js";
import type { CircuitOutputs, CircuitPublicInputs, EncodedSlot } from "./types.js";

/** Fixed-point unit: opinions, weights, base rates, thresholds and the score are scaled by 10^6. */
export const SCALE = 1_000_000n;
/** EBSL prior weight W (evidence r = W·b/u). */
export const W = 2n;
/** Prior weight at the scale of R and S (10^12). */
export const WP = W * SCALE * SCALE;
/** Fused base rate when no attestation counts: 0.5. */
export const DEFAULT_BASE_RATE = 500_000n;

/** Bit widths the circuit range-checks. */
export const R_BITS = 41;
export const S_BITS = 41;
export const W_BITS = 32;
export const TIME_BITS = 42;

/** Largest base rate and threshold (1.0). */
export const MAX_BASE_RATE = SCALE;
export const MAX_THRESHOLD = SCALE;

/** Padding: all zeros; expires = 0 means never in force. */
export const EMPTY_SLOT: EncodedSlot = Object.freeze({
  r: 0n, s: 0n, w: 0n, a: 0n, created: 0n, expires: 0n, issuer: 0n, target: 0n,
});

/** BN254 scalar field order: ids and the commitment are elements of it. */
export const FIELD_ORDER = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const limit = (bits: number): bigint => (1n << BigInt(bits)) - 1n;

const SLOT_LIMITS: ReadonlyArray<readonly [keyof EncodedSlot, bigint]> = [
  ["r", limit(R_BITS)],
  ["s", limit(S_BITS)],
  ["w", limit(W_BITS)],
  ["a", MAX_BASE_RATE],
  ["created", limit(TIME_BITS)],
  ["expires", limit(TIME_BITS)],
  ["issuer", FIELD_ORDER - 1n],
  ["target", FIELD_ORDER - 1n],
];

/** Throws a ValidationError (index and field name only, never the value) if a slot is outside the circuit's ranges. */
export function assertSlotInRange(slot: EncodedSlot, index: number): void {
  for (const [field, max] of SLOT_LIMITS) {
    const v = slot[field];
    if (typeof v !== "bigint" || v < 0n || v > max) {
      throw new ValidationError(`Slot ${index}: field ${field} is outside the circuit range.`, { details: { index, field } });
    }
  }
}

/** Throws a ValidationError if a public input is outside the circuit's ranges. */
export function assertPublicInRange(pub: CircuitPublicInputs): void {
  const checks: ReadonlyArray<readonly [keyof CircuitPublicInputs, bigint]> = [
    ["now", limit(TIME_BITS)],
    ["subject", FIELD_ORDER - 1n],
    ["threshold", MAX_THRESHOLD],
    ["reveal", 1n],
  ];
  for (const [field, max] of checks) {
    const v = pub[field];
    if (typeof v !== "bigint" || v < 0n || v > max) {
      throw new ValidationError(`Public input ${field} is outside the circuit range.`, { details: { field } });
    }
  }
}

/**
 * Does this slot count at `now`? (created ≤ now < expires.) Every slot of a proof sits in the
 * subject's registry entry, so a slot is about the subject by construction: attestations about
 * anyone else never reach a slot (`buildCircuitInput` leaves them out).
 */
export function slotCounts(slot: EncodedSlot, pub: Pick<CircuitPublicInputs, "now">): boolean {
  return slot.created <= pub.now && pub.now < slot.expires;
}

/**
 * What the circuit outputs for these slots (`slots.length` is the capacity N, already padded
 * with EMPTY_SLOT), plus the intermediate sums.
 * @example computeCircuitOutputs(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n }).score // 500000n
 */
export function computeCircuitOutputs(slots: readonly EncodedSlot[], pub: CircuitPublicInputs): CircuitOutputs {
  const rest = computeScoreOutputs(slots, pub);
  return { commitment: commitSlots(slots), ...rest };
}

/**
 * Everything {@link computeCircuitOutputs} returns except the Poseidon commitment (the costly
 * part, which the request plan computes in short steps with the registry root). Range-checks
 * the slots and public inputs first.
 */
export function computeScoreOutputs(slots: readonly EncodedSlot[], pub: CircuitPublicInputs): Omit<CircuitOutputs, "commitment"> {
  assertPublicInRange(pub);
  slots.forEach(assertSlotInRange);
  let R = 0n;
  let S = 0n;
  let WS = 0n;
  let AS = 0n;
  for (const slot of slots) {
    if (!slotCounts(slot, pub)) continue;
    R += slot.w * slot.r;
    S += slot.w * slot.s;
    WS += slot.w;
    AS += slot.w * slot.a;
  }
  const z = WS === 0n ? 1n : 0n;
  const aF = (AS + z * DEFAULT_BASE_RATE) / (WS + z);
  const D = R + S + WP;
  const score = (SCALE * R + aF * WP) / D;
  const meets = score >= pub.threshold ? 1n : 0n;
  return { scoreOut: pub.reveal * score, meets, score, R, S, WS, AS, aF, D };
}
