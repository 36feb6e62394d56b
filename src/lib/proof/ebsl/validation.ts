/**
 * Attestation validation before anything is queued. Errors name the index and field and the
 * rule that failed, never the value: attestations are private inputs.
 */
import { ValidationError } from "../core/errors.js";
import { invalid } from "../core/option-checks.js";
import { isHexId, toMicro } from "./encode.js";
import type { Attestation } from "./types.js";

/** Accepted `attestation_type` values. */
export const ATTESTATION_TYPES = ["trust", "skill", "vouch", "endorsement"] as const;

/** Largest accepted `weight` (keeps `w = round(weight·10^6)` within the circuit's 32 bits). */
export const MAX_WEIGHT = 1000;

/** Times are range-checked to 42 bits in the circuit (epoch ms until year 2109). */
export const MAX_TIME_EXCLUSIVE = 2 ** 42;

/** Default tolerance on |b + d + u − 1|. */
export const DEFAULT_SUM_TOLERANCE = 1e-6;

/**
 * Most attestations one request may carry: 4× the largest circuit (256), so the subset rule
 * still has room to choose, while validating and copying the list stays a sub-millisecond
 * synchronous step of `requestProof` (measured: 1,024 attestations ≈ 0.3 ms in Node; the
 * unbounded 10,000 with encoding took 134 ms).
 */
export const MAX_ATTESTATIONS = 1024;

/** Longest `source`/`target` id (addresses, DIDs); longer ones are refused, not hashed. */
export const MAX_ID_LENGTH = 256;

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
  /** Most attestations accepted. @default MAX_ATTESTATIONS (1024) */
  readonly maxCount?: number;
  /**
   * Accept attestations that are not in force at `now` (expired or not yet valid); they count
   * for nothing. A proof against a registry carries the subject's whole entry, in force or not.
   * @default false
   */
  readonly allowOutOfForce?: boolean;
}

function reject(index: number | null, field: string, reason: string): never {
  const path = index === null ? "attestations" : `attestations[${index}]${field ? `.${field}` : ""}`;
  return invalid(path, reason, { index, details: { field: field || "attestations" } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkUnit(index: number, field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) reject(index, field, "must be a finite number");
  if (value < 0 || value > 1) reject(index, field, "must be in [0, 1]");
  return value;
}

/**
 * Below 10^11 an epoch-ms time is before March 1973, while the same number of epoch seconds is a
 * date some 3,000 years ahead: such a value next to a present-day one was almost surely written
 * in seconds (Solidity's block.timestamp, Unix tools). The hint names the field, not the value.
 */
const SECONDS_LOOKALIKE = 1e11;

function secondsHint(small: number, other: number, field: string): string {
  return small < SECONDS_LOOKALIKE && other >= SECONDS_LOOKALIKE ? ` (${field} looks like epoch seconds: times are epoch milliseconds, as Date.now() gives)` : "";
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
export function validateAttestation(
  item: unknown,
  index: number,
  now: number,
  tolerance: number = DEFAULT_SUM_TOLERANCE,
  outOfForceAllowed = false,
): asserts item is Attestation {
  if (!isRecord(item)) reject(index, "", "must be an object");
  for (const field of ["source", "target"] as const) {
    const id = item[field];
    if (typeof id !== "string" || id.length === 0) reject(index, field, "must be a non-empty string");
    if (id.length > MAX_ID_LENGTH) reject(index, field, `must be at most ${MAX_ID_LENGTH} characters`);
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
  if (outOfForceAllowed) return;
  if (expires <= now) reject(index, "expires_at", `attestation has expired${secondsHint(expires, now, "expires_at")}`);
  if (created > now) reject(index, "created_at", `attestation is not yet valid${secondsHint(now, created, "now")}`);
}

/**
 * A copy of one attestation with every field read exactly once, so a getter, a Proxy or a later
 * edit by the caller cannot show validation one value and the proof another. (Not frozen one by
 * one: nobody else holds these objects, and freezing 2,048 of them was 40 % of the budget.)
 */
function snapshot(item: unknown, index: number): unknown {
  if (!isRecord(item)) return item;
  try {
    const o = item.opinion;
    const opinion = isRecord(o) ? { belief: o.belief, disbelief: o.disbelief, uncertainty: o.uncertainty, base_rate: o.base_rate } : o;
    return {
      source: item.source,
      target: item.target,
      opinion,
      attestation_type: item.attestation_type,
      weight: item.weight,
      created_at: item.created_at,
      expires_at: item.expires_at,
    };
  } catch {
    return reject(index, "", "could not be read");
  }
}

/** floor(n / d) for non-negative safe integers whose product stays below 2^53 (exact). */
function floorDiv(n: number, d: number): number {
  let q = Math.floor(n / d);
  if (q * d > n) q -= 1;
  else if ((q + 1) * d <= n) q += 1;
  return q;
}

/** The circuit's view of an id: hex ids by value, others exactly (they are hashed as spelled). */
const idKey = (id: string): string => (isHexId(id) ? `x${BigInt(id).toString(16)}` : `s${id}`);

/**
 * What the circuit sees of a validated attestation (the slot's integers, see encode.ts), as a
 * string: two attestations with the same key are the same slot, however they were spelled
 * (0xAB vs 0x00ab, 0.6 vs 0.6000000001). `attestation_type` is not part of a slot.
 */
function slotKey(a: Attestation): string {
  const b = toMicro(a.opinion.belief);
  const d = toMicro(a.opinion.disbelief);
  const u = toMicro(a.opinion.uncertainty);
  const r = floorDiv(2 * b * 1_000_000, u);
  const s = floorDiv(2 * d * 1_000_000, u);
  return JSON.stringify([idKey(a.source), idKey(a.target), r, s, toMicro(a.weight), toMicro(a.opinion.base_rate), a.created_at, a.expires_at]);
}

/**
 * Validate an attestation list before it is queued; returns a deep copy of it in a frozen array
 * (later changes to the caller's objects change nothing). Throws a `ValidationError` for the first
 * problem, with `details = { index, field, reason }` and a message like
 * `attestations[3].opinion.uncertainty: must be in [0, 1]` (no values echoed).
 *
 * Rules: an array (non-empty unless `allowEmpty`, at most `maxCount` = 1024 items); each item an
 * object with non-empty string `source`/`target` of at most 256 characters; opinion components
 * finite and in [0, 1] with |b + d + u − 1| ≤ `tolerance` (default 1e-6) and
 * `uncertainty ≥ 0.0000005` (so `round(u·10^6) ≥ 1`: a dogmatic opinion carries infinite
 * evidence); `attestation_type` one of trust|skill|vouch|endorsement; `weight` finite in
 * [0, 1000]; `created_at`/`expires_at` integers in [0, 2^42) with `created_at < expires_at`,
 * `expires_at > now` (else "expired", naming `expires_at`) and `created_at ≤ now` (else "not
 * yet valid", naming `created_at`).
 *
 * Duplicates are refused: an attestation that is the same circuit slot as an earlier one (same
 * source, target, opinion, weight and times as the circuit encodes them) is rejected with
 * `reason: "duplicate"` and `details.duplicateOf`, since counting one statement twice would
 * raise the score. Distinct attestations by one source all count.
 *
 * Lists larger than the largest circuit are cut down by the deterministic subset rule of
 * `buildCircuitInput`. Who the attestations are about is not checked here: attestations about
 * other subjects never reach a slot.
 */
export function validateAttestations(list: unknown, options: ValidateAttestationsOptions): readonly Attestation[] {
  const { now, tolerance = DEFAULT_SUM_TOLERANCE, allowEmpty = false, maxCount = MAX_ATTESTATIONS, allowOutOfForce = false } = options;
  if (typeof now !== "number" || !Number.isInteger(now) || now < 0 || now >= MAX_TIME_EXCLUSIVE) {
    throw new ValidationError("now: must be an integer epoch ms in [0, 2^42)", { details: { index: null, field: "now", reason: "out of range" } });
  }
  if (typeof tolerance !== "number" || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new ValidationError("tolerance: must be a finite number >= 0", { details: { index: null, field: "tolerance", reason: "out of range" } });
  }
  if (!Array.isArray(list)) reject(null, "", "must be an array");
  const length = list.length;
  if (length === 0 && !allowEmpty) reject(null, "", "must contain at least one attestation");
  if (length > maxCount) reject(null, "", `must contain at most ${maxCount} attestations`);
  const copy: Attestation[] = [];
  // An index loop, not forEach: holes in a sparse array must be rejected, not skipped.
  for (let index = 0; index < length; index++) {
    const item = snapshot(list[index], index);
    validateAttestation(item, index, now, tolerance, allowOutOfForce === true);
    copy.push(item);
  }
  rejectDuplicates(copy);
  return Object.freeze(copy);
}

/**
 * Refuse the first attestation that is the same slot as an earlier one. Keys are built only for
 * attestations sharing a `created_at` with another: a typical list builds none (0.6 ms saved at
 * 1,024), and the worst case builds each key once.
 */
function rejectDuplicates(list: readonly Attestation[]): void {
  /** created_at → the index of the one attestation with it, or -1 once that group is keyed. */
  const byTime = new Map<number, number>();
  const seen = new Map<string, number>();
  list.forEach((att, index) => {
    const alone = byTime.get(att.created_at);
    if (alone === undefined) {
      byTime.set(att.created_at, index);
      return;
    }
    if (alone >= 0) {
      seen.set(slotKey(list[alone]!), alone);
      byTime.set(att.created_at, -1);
    }
    const key = slotKey(att);
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(`attestations[${index}]: duplicate of attestations[${first}] (same source, target and content)`, {
        details: { index, field: "attestations", reason: "duplicate", duplicateOf: first },
      });
    }
    seen.set(key, index);
  });
}
