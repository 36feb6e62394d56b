/**
 * Attestation validation before anything is queued. Errors name the index and field and the
 * rule that failed, never the value: attestations are private inputs.
 */
import { ValidationError } from "../errors.js";
import { toMicro } from "./encode.js";
import type { Attestation } from "./types.js";

/** Accepted `attestation_type` values. */
export const ATTESTATION_TYPES = ["trust", "skill", "vouch", "endorsement"] as const;

/** Largest accepted `weight` (keeps `w = round(weight·10^6)` within the circuit's 32 bits). */
export const MAX_WEIGHT = 1000;

/** Times are range-checked to 42 bits in the circuit (epoch ms until year 2109). */
export const MAX_TIME_EXCLUSIVE = 2 ** 42;

/** Default tolerance on |b + d + u − 1|. */
export const DEFAULT_SUM_TOLERANCE = 1e-6;

export interface ValidateAttestationsOptions {
  /** Epoch milliseconds the proof will use as `now`; expired or not-yet-valid attestations are rejected. */
  readonly now: number;
  /**
   * Largest accepted |belief + disbelief + uncertainty − 1|.
   * @default 1e-6
   */
  readonly tolerance?: number;
  /**
   * Accept an empty list. Rejected by default: a proof over nothing proves the prior score
   * (0.5) and in a dapp almost always means the attestations were not loaded yet.
   * @default false
   */
  readonly allowEmpty?: boolean;
}

function reject(index: number | null, field: string, reason: string): never {
  const path = index === null ? "attestations" : `attestations[${index}]${field ? `.${field}` : ""}`;
  throw new ValidationError(`${path}: ${reason}`, { details: { index, field: field || "attestations", reason } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkUnit(index: number, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) reject(index, field, "must be a finite number");
  if (value < 0 || value > 1) reject(index, field, "must be in [0, 1]");
  return value;
}

function checkTime(index: number, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value)) reject(index, field, "must be an integer (epoch ms)");
  if (value < 0 || value >= MAX_TIME_EXCLUSIVE) reject(index, field, "must be in [0, 2^42)");
  return value;
}

function checkOpinion(index: number, value: unknown, tolerance: number): void {
  if (!isRecord(value)) reject(index, "opinion", "must be an object");
  const b = checkUnit(index, "opinion.belief", value.belief);
  const d = checkUnit(index, "opinion.disbelief", value.disbelief);
  const u = checkUnit(index, "opinion.uncertainty", value.uncertainty);
  checkUnit(index, "opinion.base_rate", value.base_rate);
  if (!(Math.abs(b + d + u - 1) <= tolerance)) {
    reject(index, "opinion", "belief + disbelief + uncertainty must equal 1 within the tolerance");
  }
  // Same rounding as the encoder, so "valid" means exactly "the circuit can take it".
  if (toMicro(u) < 1) {
    reject(index, "opinion.uncertainty", "must be at least 0.0000005 (a dogmatic opinion carries infinite evidence)");
  }
}

/**
 * Check one attestation (`index` is only used in the error). Throws `ValidationError`.
 */
export function validateAttestation(item: unknown, index: number, now: number, tolerance: number = DEFAULT_SUM_TOLERANCE): asserts item is Attestation {
  if (!isRecord(item)) reject(index, "", "must be an object");
  for (const field of ["source", "target"] as const) {
    const id = item[field];
    if (typeof id !== "string" || id.length === 0) reject(index, field, "must be a non-empty string");
  }
  checkOpinion(index, item.opinion, tolerance);
  if (!(ATTESTATION_TYPES as readonly unknown[]).includes(item.attestation_type)) {
    reject(index, "attestation_type", `must be one of ${ATTESTATION_TYPES.join("|")}`);
  }
  const weight = item.weight;
  if (typeof weight !== "number" || !Number.isFinite(weight)) reject(index, "weight", "must be a finite number");
  if (weight < 0 || weight > MAX_WEIGHT) reject(index, "weight", `must be in [0, ${MAX_WEIGHT}]`);
  const created = checkTime(index, "created_at", item.created_at);
  const expires = checkTime(index, "expires_at", item.expires_at);
  if (created >= expires) reject(index, "expires_at", "must be later than created_at");
  if (expires <= now) reject(index, "expires_at", "attestation has expired");
  if (created > now) reject(index, "created_at", "attestation is not yet valid");
}

/**
 * Validate an attestation list before it is queued; returns it typed. Throws a
 * `ValidationError` for the first problem, with `details = { index, field, reason }` and a
 * message like `attestations[3].opinion.uncertainty: must be in [0, 1]` (no values echoed).
 *
 * Rules: an array (non-empty unless `allowEmpty`); each item an object with non-empty string
 * `source`/`target`; opinion components finite and in [0, 1] with |b + d + u − 1| ≤ `tolerance`
 * (default 1e-6) and `uncertainty ≥ 0.0000005` (so `round(u·10^6) ≥ 1`: a dogmatic opinion
 * carries infinite evidence); `attestation_type` one of trust|skill|vouch|endorsement; `weight`
 * finite in [0, 1000]; `created_at`/`expires_at` integers in [0, 2^42) with
 * `created_at < expires_at`, `expires_at > now` (else "expired", naming `expires_at`) and
 * `created_at ≤ now` (else "not yet valid", naming `created_at`).
 *
 * The count is not limited here: lists larger than the largest circuit are cut down by the
 * deterministic subset rule of `buildCircuitInput`. Who the attestations are about is not
 * checked either: the circuit ignores attestations about other subjects.
 */
export function validateAttestations(list: unknown, options: ValidateAttestationsOptions): readonly Attestation[] {
  const { now, tolerance = DEFAULT_SUM_TOLERANCE, allowEmpty = false } = options;
  if (typeof now !== "number" || !Number.isInteger(now) || now < 0 || now >= MAX_TIME_EXCLUSIVE) {
    throw new ValidationError("now: must be an integer epoch ms in [0, 2^42)", { details: { index: null, field: "now", reason: "out of range" } });
  }
  if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new ValidationError("tolerance: must be a finite number >= 0", { details: { index: null, field: "tolerance", reason: "out of range" } });
  }
  if (!Array.isArray(list)) reject(null, "", "must be an array");
  if (list.length === 0 && !allowEmpty) reject(null, "", "must contain at least one attestation");
  // An index loop, not forEach: holes in a sparse array must be rejected, not skipped.
  for (let index = 0; index < list.length; index++) validateAttestation(list[index], index, now, tolerance);
  return list as readonly Attestation[];
}
