// @vitest-environment node
// The combs of scripts/circuits/fixed-base-g1.mjs (bn254.wasm's batched affine additions) and
// fixed-base-g2.mjs (the same additions driven over bn254.wasm's Fp2 operations) against
// ffjavascript's timesScalar, in zkey form, with both window sizes: the small zkeys of
// dev-zkey.test.ts only reach the 8-bit one. Scalars include the edges where the additions meet
// infinity, doublings and a point plus its negation inside the tree (0, 1, r - 1, 2^k, digits
// that repeat across windows).
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without types
import { createFixedBaseG1 } from "../../scripts/circuits/fixed-base-g1.mjs";
// @ts-expect-error a plain .mjs script without types
import { createFixedBaseG2 } from "../../scripts/circuits/fixed-base-g2.mjs";

type Group = { g: Uint8Array; timesScalar(p: Uint8Array, s: bigint): Uint8Array; toRprLEM(buf: Uint8Array, at: number, p: Uint8Array): void; toAffine(p: Uint8Array): Uint8Array };
type Curve = { G1: Group; G2: Group; Fr: { p: bigint }; terminate(): Promise<void> };
type FixedBase = (g: Uint8Array, opts: { windowBits: 8 | 16 }) => Promise<{ mul(s: bigint[]): Promise<Uint8Array> }>;

const GROUPS = [
  { name: "G1", fixedBase: createFixedBaseG1 as FixedBase, bytes: 64 },
  { name: "G2", fixedBase: createFixedBaseG2 as FixedBase, bytes: 128 },
] as const;

let curve: Curve;
beforeAll(async () => {
  curve = await (snarkjs as unknown as { curves: { getCurveFromName(n: string): Promise<Curve> } }).curves.getCurveFromName("bn128");
});
afterAll(async () => {
  await curve?.terminate();
});

function scalars(r: bigint): bigint[] {
  const out = [0n, 1n, 2n, 3n, r - 1n, r - 2n, (r - 1n) / 2n, 1n << 8n, 1n << 16n, 1n << 128n, 1n << 253n, 0x0101010101010101n, 0xffffn * 0x10001n];
  let x = 0x9e3779b97f4a7c15n;
  while (out.length < 80) {
    x = (x * 6364136223846793005n + 1442695040888963407n) % r;
    out.push(x);
  }
  return out;
}

describe.each(GROUPS)("fixed-base $name comb on bn254.wasm", ({ name, fixedBase, bytes }) => {
  for (const windowBits of [8, 16] as const) {
    it(`${windowBits}-bit windows: s * G equals ffjavascript's timesScalar, byte for byte`, async () => {
      const G = curve[name];
      const g = new Uint8Array(bytes);
      G.toRprLEM(g, 0, G.g);
      const s = scalars(curve.Fr.p);
      const ours = await (await fixedBase(g, { windowBits })).mul(s);
      const expected = new Uint8Array(s.length * bytes);
      s.forEach((k, i) => G.toRprLEM(expected, i * bytes, G.toAffine(G.timesScalar(G.g, k))));
      expect(Buffer.from(ours).equals(Buffer.from(expected))).toBe(true);
      expect(Buffer.from(ours.subarray(0, bytes)).equals(Buffer.alloc(bytes))).toBe(true); // 0 * G: infinity is zeros
    }, 60_000);
  }
});
