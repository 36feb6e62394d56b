/**
 * Attestations → the circuit's input for one variant: capacity choice, canonical slot order,
 * the deterministic subset rule, padding and public inputs; then the same input as the circom
 * object the witness takes (`toCircuitSignals`), and the names of the proof's public signals.
 * Signal names and order are fixed by circuits/ebsl.circom (see circuits/README.md).
 *
 * Canonical order: slots sorted ascending by (created, expires, issuer, target, r, s, w, a) on
 * their encoded integers. The commitment binds the slot order, so sorting makes the same set
 * of attestations give the same commitment whatever order the caller passes them in. (A proof
 * against an operator's registry uses the entry's own order instead: registry-membership.ts.)
 *
 * Only attestations about the subject reach a slot: a slot is about the subject by construction
 * (it sits in the subject's registry entry), so the circuit does not look at targets.
 *
 * Subset rule (when the set does not fit the chosen variant: more attestations than the
 * largest capacity, or a smaller variant forced after a resource failure): rank attestations by
 *   1. counting first: in force at `now` (`created ≤ now < expires`) and about `subject`;
 *   2. larger evidence mass `w·(r + s)` (encoded integers);
 *   3. newer `created_at`;
 *   4. canonical order (then the caller's index, which only separates identical slots);
 * keep the first `capacity`, then lay them out in canonical order. The same set and options
 * always give the same subset and the same slots.
 */
import { DEFAULTS } from "../core/defaults.js";
import { PublicSignalMismatchError, ValidationError } from "../core/errors.js";
import { encodeAttestation, idToField } from "./encode.js";
import { EMPTY_SLOT, MAX_THRESHOLD, slotCounts } from "./fixed-point.js";
import { entryStatementSteps, loneEntryPosition, runSteps, type RegistryPosition } from "./registry-tree.js";
import type { Attestation, CircuitPublicInputs, EncodedSlot } from "./types.js";
import { MAX_TIME_EXCLUSIVE } from "./validation.js";

/** The default threshold: 0.6 on the 10^6 scale (the one table of defaults, core/defaults.ts). */
export const DEFAULT_THRESHOLD = BigInt(DEFAULTS.api.defaultThreshold);

export interface CircuitInputRequest {
  /** Validated attestations (see `validateAttestations`); stale ones count for nothing, foreign ones are left out. */
  readonly attestations: readonly Attestation[];
  /** Id of whom the score is about (public input `subject`). */
  readonly subject: string;
  /** Epoch ms (public input `now`). */
  readonly now: number;
  /**
   * Fixed-point integer on the 10^6 scale, in [0, 10^6] (600000 means 0.6). A non-integer
   * number such as 0.6 is rejected rather than guessed at.
   * @default 600000n
   */
  readonly threshold?: bigint | number;
  /** Reveal the score (`"exact"` proofs) or only whether it meets the threshold. */
  readonly reveal: boolean;
  /** Capacities of the available circuit variants, e.g. [16, 64, 256]. */
  readonly capacities: readonly number[];
  /** Use this capacity (one of `capacities`) instead of the smallest that fits, e.g. on fallback. */
  readonly forceCapacity?: number;
}

export interface CircuitInput {
  readonly capacity: number;
  /** Exactly `capacity` slots: the used attestations in canonical order, then empty slots. */
  readonly slots: readonly EncodedSlot[];
  readonly publicInputs: CircuitPublicInputs;
  /** Indices into the caller's `attestations`, in slot order. */
  readonly usedIndices: readonly number[];
  /** True when some attestations about the subject were left out (see the subset rule). */
  readonly truncated: boolean;
}

function invalid(field: string, reason: string): never {
  throw new ValidationError(`${field}: ${reason}`, { details: { index: null, field, reason } });
}

function checkCapacities(capacities: readonly number[]): void {
  if (capacities.length === 0) invalid("capacities", "must list at least one circuit capacity");
  if (!capacities.every((c) => Number.isSafeInteger(c) && c > 0)) invalid("capacities", "must be positive integers");
}

/**
 * The variant for `count` attestations: the smallest capacity ≥ `count`; when none fits, the
 * largest, with `truncated: true` (the subset rule then picks which attestations go in).
 */
export function selectVariant(count: number, capacities: readonly number[]): { capacity: number; truncated: boolean } {
  checkCapacities(capacities);
  if (!Number.isSafeInteger(count) || count < 0) invalid("count", "must be a non-negative integer");
  const sorted = [...capacities].sort((a, b) => a - b);
  const fit = sorted.find((c) => c >= count);
  return fit === undefined ? { capacity: sorted[sorted.length - 1]!, truncated: true } : { capacity: fit, truncated: false };
}

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const CANONICAL_KEYS = ["created", "expires", "issuer", "target", "r", "s", "w", "a"] as const;

/** The canonical total order on encoded slots (ascending created, expires, issuer, target, r, s, w, a). */
export function compareSlots(x: EncodedSlot, y: EncodedSlot): number {
  for (const key of CANONICAL_KEYS) {
    const c = cmp(x[key], y[key]);
    if (c !== 0) return c;
  }
  return 0;
}

function normaliseThreshold(threshold: bigint | number | undefined): bigint {
  if (threshold === undefined) return DEFAULT_THRESHOLD;
  if (typeof threshold === "number" && !Number.isSafeInteger(threshold)) {
    invalid("threshold", "must be an integer on the 10^6 scale (e.g. 600000 for 0.6)");
  }
  if (typeof threshold !== "number" && typeof threshold !== "bigint") invalid("threshold", "must be a number or bigint");
  const t = BigInt(threshold);
  if (t < 0n || t > MAX_THRESHOLD) invalid("threshold", "must be in [0, 1000000]");
  return t;
}

function encodeAt(att: Attestation, index: number): EncodedSlot {
  try {
    return encodeAttestation(att);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const field = String(error.details.field ?? "");
    const reason = String(error.details.reason ?? "invalid");
    throw new ValidationError(`attestations[${index}].${field}: ${reason}`, { cause: error, details: { index, field, reason } });
  }
}

interface Entry {
  readonly index: number;
  readonly slot: EncodedSlot;
}

const byCanonical = (x: Entry, y: Entry): number => compareSlots(x.slot, y.slot) || x.index - y.index;

/**
 * Build the circuit input for `attestations`: choose the variant, encode, order canonically,
 * apply the subset rule if needed (module comment), pad with empty slots to the capacity, and
 * set the public inputs (`now`, `subject` as an id, `threshold`, `reveal`).
 */
export function buildCircuitInput(request: CircuitInputRequest): CircuitInput {
  const { attestations, subject, now, reveal, capacities, forceCapacity } = request;
  if (typeof subject !== "string" || subject.length === 0) invalid("subject", "must be a non-empty string");
  if (!Number.isSafeInteger(now) || now < 0 || now >= MAX_TIME_EXCLUSIVE) invalid("now", "must be an integer epoch ms in [0, 2^42)");
  const threshold = normaliseThreshold(request.threshold);
  checkCapacities(capacities);

  const subjectField = idToField(subject);
  const entries: Entry[] = attestations
    .map((att, index) => ({ index, slot: encodeAt(att, index) }))
    .filter((e) => e.slot.target === subjectField);
  let capacity: number;
  if (forceCapacity === undefined) {
    capacity = selectVariant(entries.length, capacities).capacity;
  } else {
    if (!capacities.includes(forceCapacity)) invalid("forceCapacity", "must be one of the capacities");
    capacity = forceCapacity;
  }

  const publicInputs: CircuitPublicInputs = { now: BigInt(now), subject: subjectField, threshold, reveal: reveal ? 1n : 0n };
  let used: Entry[];
  if (entries.length <= capacity) {
    used = entries;
  } else {
    const counts = (e: Entry) => slotCounts(e.slot, publicInputs);
    const mass = (e: Entry) => e.slot.w * (e.slot.r + e.slot.s);
    used = [...entries]
      .sort((x, y) => Number(counts(y)) - Number(counts(x)) || cmp(mass(y), mass(x)) || cmp(y.slot.created, x.slot.created) || byCanonical(x, y))
      .slice(0, capacity);
  }
  used = [...used].sort(byCanonical);

  const slots: EncodedSlot[] = used.map((e) => e.slot);
  while (slots.length < capacity) slots.push(EMPTY_SLOT);
  return {
    capacity,
    slots,
    publicInputs,
    usedIndices: used.map((e) => e.index),
    truncated: used.length < entries.length,
  };
}

/** Public signals in snarkjs order: circuit outputs first, then public inputs in declaration order. */
export const PUBLIC_SIGNAL_ORDER = ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"] as const;

export type PublicSignalName = (typeof PUBLIC_SIGNAL_ORDER)[number];
export type NamedPublicSignals = { readonly [K in PublicSignalName]: bigint };

const SLOT_FIELDS = ["r", "s", "w", "a", "created", "expires", "issuer"] as const;

/** Input object for witness calculation: decimal strings, one array of length N per slot field. */
export interface EbslCircuitInput {
  readonly now: string;
  readonly subject: string;
  readonly threshold: string;
  readonly reveal: string;
  readonly root: string;
  readonly r: readonly string[];
  readonly s: readonly string[];
  readonly w: readonly string[];
  readonly a: readonly string[];
  readonly created: readonly string[];
  readonly expires: readonly string[];
  readonly issuer: readonly string[];
  readonly entryIndex: string;
  readonly entrySiblings: readonly (readonly string[])[];
  readonly [signal: string]: string | readonly string[] | readonly (readonly string[])[];
}

/**
 * Build the circom input for `slots` (the subject's entry in order, padded to the capacity), the
 * public inputs, and the registry `root` with where the entry sits in it. Without `registry`,
 * the slots are the first entry of a private registry of their own (its root computed here:
 * about 34 Poseidon hashes for 16 attestations, in one go).
 */
export function toCircuitSignals(
  slots: readonly EncodedSlot[],
  pub: CircuitPublicInputs,
  registry: RegistryPosition & { readonly root: bigint } = privateRegistry(slots, pub.subject),
): EbslCircuitInput {
  const column = (field: (typeof SLOT_FIELDS)[number]) => slots.map((slot) => slot[field].toString(10));
  return {
    now: pub.now.toString(10),
    subject: pub.subject.toString(10),
    threshold: pub.threshold.toString(10),
    reveal: pub.reveal.toString(10),
    root: registry.root.toString(10),
    r: column("r"),
    s: column("s"),
    w: column("w"),
    a: column("a"),
    created: column("created"),
    expires: column("expires"),
    issuer: column("issuer"),
    entryIndex: String(registry.entryIndex),
    entrySiblings: registry.siblings.map((level) => level.map((v) => v.toString(10))),
  };
}

/** Name the public signals of an EBSL proof; throws PublicSignalMismatchError on a wrong count or a non-decimal entry. */
export function parsePublicSignals(signals: readonly string[]): NamedPublicSignals {
  if (signals.length !== PUBLIC_SIGNAL_ORDER.length) {
    throw new PublicSignalMismatchError(`Expected ${PUBLIC_SIGNAL_ORDER.length} public signals, got ${signals.length}.`, {
      details: { expected: PUBLIC_SIGNAL_ORDER.length, actual: signals.length },
    });
  }
  const out = {} as Record<PublicSignalName, bigint>;
  PUBLIC_SIGNAL_ORDER.forEach((name, i) => {
    const raw = signals[i];
    if (typeof raw !== "string" || !/^(0|[1-9][0-9]*)$/.test(raw)) {
      throw new PublicSignalMismatchError(`Public signal ${name} is not a decimal field element.`, { details: { index: i, name } });
    }
    out[name] = BigInt(raw);
  });
  return out;
}

function privateRegistry(slots: readonly EncodedSlot[], subject: bigint): RegistryPosition & { readonly root: bigint } {
  const position = loneEntryPosition();
  return { ...position, root: runSteps(entryStatementSteps(subject, slots, position)).root };
}
