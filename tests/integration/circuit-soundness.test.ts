/**
 * A dishonest prover with raw circom input and no library in the way: the ebsl-16 witness must
 * fail for an attestation outside the registry, a leaf used twice or out of order, a gap before a
 * used slot, and a slot about another subject; the honest input built the same way succeeds.
 * Leaves, tree and input are built here from poseidon-lite alone, following circuits/README.md.
 */
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { poseidon3 } from "poseidon-lite/poseidon3";
import { poseidon4 } from "poseidon-lite/poseidon4";

const CIRCUITS_DIR = join(import.meta.dirname, "../../packages/circuits");
const manifest = JSON.parse(readFileSync(join(CIRCUITS_DIR, "manifest.json"), "utf8"));
const wasm = readFileSync(join(CIRCUITS_DIR, manifest.circuits["ebsl-16"].wasm.path));
const N = 16;
const DEPTH = 10;

interface Slot { r: bigint; s: bigint; w: bigint; a: bigint; created: bigint; expires: bigint; issuer: bigint; target: bigint }
const EMPTY: Slot = { r: 0n, s: 0n, w: 0n, a: 0n, created: 0n, expires: 0n, issuer: 0n, target: 0n };

const pack = (x: Slot) => x.r + (x.s << 41n) + (x.w << 82n) + (x.a << 114n) + (x.created << 134n) + (x.expires << 176n);
const leafOf = (x: Slot) => poseidon3([pack(x), x.issuer, x.target]);

/** A full quaternary tree over `leaves` (zeros elsewhere): root and the path of each index. */
function tree(leaves: bigint[]) {
  const levels: bigint[][] = [leaves];
  const zeros = [0n];
  for (let l = 0; l < DEPTH; l++) {
    const below = levels[l]!;
    const z = zeros[l]!;
    const up: bigint[] = [];
    for (let p = 0; p < Math.max(1, Math.ceil(below.length / 4)); p++) up.push(poseidon4([0, 1, 2, 3].map((k) => below[4 * p + k] ?? z)));
    levels.push(up);
    zeros.push(poseidon4([z, z, z, z]));
  }
  const path = (index: number) => {
    const siblings: string[][] = [];
    let j = index;
    for (let l = 0; l < DEPTH; l++) {
      const base = j - (j % 4);
      siblings.push([0, 1, 2, 3].filter((k) => base + k !== j).map((k) => String(levels[l]![base + k] ?? zeros[l]!)));
      j = Math.floor(j / 4);
    }
    return siblings;
  };
  return { root: levels[DEPTH]![0]!, path };
}

const NOW = 1_700_000_000_000n;
const SUBJECT = 0xaan;
const OTHER = 0xbbn;
const att = (issuer: bigint, target: bigint): Slot => ({
  r: 6_000_000n, s: 2_000_000n, w: 1_000_000n, a: 500_000n, created: NOW - 1000n, expires: NOW + 1000n, issuer, target,
});
const A = att(1n, SUBJECT);
const B = att(2n, SUBJECT);
const C = att(3n, OTHER);
const registry = tree([A, B, C].map(leafOf));
const zeroPath = Array.from({ length: DEPTH }, () => ["0", "0", "0"]);

/** Raw input: slots with their claimed leaf index (-1: empty slot, zero path). */
function input(slots: { slot: Slot; index: number; path?: string[][] }[], root = registry.root, subject = SUBJECT) {
  const all: { slot: Slot; index: number; path?: string[][] }[] = [...slots, ...Array.from({ length: N - slots.length }, () => ({ slot: EMPTY, index: -1 }))];
  const col = (k: keyof Slot) => all.map((e) => String(e.slot[k]));
  return {
    now: String(NOW), subject: String(subject), threshold: "600000", reveal: "1", root: String(root),
    r: col("r"), s: col("s"), w: col("w"), a: col("a"), created: col("created"), expires: col("expires"), issuer: col("issuer"), target: col("target"),
    leafIndex: all.map((e) => String(Math.max(e.index, 0))),
    siblings: all.map((e) => e.path ?? (e.index < 0 ? zeroPath : registry.path(e.index))),
  };
}

const witness = (raw: Record<string, unknown>) => snarkjs.wtns.calculate(raw, wasm, { type: "mem" });

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("ebsl-16 refuses a dishonest witness", () => {
  it("accepts the honest input: registered slots about the subject, increasing leaf indices", async () => {
    await expect(witness(input([{ slot: A, index: 0 }, { slot: B, index: 1 }]))).resolves.not.toThrow();
  });

  it("refuses an attestation outside the registry", async () => {
    const forged = { ...A, r: 9_000_000n };
    await expect(witness(input([{ slot: forged, index: 0 }]))).rejects.toThrow();
    // An invented attestation with a path made up to fit: still not under the root.
    await expect(witness(input([{ slot: att(9n, SUBJECT), index: 5, path: zeroPath }]))).rejects.toThrow();
    // The honest slots against a root of another registry.
    await expect(witness(input([{ slot: A, index: 0 }], tree([leafOf(B)]).root))).rejects.toThrow();
  });

  it("refuses one leaf used twice, slots out of leaf order and a gap before a used slot", async () => {
    await expect(witness(input([{ slot: A, index: 0 }, { slot: A, index: 0 }]))).rejects.toThrow();
    await expect(witness(input([{ slot: B, index: 1 }, { slot: A, index: 0 }]))).rejects.toThrow();
    const gap = input([{ slot: A, index: 0 }, { slot: EMPTY, index: -1 }, { slot: B, index: 1 }]);
    await expect(witness(gap)).rejects.toThrow();
  });

  it("refuses a registered slot about another subject", async () => {
    await expect(witness(input([{ slot: A, index: 0 }, { slot: C, index: 2 }]))).rejects.toThrow();
    // ... and the same slot when the public subject is its own target is fine.
    await expect(witness(input([{ slot: C, index: 2 }], registry.root, OTHER))).resolves.not.toThrow();
  });
});
