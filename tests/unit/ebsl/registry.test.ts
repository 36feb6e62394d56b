import { describe, expect, it } from "vitest";
import { poseidon4 } from "poseidon-lite/poseidon4";
import {
  attestationLeaf,
  createRegistry,
  EMPTY_PATH,
  loadRegistry,
  REGISTRY_DEPTH,
  rootFromPath,
} from "../../../src/lib/proof/ebsl/registry.js";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { attestation, DAY, NOW } from "./fixtures.js";

const atts = Array.from({ length: 21 }, (_, i) => attestation({ created_at: NOW - DAY - i, weight: 1 + i }));

/** Root of a depth-10 quaternary tree built the slow, obvious way: every level in full. */
function naiveRoot(leaves: bigint[]): bigint {
  let level = [...leaves];
  let zero = 0n;
  for (let l = 0; l < REGISTRY_DEPTH; l++) {
    const next: bigint[] = [];
    for (let i = 0; i < Math.max(1, Math.ceil(level.length / 4)); i++) {
      next.push(poseidon4([0, 1, 2, 3].map((k) => level[4 * i + k] ?? zero)));
    }
    zero = poseidon4([zero, zero, zero, zero]);
    level = next;
  }
  return level[0]!;
}

describe("attestation registry", { timeout: 60_000 }, () => {
  it("has the root of the full quaternary tree, built at once or leaf by leaf", () => {
    const leaves = atts.map(attestationLeaf);
    const all = createRegistry(atts);
    expect(all.root).toBe(naiveRoot(leaves));
    const grown = createRegistry();
    expect(grown.root).toBe(naiveRoot([]));
    for (const a of atts) grown.add([a]);
    expect(grown.root).toBe(all.root);
    expect(all.size).toBe(21);
  });

  it("gives every attestation a path to the root, siblings in order", () => {
    const registry = createRegistry(atts);
    const { root, paths } = registry.membership([atts[5]!, atts[20]!, atts[0]!]);
    expect(root).toBe(registry.root.toString(10));
    expect(paths.map((p) => p.leafIndex)).toEqual([5, 20, 0]);
    for (const [i, a] of [atts[5]!, atts[20]!, atts[0]!].entries()) {
      expect(rootFromPath(attestationLeaf(a), paths[i]!)).toBe(registry.root);
      expect(paths[i]!.siblings).toHaveLength(REGISTRY_DEPTH);
    }
    // The wrong leaf, or the right leaf at another index, misses the root.
    expect(rootFromPath(attestationLeaf(atts[4]!), paths[0]!)).not.toBe(registry.root);
    expect(rootFromPath(attestationLeaf(atts[5]!), { ...paths[0]!, leafIndex: 6 })).not.toBe(registry.root);
    expect(rootFromPath(0n, EMPTY_PATH)).not.toBe(registry.root);
  });

  it("refuses a leaf twice and names an attestation that is not in it", () => {
    const registry = createRegistry(atts.slice(0, 3));
    expect(() => registry.add([atts[1]!])).toThrow(ValidationError);
    expect(() => registry.add([atts[7]!, atts[7]!])).toThrow(/already in the registry/);
    expect(registry.size).toBe(3);
    try {
      registry.membership([atts[0]!, atts[9]!]);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).details["index"]).toBe(1);
    }
    expect(registry.indexOf(atts[2]!)).toBe(2);
    expect(registry.indexOf(atts[9]!)).toBe(-1);
  });

  it("serialises to leaf hashes only and loads back to the same root", () => {
    const registry = createRegistry(atts);
    const json = JSON.stringify(registry);
    expect(json).not.toContain(atts[0]!.source.slice(2));
    const loaded = loadRegistry(json);
    expect(loaded.root).toBe(registry.root);
    expect(loaded.path(7)).toEqual(registry.path(7));
    const tampered = { ...registry.toJSON(), root: "1" };
    expect(() => loadRegistry(tampered)).toThrow(/root does not match/);
    expect(() => loadRegistry({ ...registry.toJSON(), depth: 20 as 10 })).toThrow(ValidationError);
  });
});
