/**
 * A dishonest prover with raw circom input and no library in the way: the ebsl-16 witness must
 * fail for an attestation outside the registry, one attestation counted twice, an attestation of
 * the entry left out, another subject's entry, and a root the registry never had; the honest input
 * built the same way succeeds. The registry (entries, tree, paths) is built here from poseidon-lite
 * alone, following circuits/README.md ("Registry"), not from the library.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon4 } from "poseidon-lite/poseidon4";

const CIRCUITS_DIR = join(import.meta.dirname, "../../circuits");
const manifest = JSON.parse(readFileSync(join(CIRCUITS_DIR, "manifest.json"), "utf8"));
const wasm = readFileSync(join(CIRCUITS_DIR, manifest.circuits["ebsl-16"].wasm.path));
const N = 16;
const DEPTH = 10;
const ENTRY_DEPTH = 4;

interface Slot { r: bigint; s: bigint; w: bigint; a: bigint; created: bigint; expires: bigint; issuer: bigint }
const EMPTY: Slot = { r: 0n, s: 0n, w: 0n, a: 0n, created: 0n, expires: 0n, issuer: 0n };

const pack = (x: Slot) => x.r + (x.s << 41n) + (x.w << 82n) + (x.a << 114n) + (x.created << 134n) + (x.expires << 176n);
const leafOf = (x: Slot) => (x.expires === 0n ? 0n : poseidon2([pack(x), x.issuer]));

/** A full quaternary tree of `depth` over `leaves` (zeros elsewhere): root and the path of each index. */
function tree(leaves: bigint[], depth: number) {
  const levels: bigint[][] = [[...leaves]];
  while (levels[0]!.length < 4 ** depth) levels[0]!.push(0n);
  for (let l = 0; l < depth; l++) {
    const below = levels[l]!;
    const up: bigint[] = [];
    for (let p = 0; p < below.length; p += 4) up.push(poseidon4(below.slice(p, p + 4)));
    levels.push(up);
  }
  const path = (index: number) => {
    const siblings: string[][] = [];
    let j = index;
    for (let l = 0; l < depth; l++) {
      const base = j - (j % 4);
      siblings.push([0, 1, 2, 3].filter((k) => base + k !== j).map((k) => String(levels[l]![base + k]!)));
      j = Math.floor(j / 4);
    }
    return siblings;
  };
  return { root: levels[depth]![0]!, path };
}

/** Registry over subjects' entries: 16 subject positions spelled out, the rest of the depth-10 tree empty. */
function registryOf(entries: { subject: bigint; slots: Slot[] }[]) {
  const entryLeaves = entries.map((e) => poseidon2([e.subject, tree(e.slots.map(leafOf), ENTRY_DEPTH).root]));
  const low = tree(entryLeaves, 2);
  let root = low.root;
  let zero = tree([], 2).root;
  const upper: string[][] = [];
  for (let l = 2; l < DEPTH; l++) {
    upper.push([String(zero), String(zero), String(zero)]);
    root = poseidon4([root, zero, zero, zero]);
    zero = poseidon4([zero, zero, zero, zero]);
  }
  return { root, path: (index: number) => [...low.path(index), ...upper] };
}

const NOW = 1_700_000_000_000n;
const SUBJECT = 0xaan;
const OTHER = 0xbbn;
const att = (issuer: bigint, belief = 6_000_000n): Slot => ({
  r: belief, s: 2_000_000n, w: 1_000_000n, a: 500_000n, created: NOW - 1000n, expires: NOW + 1000n, issuer,
});
const A = att(1n);
const B = att(2n);
const NEGATIVE = att(3n, 0n); // a poor attestation a dishonest subject would like to drop
const C = att(4n, 40_000_000n);
const registry = registryOf([
  { subject: OTHER, slots: [C] },
  { subject: SUBJECT, slots: [A, B, NEGATIVE] },
]);

/** Raw input: the slots in the order given, the entry at `entryIndex` with the registry's path. */
function input(slots: Slot[], { entryIndex = 1, root = registry.root, subject = SUBJECT, path = registry.path(entryIndex) } = {}) {
  const all = [...slots, ...Array.from({ length: N - slots.length }, () => EMPTY)];
  const col = (k: keyof Slot) => all.map((x) => String(x[k]));
  return {
    now: String(NOW), subject: String(subject), threshold: "600000", reveal: "1", root: String(root),
    r: col("r"), s: col("s"), w: col("w"), a: col("a"), created: col("created"), expires: col("expires"), issuer: col("issuer"),
    entryIndex: String(entryIndex), entrySiblings: path,
  };
}

const witness = (raw: Record<string, unknown>) => snarkjs.wtns.calculate(raw, wasm, { type: "mem" });

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("ebsl-16 refuses a dishonest witness", () => {
  it("accepts the honest input: the subject's whole entry, in its order, under the root", async () => {
    await expect(witness(input([A, B, NEGATIVE]))).resolves.not.toThrow();
    await expect(witness(input([C], { entryIndex: 0, subject: OTHER }))).resolves.not.toThrow();
  });

  it("refuses an attestation outside the registry (forged, or added to the entry)", async () => {
    await expect(witness(input([{ ...A, r: 9_000_000n }, B, NEGATIVE]))).rejects.toThrow();
    await expect(witness(input([A, B, NEGATIVE, att(9n, 40_000_000n)]))).rejects.toThrow();
  });

  it("refuses one attestation counted twice, a reordered entry and a left-out attestation", async () => {
    await expect(witness(input([A, B, B]))).rejects.toThrow();
    await expect(witness(input([A, A, B, NEGATIVE]))).rejects.toThrow();
    await expect(witness(input([B, A, NEGATIVE]))).rejects.toThrow();
    await expect(witness(input([A, B]))).rejects.toThrow();
    await expect(witness(input([A, B, EMPTY]))).rejects.toThrow();
  });

  it("refuses another subject's entry, and a root the registry never had", async () => {
    await expect(witness(input([C], { entryIndex: 0 }))).rejects.toThrow(); // C's entry, our subject
    await expect(witness(input([A, B, NEGATIVE], { entryIndex: 0 }))).rejects.toThrow();
    const invented = registryOf([{ subject: SUBJECT, slots: [C, C] }]);
    await expect(witness(input([C, C], { entryIndex: 0, root: registry.root, path: invented.path(0) }))).rejects.toThrow();
    // Consistent with itself, but a root nobody published: the witness exists, the verifier's root check refuses it.
    await expect(witness(input([att(7n, 40_000_000n)], { entryIndex: 0, ...rootAndPath([att(7n, 40_000_000n)]) }))).resolves.not.toThrow();
  });
});

function rootAndPath(slots: Slot[]) {
  const own = registryOf([{ subject: SUBJECT, slots }]);
  return { root: own.root, path: own.path(0) };
}
