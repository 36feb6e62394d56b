/**
 * `options.registry` of an EBSL request: the holder's membership in an operator's registry
 * (`registry.membership(subject)`), checked in two halves.
 * - At once (synchronous, no hashing): its shape, that every attestation is about the subject,
 *   and that the entry holds as many attestations as were given. Nothing is queued for a
 *   membership that cannot work.
 * - In the job, in short steps: each attestation's leaf is found in the entry (else a
 *   `ValidationError` naming the attestation's index), and the entry with its path leads to the
 *   root (else the membership is stale or not this registry's).
 */
import { invalid } from "../core/option-checks.js";
import { encodeAttestation, idToField } from "./encode.js";
import { EMPTY_SLOT, FIELD_ORDER } from "./fixed-point.js";
import type { RegistryMembership } from "./registry.js";
import {
  ENTRY_CAPACITY, leavesStatementSteps, REGISTRY_CAPACITY, REGISTRY_DEPTH, slotLeaf, type RegistryPosition,
} from "./registry-tree.js";
import type { Attestation, EncodedSlot } from "./types.js";

/** A membership whose shape and counts were checked. */
export interface CheckedMembership extends RegistryPosition {
  readonly root: bigint;
  readonly leaves: readonly bigint[];
  /** Positions a circuit must hold: the last non-empty leaf's position + 1. */
  readonly span: number;
}

/** Leaves hashed between two yields. */
const LEAVES_PER_STEP = 6;

function refuse(reason: string, index: number | null = null, field = "registry"): never {
  return invalid(field, reason, { index });
}

const fieldOf = (v: unknown): bigint | undefined =>
  typeof v === "string" && /^(0|[1-9][0-9]{0,77})$/.test(v) && BigInt(v) < FIELD_ORDER ? BigInt(v) : undefined;

/**
 * The shape of a membership and what can be checked without hashing.
 * @throws ValidationError (`field: "registry"`, or `"attestations"` with the index of an
 *   attestation about another subject)
 */
export function checkMembership(value: unknown, attestations: readonly Attestation[], subject: string): CheckedMembership {
  const m = value as Partial<RegistryMembership> | null;
  if (typeof m !== "object" || m === null) refuse("must be registry.membership(subject) of proofline/ebsl");
  const root = fieldOf(m.root);
  if (root === undefined) refuse("root must be a decimal field element");
  const entryIndex = m.entryIndex;
  if (typeof entryIndex !== "number" || !Number.isSafeInteger(entryIndex) || entryIndex < 0 || entryIndex >= REGISTRY_CAPACITY) {
    refuse(`entryIndex must be an integer in [0, ${REGISTRY_CAPACITY})`);
  }
  if (!Array.isArray(m.siblings) || m.siblings.length !== REGISTRY_DEPTH) refuse(`siblings must hold ${REGISTRY_DEPTH} levels`);
  const siblings = m.siblings.map((level: unknown) => {
    const values = Array.isArray(level) && level.length === 3 ? level.map(fieldOf) : [];
    if (values.length !== 3 || values.some((v) => v === undefined)) refuse("siblings must be three decimal field elements per level");
    return values as unknown as readonly [bigint, bigint, bigint];
  });
  if (!Array.isArray(m.leaves) || m.leaves.length > ENTRY_CAPACITY) refuse(`leaves must be an array of at most ${ENTRY_CAPACITY}`);
  const leaves = m.leaves.map((leaf: unknown) => fieldOf(leaf) ?? refuse("leaves must be decimal field elements"));

  const subjectField = idToField(subject);
  attestations.forEach((att, i) => {
    if (idToField(att.target) !== subjectField) {
      refuse("is about another subject than the registry entry's", i, `attestations[${i}]`);
    }
  });
  const held = leaves.filter((leaf) => leaf !== 0n).length;
  if (held !== attestations.length) {
    refuse(`the subject's entry holds ${held} attestation(s) and ${attestations.length} were given: a proof carries the whole entry, pass every attestation in it`);
  }
  let span = leaves.length;
  while (span > 0 && leaves[span - 1] === 0n) span--;
  return { root, entryIndex, siblings, leaves, span };
}

/**
 * The entry's slots in entry order (`capacity` of them) and the statement they make, in short
 * steps: refuses an attestation whose leaf is not in the entry, and an entry or path that does
 * not lead to the membership's root.
 */
export function* placeInEntrySteps(
  attestations: readonly Attestation[],
  membership: CheckedMembership,
  subject: bigint,
  capacity: number,
): Generator<void, { slots: EncodedSlot[]; usedIndices: number[]; commitment: bigint }, void> {
  const position = new Map<bigint, number>();
  membership.leaves.forEach((leaf, p) => leaf !== 0n && position.set(leaf, p));
  const slots: EncodedSlot[] = Array.from({ length: capacity }, () => EMPTY_SLOT);
  const byPosition: number[] = [];
  for (let i = 0; i < attestations.length; i++) {
    if (i > 0 && i % LEAVES_PER_STEP === 0) yield;
    const slot = encodeAttestation(attestations[i]!);
    const p = position.get(slotLeaf(slot));
    if (p === undefined) refuse("is not in the subject's registry entry", i, `attestations[${i}]`);
    slots[p] = slot;
    byPosition[p] = i;
  }
  yield;
  const { commitment, root } = yield* leavesStatementSteps(subject, membership.leaves, membership);
  if (root !== membership.root) refuse("the entry and its path do not lead to registry.root (a stale membership, or another registry's)");
  return { slots, usedIndices: byPosition.filter((i) => i !== undefined), commitment };
}
