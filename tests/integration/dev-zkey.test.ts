// @vitest-environment node
// The INSECURE direct zkey writer (scripts/circuits/dev-zkey.mjs) against its reference: for both
// synthetic kinds at 2^10 and 2^11, the zkey written from the known tau equals `snarkjs zkey new`
// over the dev ptau (dev-ptau.mjs) byte for byte, including the circuit hash; also over a filled
// ptau one power larger than the circuit (its H part is then not truncated). A proof made with the direct
// zkey verifies with snarkjs, and the same proof with a changed public signal does not.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error a plain .mjs script without types
import { writeDevPtau } from "../../scripts/circuits/dev-ptau.mjs";
// @ts-expect-error a plain .mjs script without types
import { writeDevZkey } from "../../scripts/circuits/dev-zkey.mjs";
// @ts-expect-error a plain .mjs script without types
import { compileSynthetic, inputFor } from "../../scripts/circuits/synthetic.mjs";

type Curve = { terminate(): Promise<void> };
type Compiled = { id: string; r1cs: string; wasm: string; constraints: number };
const compile = compileSynthetic as (kind: string, power: number, dir: string) => Promise<Compiled>;
const devPtau = writeDevPtau as (curve: Curve, path: string, opts: { power: number; full?: boolean }) => Promise<void>;
const devZkey = writeDevZkey as (curve: Curve, r1cs: string, zkey: string, opts?: { ptauPower?: number }) => Promise<Uint8Array>;
// The parts of snarkjs this test uses, typed (its own declarations mark them optional).
const zKey = snarkjs.zKey as unknown as {
  newZKey(r1cs: string, ptau: string, zkey: string): Promise<Uint8Array>;
  exportVerificationKey(zkey: string): Promise<never>;
};
const curves = (snarkjs as unknown as { curves: { getCurveFromName(name: string): Promise<Curve> } }).curves;
const input = inputFor as (kind: string, salt?: number) => Record<string, string>;

let dir = "";
let curve: Curve;
const ptaus = new Map<number, string>();

/** The dev ptau of a power, written once per run. */
async function ptauOf(power: number): Promise<string> {
  let path = ptaus.get(power);
  if (!path) {
    path = join(dir, `dev-${power}.ptau`);
    await devPtau(curve, path, { power });
    ptaus.set(power, path);
  }
  return path;
}

/** Sections of a binary file by id, to name the first one that differs. */
function sectionsOf(buf: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  let pos = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const size = Number(buf.readBigUInt64LE(pos + 4));
    out.set(buf.readUInt32LE(pos), buf.subarray(pos + 12, pos + 12 + size));
    pos += 12 + size;
  }
  return out;
}

function expectSameZkey(ours: string, reference: string): void {
  const a = readFileSync(ours);
  const b = readFileSync(reference);
  const differing = [...sectionsOf(b)].filter(([id, s]) => !sectionsOf(a).get(id)?.equals(s)).map(([id]) => id);
  expect(differing).toEqual([]);
  expect(a.length).toBe(b.length);
  expect(a.equals(b)).toBe(true);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "proofline-dev-zkey-"));
  curve = await curves.getCurveFromName("bn128");
});

afterAll(async () => {
  await curve?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe("dev zkey written from the known tau (INSECURE)", () => {
  for (const [kind, power] of [["full", 10], ["bits", 10], ["full", 11], ["bits", 11]] as const) {
    it(`${kind} at 2^${power}: equals snarkjs zkey new byte for byte, and its proofs verify`, async () => {
      const c = await compile(kind, power, join(dir, `${kind}-${power}`));
      const reference = join(dir, `${c.id}.ref.zkey`);
      const ours = join(dir, `${c.id}.zkey`);
      const refHash = await zKey.newZKey(c.r1cs, await ptauOf(power), reference);
      const ourHash = await devZkey(curve, c.r1cs, ours);
      expect(Buffer.from(ourHash).equals(Buffer.from(refHash))).toBe(true);
      expectSameZkey(ours, reference);

      const { proof, publicSignals } = await snarkjs.groth16.fullProve(input(kind, 5), c.wasm, ours);
      const vkey = await zKey.exportVerificationKey(ours);
      expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
      const forged = [...publicSignals];
      forged[0] = (BigInt(forged[0]!) + 1n).toString();
      expect(await snarkjs.groth16.verify(vkey, forged, proof)).toBe(false);
    }, 120_000);
  }

  it("full at 2^10 over a 2^11 ptau: equals zkey new over that ptau (H from an untruncated part)", async () => {
    const c = await compile("full", 10, join(dir, "full-10-over-11"));
    const reference = join(dir, "over-11.ref.zkey");
    const ours = join(dir, "over-11.zkey");
    // A filled ptau: the sparse one holds only the Lagrange parts of its own power.
    const ptau = join(dir, "dev-11-full.ptau");
    await devPtau(curve, ptau, { power: 11, full: true });
    await zKey.newZKey(c.r1cs, ptau, reference);
    await devZkey(curve, c.r1cs, ours, { ptauPower: 11 });
    expectSameZkey(ours, reference);
    // The H section does depend on the ptau's power: the 2^10 ptau gives another key.
    const sameSize = join(dir, "over-10.zkey");
    await devZkey(curve, c.r1cs, sameSize);
    expect(readFileSync(sameSize).equals(readFileSync(ours))).toBe(false);
  }, 120_000);
});
