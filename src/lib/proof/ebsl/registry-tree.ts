/**
 * The hashes of the attestation registry, identical to circuits/registry.circom (the
 * integer contract is circuits/README.md, "Registry"). Two levels of quaternary Poseidon
 * trees; an empty leaf is 0 and a node is Poseidon4 of its four children in order:
 * - a subject's **entry** holds every attestation about that subject as the leaves of a tree of
 *   depth {@link ENTRY_DEPTH} (256 positions, in the operator's order); a leaf is
 *   Poseidon2(packed slot, issuer), and Poseidon2(subject, entry root) is the entry's leaf in
 * - the **registry**, a tree of depth {@link REGISTRY_DEPTH} (2^20 subjects), whose root is the
 *   circuits' public `root`.
 *
 * A proof carries a subject's whole entry and one Merkle path: no attestation can be left out,
 * counted twice or taken from elsewhere, and the circuit pays one path per proof instead of one
 * per slot (ebsl-16 is about 15k constraints instead of about 62k).
 *
 * Hashing is BigInt Poseidon (0.2-0.5 ms a hash in a warm V8, more on a cold page): the tree
 * walks are generators that yield every few hashes, so a page can run them in short tasks.
 */
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon4 } from "poseidon-lite/poseidon4";
import type { EncodedSlot } from "./types.js";

/** Children per node, in both levels. */
export const REGISTRY_ARITY = 4;
/** Levels of the registry tree over subjects' entries. */
export const REGISTRY_DEPTH = 10;
/** Subjects a registry holds: 4^10. */
export const REGISTRY_CAPACITY = REGISTRY_ARITY ** REGISTRY_DEPTH;
/** Levels of one subject's entry tree. */
export const ENTRY_DEPTH = 4;
/** Attestation positions in one entry: 4^4. */
export const ENTRY_CAPACITY = REGISTRY_ARITY ** ENTRY_DEPTH;

/** Hashes between two yields of a tree walk. */
const HASHES_PER_STEP = 6;

let zeroCache: bigint[] | undefined;
/** zeros()[l]: the root of an all-empty subtree of height l (computed on first use, not at import). */
export function emptySubtreeRoots(): readonly bigint[] {
  if (!zeroCache) {
    const z = [0n];
    for (let l = 0; l < REGISTRY_DEPTH; l++) z.push(poseidon4([z[l]!, z[l]!, z[l]!, z[l]!]));
    zeroCache = z;
  }
  return zeroCache;
}

/** r + s·2^41 + w·2^82 + a·2^114 + created·2^134 + expires·2^176 (218 bits; the circuit range-checks each field, so the packing is injective). */
export function packSlot(slot: EncodedSlot): bigint {
  return slot.r + (slot.s << 41n) + (slot.w << 82n) + (slot.a << 114n) + (slot.created << 134n) + (slot.expires << 176n);
}

/** The leaf of an encoded slot: Poseidon2(packed, issuer), 0 for an empty slot (expires = 0). */
export function slotLeaf(slot: EncodedSlot): bigint {
  return slot.expires === 0n ? 0n : poseidon2([packSlot(slot), slot.issuer]);
}

/** Poseidon2(subject, entry root): the entry's leaf in the registry tree. */
export function entryLeaf(subject: bigint, entryRoot: bigint): bigint {
  return poseidon2([subject, entryRoot]);
}

/** Where a subject's entry sits in the registry: its index and three siblings per level, leaf level first. */
export interface RegistryPosition {
  readonly entryIndex: number;
  readonly siblings: readonly (readonly [bigint, bigint, bigint])[];
}

/** Drive a tree-walk generator to its end at once. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The leaves of `slots`, yielding every few hashes. */
export function* slotLeavesSteps(slots: readonly EncodedSlot[]): Generator<void, bigint[], void> {
  const leaves: bigint[] = [];
  let hashed = 0;
  for (const slot of slots) {
    if (slot.expires !== 0n && hashed++ > 0 && hashed % HASHES_PER_STEP === 1) yield;
    leaves.push(slotLeaf(slot));
  }
  return leaves;
}

/**
 * Root of an entry tree from its leaves (at most {@link ENTRY_CAPACITY}, positions past the end
 * empty): only the non-empty prefix of each level is hashed, so 16 leaves take 7 hashes.
 */
export function* entryRootSteps(leaves: readonly bigint[]): Generator<void, bigint, void> {
  if (leaves.length > ENTRY_CAPACITY) throw new RangeError(`an entry holds at most ${ENTRY_CAPACITY} leaves`);
  const zeros = emptySubtreeRoots();
  // Trailing empty positions hash like the empty subtrees they are: leave them out.
  let end = leaves.length;
  while (end > 0 && leaves[end - 1] === 0n) end--;
  let level = end > 0 ? leaves.slice(0, end) : [0n];
  let hashes = 0;
  for (let l = 0; l < ENTRY_DEPTH; l++) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += REGISTRY_ARITY) {
      if (++hashes % HASHES_PER_STEP === 0) yield;
      const child = (k: number): bigint => level[i + k] ?? zeros[l]!;
      next.push(poseidon4([child(0), child(1), child(2), child(3)]));
    }
    level = next;
  }
  return level[0]!;
}

/**
 * Registry roots of the lone entry (see {@link loneEntryPosition}) by entry leaf, most recent last:
 * a repeated request, such as a proof-cache hit, skips the ten hashes of its path. Keys and values
 * are hashes a proof makes public anyway (the entry leaf is Poseidon of subject and commitment).
 */
const loneRoots = new Map<bigint, bigint>();
const LONE_ROOTS_KEPT = 256;

/** The registry root an entry leaf and its position give (what the circuit computes). */
export function* rootFromPositionSteps(leaf: bigint, position: RegistryPosition): Generator<void, bigint, void> {
  const lone = position === lonePosition;
  const known = lone ? loneRoots.get(leaf) : undefined;
  if (known !== undefined) return known;
  let node = leaf;
  let index = position.entryIndex;
  for (let l = 0; l < REGISTRY_DEPTH; l++) {
    if (l > 0 && l % HASHES_PER_STEP === 0) yield;
    const children = [...position.siblings[l]!];
    children.splice(index % REGISTRY_ARITY, 0, node);
    node = poseidon4(children);
    index = Math.floor(index / REGISTRY_ARITY);
  }
  if (lone) {
    if (loneRoots.size >= LONE_ROOTS_KEPT) loneRoots.delete(loneRoots.keys().next().value!);
    loneRoots.set(leaf, node);
  }
  return node;
}

let lonePosition: RegistryPosition | undefined;

/** The position of the first entry of an otherwise empty registry (a private, one-subject registry). */
export function loneEntryPosition(): RegistryPosition {
  if (!lonePosition) {
    const zeros = emptySubtreeRoots();
    lonePosition = Object.freeze({
      entryIndex: 0,
      siblings: Object.freeze(Array.from({ length: REGISTRY_DEPTH }, (_, l) => Object.freeze([zeros[l]!, zeros[l]!, zeros[l]!] as const))),
    });
  }
  return lonePosition;
}

/** What a proof over a subject's entry outputs: the commitment (entry root) and the registry root. */
export interface EntryStatement {
  readonly commitment: bigint;
  readonly root: bigint;
}

/**
 * A subject's entry from its slots in entry order (empty slots are empty positions) and where
 * the entry sits: its {@link EntryStatement}.
 */
export function* entryStatementSteps(subject: bigint, slots: readonly EncodedSlot[], position: RegistryPosition): Generator<void, EntryStatement, void> {
  const leaves = yield* slotLeavesSteps(slots);
  yield;
  return yield* leavesStatementSteps(subject, leaves, position);
}

/** {@link entryStatementSteps} from the entry's leaves. */
export function* leavesStatementSteps(subject: bigint, leaves: readonly bigint[], position: RegistryPosition): Generator<void, EntryStatement, void> {
  const commitment = yield* entryRootSteps(leaves);
  yield;
  const root = yield* rootFromPositionSteps(entryLeaf(subject, commitment), position);
  return { commitment, root };
}

/**
 * The public `commitment` of a proof over exactly these slots: the root of the entry they make
 * (the same attestations in another order, or padded for another variant, commit alike only if
 * they sit at the same positions).
 */
export function commitSlots(slots: readonly EncodedSlot[]): bigint {
  return runSteps(entryRootSteps(runSteps(slotLeavesSteps(slots))));
}

/** Poseidon4, for the registry's own tree upkeep. */
export const hashNode = (children: readonly [bigint, bigint, bigint, bigint]): bigint => poseidon4([...children]);
