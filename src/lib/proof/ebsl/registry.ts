/**
 * The attestation registry: a quaternary Poseidon Merkle tree whose root the EBSL circuits take
 * as a public input (circuits/README.md, "Registry"). A leaf is
 * `Poseidon3(packSlot(slot), issuer, target)` of an encoded attestation, so a published tree of
 * leaves reveals nothing about the attestations behind it; a holder who has an attestation can
 * find its leaf and its Merkle path.
 *
 * Shape: arity 4, depth 10 (4^10 = 2^20 leaves), empty leaves 0, a node is Poseidon4 of its four
 * children in order. Leaves are appended (an incremental tree); a leaf that is already present is
 * refused, because the circuit's uniqueness rule (strictly increasing leaf indices) only stops a
 * leaf counting twice if the same attestation cannot sit at two indices.
 *
 * Nodes are stored level by level, only the non-empty prefix of each level: appending k leaves
 * rehashes about k/3 + 10 nodes, building 1,000 leaves hashes about 1,350 nodes.
 */
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { ValidationError } from "../core/errors.js";
import { packSlot } from "./commitment.js";
import { encodeAttestation } from "./encode.js";
import { FIELD_ORDER } from "./fixed-point.js";
import type { Attestation, EncodedSlot } from "./types.js";

/** Children per node. */
export const REGISTRY_ARITY = 4;
/** Levels above the leaves; the circuits are compiled for this depth. */
export const REGISTRY_DEPTH = 10;
/** Leaves a registry holds: 4^10. */
export const REGISTRY_CAPACITY = REGISTRY_ARITY ** REGISTRY_DEPTH;

const FORMAT = "proofline-ebsl-registry";

/** A leaf's index and the three siblings at each level (leaf level first), decimal strings. */
export interface RegistryPath {
  readonly leafIndex: number;
  readonly siblings: readonly (readonly [string, string, string])[];
}

/** What a holder hands to `requestProof`: the root and one path per attestation, same order. */
export interface RegistryMembership {
  readonly root: string;
  readonly paths: readonly RegistryPath[];
}

/** A registry as JSON: the leaves in index order (hashes only) and the root they give. */
export interface SerializedRegistry {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly arity: 4;
  readonly depth: 10;
  readonly root: string;
  readonly leaves: readonly string[];
}

export interface AttestationRegistry {
  /** Root of the current tree (the circuit's public `root`). */
  readonly root: bigint;
  /** Leaves appended so far. */
  readonly size: number;
  /** Append attestations (or leaves); returns their indices. Refuses a leaf already present. */
  add(items: readonly (Attestation | bigint)[]): number[];
  /** Index of an attestation's (or leaf's) leaf, or -1. */
  indexOf(item: Attestation | bigint): number;
  /** Merkle path of the leaf at `index`. */
  path(index: number): RegistryPath;
  /** Root and paths for a holder's attestations; a `ValidationError` names the first one absent. */
  membership(attestations: readonly Attestation[]): RegistryMembership;
  toJSON(): SerializedRegistry;
}

/** The leaf of an encoded slot: Poseidon3(packed, issuer, target). */
export function slotLeaf(slot: EncodedSlot): bigint {
  return poseidon3([packSlot(slot), slot.issuer, slot.target]);
}

/** The leaf of a (valid) attestation. */
export function attestationLeaf(attestation: Attestation): bigint {
  return slotLeaf(encodeAttestation(attestation));
}

let zeroCache: bigint[] | undefined;
/** zeros[l]: the root of an empty subtree of height l (computed on first use, not at import). */
function zeros(): bigint[] {
  if (!zeroCache) {
    const z = [0n];
    for (let l = 0; l < REGISTRY_DEPTH; l++) z.push(poseidon4([z[l]!, z[l]!, z[l]!, z[l]!]));
    zeroCache = z;
  }
  return zeroCache;
}

/** The root a leaf and its path give (what the circuit computes). */
export function rootFromPath(leaf: bigint, path: RegistryPath): bigint {
  let node = leaf;
  let index = path.leafIndex;
  for (let l = 0; l < REGISTRY_DEPTH; l++) {
    const position = index % REGISTRY_ARITY;
    const children = path.siblings[l]!.map((s) => BigInt(s));
    children.splice(position, 0, node);
    node = poseidon4(children);
    index = Math.floor(index / REGISTRY_ARITY);
  }
  return node;
}

/** The path of an empty slot: index 0, all-zero siblings (the circuit does not check it). */
export const EMPTY_PATH: RegistryPath = Object.freeze({
  leafIndex: 0,
  siblings: Object.freeze(Array.from({ length: REGISTRY_DEPTH }, () => Object.freeze(["0", "0", "0"] as const))),
});

function fail(field: string, reason: string, index: number | null = null): never {
  throw new ValidationError(`${field}: ${reason}`, { details: { index, field, reason } });
}

function toLeaf(item: Attestation | bigint): bigint {
  return typeof item === "bigint" ? item : attestationLeaf(item);
}

/** A new registry, optionally with `attestations` appended in order. */
export function createRegistry(attestations: readonly (Attestation | bigint)[] = []): AttestationRegistry {
  // levels[l][j]: node j of level l (0 = leaves); entries past a level's end are empty subtrees.
  const levels: bigint[][] = Array.from({ length: REGISTRY_DEPTH + 1 }, () => []);
  const indexByLeaf = new Map<bigint, number>();
  const node = (l: number, j: number): bigint => levels[l]![j] ?? zeros()[l]!;

  const rehashFrom = (first: number): void => {
    let start = first;
    for (let l = 0; l < REGISTRY_DEPTH; l++) {
      const parentStart = Math.floor(start / REGISTRY_ARITY);
      const parentEnd = Math.ceil(levels[l]!.length / REGISTRY_ARITY);
      for (let p = parentStart; p < parentEnd; p++) {
        const base = p * REGISTRY_ARITY;
        levels[l + 1]![p] = poseidon4([node(l, base), node(l, base + 1), node(l, base + 2), node(l, base + 3)]);
      }
      start = parentStart;
    }
  };

  const registry: AttestationRegistry = {
    get root() {
      return node(REGISTRY_DEPTH, 0);
    },
    get size() {
      return levels[0]!.length;
    },
    add(items) {
      const leaves = items.map(toLeaf);
      if (levels[0]!.length + leaves.length > REGISTRY_CAPACITY) fail("registry", `is full (${REGISTRY_CAPACITY} leaves)`);
      const fresh = new Set<bigint>();
      leaves.forEach((leaf, i) => {
        if (leaf < 0n || leaf >= FIELD_ORDER) fail("leaf", "must be a field element", i);
        if (indexByLeaf.has(leaf) || fresh.has(leaf)) fail("leaf", "is already in the registry", i);
        fresh.add(leaf);
      });
      const first = levels[0]!.length;
      leaves.forEach((leaf, i) => {
        levels[0]!.push(leaf);
        indexByLeaf.set(leaf, first + i);
      });
      if (leaves.length > 0) rehashFrom(first);
      return leaves.map((_, i) => first + i);
    },
    indexOf(item) {
      return indexByLeaf.get(toLeaf(item)) ?? -1;
    },
    path(index) {
      if (!Number.isSafeInteger(index) || index < 0 || index >= levels[0]!.length) fail("index", "is not a leaf of the registry");
      const siblings: (readonly [string, string, string])[] = [];
      let j = index;
      for (let l = 0; l < REGISTRY_DEPTH; l++) {
        const base = j - (j % REGISTRY_ARITY);
        const group = [0, 1, 2, 3].filter((k) => base + k !== j).map((k) => node(l, base + k).toString(10));
        siblings.push([group[0]!, group[1]!, group[2]!]);
        j = Math.floor(j / REGISTRY_ARITY);
      }
      return { leafIndex: index, siblings };
    },
    membership(attestations) {
      const paths = attestations.map((att, i) => {
        const index = indexByLeaf.get(attestationLeaf(att));
        if (index === undefined) fail(`attestations[${i}]`, "is not in the registry", i);
        return registry.path(index);
      });
      return { root: registry.root.toString(10), paths };
    },
    toJSON() {
      return {
        format: FORMAT,
        version: 1,
        arity: 4,
        depth: 10,
        root: registry.root.toString(10),
        leaves: levels[0]!.map((leaf) => leaf.toString(10)),
      };
    },
  };
  registry.add(attestations);
  return registry;
}

/** Rebuild a registry from `toJSON()` output (an object or its JSON text); the root must match. */
export function loadRegistry(data: SerializedRegistry | string): AttestationRegistry {
  const parsed: unknown = typeof data === "string" ? JSON.parse(data) : data;
  const d = parsed as Partial<SerializedRegistry> | null;
  if (!d || d.format !== FORMAT || d.version !== 1) fail("registry", `is not a ${FORMAT} v1 document`);
  if (d.arity !== REGISTRY_ARITY || d.depth !== REGISTRY_DEPTH) fail("registry", "has another arity or depth than the circuits");
  if (!Array.isArray(d.leaves) || !d.leaves.every((l) => typeof l === "string" && /^(0|[1-9][0-9]*)$/.test(l))) {
    fail("registry", "leaves must be decimal strings");
  }
  const registry = createRegistry(d.leaves.map((l) => BigInt(l)));
  if (registry.root.toString(10) !== d.root) fail("registry", "root does not match its leaves");
  return registry;
}
