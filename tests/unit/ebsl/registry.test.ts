import { describe, expect, it } from "vitest";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon4 } from "poseidon-lite/poseidon4";
import { createRegistry, loadRegistry } from "../../../src/lib/proof/ebsl/registry.js";
import { encodeAttestation, idToField } from "../../../src/lib/proof/ebsl/encode.js";
import {
  ENTRY_CAPACITY, ENTRY_DEPTH, REGISTRY_DEPTH, rootFromPositionSteps, runSteps, slotLeaf,
} from "../../../src/lib/proof/ebsl/registry-tree.js";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { attestation, DAY, NOW } from "./fixtures.js";

const about = (target: string, n: number, offset = 0) =>
  Array.from({ length: n }, (_, i) => attestation({ target, source: `0x${(offset + i + 1).toString(16)}`, created_at: NOW - DAY - i, weight: 1 + i }));

/** Root of a full quaternary tree of `depth` over `leaves`, the slow, obvious way: every level in full. */
function naiveRoot(leaves: bigint[], depth: number): bigint {
  let level = [...leaves];
  while (level.length < 4 ** depth) level.push(0n);
  for (let l = 0; l < depth; l++) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 4) next.push(poseidon4(level.slice(i, i + 4)));
    level = next;
  }
  return level[0]!;
}

/** The registry root by the definition, for registries small enough to spell out (≤ 16 subjects). */
function definitionRoot(entries: { subject: bigint; leaves: bigint[] }[]): bigint {
  const entryLeaves = entries.map((e) => poseidon2([e.subject, naiveRoot(e.leaves, ENTRY_DEPTH)]));
  // Subjects 0..15 sit in the first subtree of height 2; above it, empty subtrees.
  let node = naiveRoot(entryLeaves, 2);
  let zero = naiveRoot([], 2);
  for (let l = 2; l < REGISTRY_DEPTH; l++) {
    node = poseidon4([node, zero, zero, zero]);
    zero = poseidon4([zero, zero, zero, zero]);
  }
  return node;
}

const leavesOf = (list: ReturnType<typeof about>) => list.map((a) => slotLeaf(encodeAttestation(a)));

describe("attestation registry", () => {
  it("has the root of its definition: an entry per subject (its attestations in order), entries in order of arrival", () => {
    const alice = about("alice", 5);
    const bob = about("bob", 17, 100);
    const registry = createRegistry([...alice.slice(0, 3), ...bob, ...alice.slice(3)]);
    expect(registry.subjects).toBe(2);
    const expected = definitionRoot([
      { subject: idToField("alice"), leaves: leavesOf(alice) },
      { subject: idToField("bob"), leaves: leavesOf(bob) },
    ]);
    expect(registry.root).toBe(expected);
    // Built in steps, the same tree.
    const stepwise = createRegistry(alice.slice(0, 3));
    stepwise.add(bob);
    stepwise.add(alice.slice(3));
    expect(stepwise.root).toBe(expected);
  });

  it("gives a holder the membership that leads to the root", () => {
    const registry = createRegistry([...about("a", 2), ...about("b", 3), ...about("c", 1), ...about("d", 4), ...about("e", 2)]);
    const m = registry.membership("d");
    expect(m.root).toBe(registry.root.toString());
    expect(m.entryIndex).toBe(3);
    expect(m.siblings).toHaveLength(REGISTRY_DEPTH);
    expect(m.leaves).toEqual(leavesOf(about("d", 4)).map(String));
    const entryRoot = naiveRoot(m.leaves.map(BigInt), ENTRY_DEPTH);
    const position = { entryIndex: m.entryIndex, siblings: m.siblings.map((l) => l.map(BigInt) as unknown as readonly [bigint, bigint, bigint]) };
    expect(runSteps(rootFromPositionSteps(poseidon2([idToField("d"), entryRoot]), position))).toBe(registry.root);
    expect(() => registry.membership("nobody")).toThrow(ValidationError);
  });

  it("removing an attestation empties its position and changes the root; removing it again does nothing", () => {
    const list = about("alice", 4);
    const registry = createRegistry(list);
    const before = registry.root;
    expect(registry.remove(list[1]!)).toBe(true);
    expect(registry.membership("alice").leaves[1]).toBe("0");
    expect(registry.root).not.toBe(before);
    expect(registry.remove(list[1]!)).toBe(false);
  });

  it("refuses an attestation already in its entry, an invalid one and a full entry, adding nothing", () => {
    const list = about("alice", 3);
    const registry = createRegistry(list);
    const root = registry.root;
    expect(() => registry.add([about("bob", 1)[0]!, list[1]!])).toThrow(/attestations\[1\]: is already in its subject's entry/);
    expect(() => registry.add([{ ...list[0]!, weight: -1 }])).toThrow(ValidationError);
    expect(registry.root).toBe(root);
    expect(registry.subjects).toBe(1);
    const full = createRegistry(about("carol", ENTRY_CAPACITY));
    expect(() => full.add(about("carol", 1, 10_000))).toThrow(/entry is full/);
  });

  it("serialises to hashes only and loads back to the same root; a tampered document is refused", () => {
    const registry = createRegistry([...about("alice", 3), ...about("bob", 2)]);
    const json = JSON.stringify(registry);
    expect(json).not.toContain("alice");
    expect(json).not.toContain("belief");
    const loaded = loadRegistry(json);
    expect(loaded.root).toBe(registry.root);
    expect(loaded.membership("bob")).toEqual(registry.membership("bob"));
    const doc = registry.toJSON();
    expect(() => loadRegistry({ ...doc, root: "1" })).toThrow(/root does not match/);
    expect(() => loadRegistry({ ...doc, entries: [doc.entries[0]!, doc.entries[0]!] })).toThrow(/appears twice/);
    expect(() => loadRegistry("{")).toThrow(ValidationError);
  });
});
