/**
 * The attestation registry an operator keeps and a holder proves against (hashes in
 * registry-tree.ts; trust model in circuits/README.md, "Registry").
 *
 * The operator adds attestations after checking them (for example the issuer's signature); each
 * goes to the end of its subject's entry. A subject's first attestation gives it the next free
 * entry in the registry. Removing an attestation (revoked, or expired for good) empties its
 * position. Every change gives a new root; the roots a verifier accepts are its own choice.
 *
 * The registry stores leaf hashes only (never the attestations), so its JSON can be handed out;
 * `membership(subject)` is what a holder passes to `requestProof` as `options.registry`.
 */
import { ValidationError } from "../core/errors.js";
import { invalid } from "../core/option-checks.js";
import { encodeAttestation, idToField } from "./encode.js";
import { FIELD_ORDER } from "./fixed-point.js";
import {
  emptySubtreeRoots, ENTRY_CAPACITY, entryLeaf, entryRootSteps, hashNode, REGISTRY_ARITY, REGISTRY_CAPACITY,
  REGISTRY_DEPTH, runSteps, slotLeaf,
} from "./registry-tree.js";
import type { Attestation } from "./types.js";

const FORMAT = "proofline-ebsl-registry";
const VERSION = 2;

/** What a holder passes to `requestProof` (`options.registry`): decimal strings, JSON-safe. */
export interface RegistryMembership {
  /** The registry root the proof will be against (its public `root`). */
  readonly root: string;
  /** Index of the subject's entry in the registry. */
  readonly entryIndex: number;
  /** Three siblings per level of the registry tree, leaf level first. */
  readonly siblings: readonly (readonly [string, string, string])[];
  /** The entry's leaves in order ("0" where a position is empty). */
  readonly leaves: readonly string[];
}

/** A registry as JSON: every entry's subject (as a field element) and leaves, in entry order. */
export interface SerializedRegistry {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  readonly root: string;
  readonly entries: readonly { readonly subject: string; readonly leaves: readonly string[] }[];
}

export interface AttestationRegistry {
  /** The current root. */
  readonly root: bigint;
  /** Subjects with an entry. */
  readonly subjects: number;
  /**
   * Append attestations, each to its target's entry. All or nothing: an invalid attestation, one
   * already in its entry, or an entry past 256 positions refuses the whole call.
   */
  add(attestations: readonly Attestation[]): void;
  /** Empty an attestation's position (its slot then counts for nothing); false if absent. */
  remove(attestation: Attestation): boolean;
  /** A holder's membership: the root, where the subject's entry sits and its leaves. */
  membership(subject: string): RegistryMembership;
  toJSON(): SerializedRegistry;
}

function fail(field: string, reason: string, index: number | null = null): never {
  return invalid(field, reason, { index });
}

function leafOf(attestation: Attestation, index: number): { subject: bigint; leaf: bigint } {
  try {
    const slot = encodeAttestation(attestation);
    return { subject: slot.target, leaf: slotLeaf(slot) };
  } catch (error) {
    if (error instanceof ValidationError) fail(`attestations[${index}]`, `is not a valid attestation (${String(error.details.reason ?? "invalid")})`, index);
    throw error;
  }
}

interface Entry {
  readonly subject: bigint;
  readonly index: number;
  leaves: bigint[];
}

/** A new registry, optionally with `attestations` added. */
export function createRegistry(attestations: readonly Attestation[] = []): AttestationRegistry {
  const registry = registryFrom([]);
  registry.add(attestations);
  return registry;
}

/** A registry over checked entries (subject and leaves, in entry order). */
function registryFrom(initial: readonly { subject: bigint; leaves: bigint[] }[]): AttestationRegistry {
  const entries: Entry[] = initial.map((e, index) => ({ subject: e.subject, index, leaves: e.leaves }));
  const bySubject = new Map<bigint, Entry>(entries.map((e) => [e.subject, e]));
  // levels[l][j]: node j of level l of the registry tree (0 = entry leaves); absent = empty subtree.
  const levels: bigint[][] = Array.from({ length: REGISTRY_DEPTH + 1 }, () => []);
  const node = (l: number, j: number): bigint => levels[l]![j] ?? emptySubtreeRoots()[l]!;

  /** Rehash the entries at `dirty` and every node above them, each node once. */
  const refresh = (dirty: Iterable<number>): void => {
    let changed = new Set<number>();
    for (const j of dirty) {
      const e = entries[j]!;
      levels[0]![j] = entryLeaf(e.subject, runSteps(entryRootSteps(e.leaves)));
      changed.add(Math.floor(j / REGISTRY_ARITY));
    }
    for (let l = 0; l < REGISTRY_DEPTH; l++) {
      const up = new Set<number>();
      for (const p of changed) {
        const b = p * REGISTRY_ARITY;
        levels[l + 1]![p] = hashNode([node(l, b), node(l, b + 1), node(l, b + 2), node(l, b + 3)]);
        up.add(Math.floor(p / REGISTRY_ARITY));
      }
      changed = up;
    }
  };

  const registry: AttestationRegistry = {
    get root() {
      return node(REGISTRY_DEPTH, 0);
    },
    get subjects() {
      return entries.length;
    },
    add(items) {
      if (!Array.isArray(items)) fail("attestations", "must be an array");
      const additions = new Map<bigint, bigint[]>();
      items.forEach((att, i) => {
        const { subject, leaf } = leafOf(att, i);
        const pending = additions.get(subject) ?? [];
        const existing = bySubject.get(subject)?.leaves ?? [];
        if (existing.includes(leaf) || pending.includes(leaf)) fail(`attestations[${i}]`, "is already in its subject's entry", i);
        if (existing.length + pending.length >= ENTRY_CAPACITY) fail(`attestations[${i}]`, `its subject's entry is full (${ENTRY_CAPACITY} positions)`, i);
        pending.push(leaf);
        additions.set(subject, pending);
      });
      const fresh = [...additions.keys()].filter((s) => !bySubject.has(s)).length;
      if (entries.length + fresh > REGISTRY_CAPACITY) fail("registry", `is full (${REGISTRY_CAPACITY} subjects)`);
      const dirty: number[] = [];
      for (const [subject, leaves] of additions) {
        let entry = bySubject.get(subject);
        if (!entry) {
          entry = { subject, index: entries.length, leaves: [] };
          entries.push(entry);
          bySubject.set(subject, entry);
        }
        entry.leaves.push(...leaves);
        dirty.push(entry.index);
      }
      refresh(dirty);
    },
    remove(attestation) {
      const { subject, leaf } = leafOf(attestation, 0);
      const entry = bySubject.get(subject);
      const position = entry?.leaves.indexOf(leaf) ?? -1;
      if (!entry || position < 0) return false;
      entry.leaves[position] = 0n;
      refresh([entry.index]);
      return true;
    },
    membership(subject) {
      if (typeof subject !== "string" || subject.length === 0) fail("subject", "must be a non-empty string");
      const entry = bySubject.get(idToField(subject));
      if (!entry) fail("subject", "has no entry in the registry");
      const siblings: (readonly [string, string, string])[] = [];
      let j = entry.index;
      for (let l = 0; l < REGISTRY_DEPTH; l++) {
        const base = j - (j % REGISTRY_ARITY);
        const others = [0, 1, 2, 3].filter((k) => base + k !== j).map((k) => node(l, base + k).toString(10));
        siblings.push([others[0]!, others[1]!, others[2]!]);
        j = Math.floor(j / REGISTRY_ARITY);
      }
      return {
        root: registry.root.toString(10),
        entryIndex: entry.index,
        siblings,
        leaves: entry.leaves.map((leaf) => leaf.toString(10)),
      };
    },
    toJSON() {
      return {
        format: FORMAT,
        version: VERSION,
        root: registry.root.toString(10),
        entries: entries.map((e) => ({ subject: e.subject.toString(10), leaves: e.leaves.map((leaf) => leaf.toString(10)) })),
      };
    },
  };

  refresh(entries.map((e) => e.index));
  return registry;
}

function asField(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^(0|[1-9][0-9]*)$/.test(value) || BigInt(value) >= FIELD_ORDER) fail(field, "must be a decimal field element");
  return BigInt(value);
}

/** A registry from `toJSON()` output (an object or its JSON text); the root must match its entries. */
export function loadRegistry(data: SerializedRegistry | string): AttestationRegistry {
  let parsed: unknown = data;
  if (typeof data === "string") {
    try {
      parsed = JSON.parse(data);
    } catch {
      fail("registry", "is not JSON");
    }
  }
  const d = parsed as Partial<SerializedRegistry> | null;
  if (!d || typeof d !== "object" || d.format !== FORMAT || d.version !== VERSION) fail("registry", `is not a ${FORMAT} v${VERSION} document`);
  if (!Array.isArray(d.entries)) fail("registry", "entries must be an array");
  if (d.entries.length > REGISTRY_CAPACITY) fail("registry", `is full (${REGISTRY_CAPACITY} subjects)`);
  const seen = new Set<bigint>();
  const entries = d.entries.map((e, i) => {
    const subject = asField(e?.subject, `entries[${i}].subject`);
    if (seen.has(subject)) fail(`entries[${i}].subject`, "appears twice", i);
    seen.add(subject);
    if (!Array.isArray(e.leaves) || e.leaves.length > ENTRY_CAPACITY) fail(`entries[${i}].leaves`, `must be an array of at most ${ENTRY_CAPACITY} leaves`, i);
    return { subject, leaves: (e.leaves as unknown[]).map((leaf, k) => asField(leaf, `entries[${i}].leaves[${k}]`)) };
  });
  const registry = registryFrom(entries);
  if (registry.root.toString(10) !== d.root) fail("registry", "root does not match its entries");
  return registry;
}
