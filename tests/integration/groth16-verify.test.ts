/**
 * The prepared-vkey verifier against its reference, `snarkjs.groth16.verify`: real proofs of
 * ebsl-16 (8 public signals) and of the committed multiplier fixture, then every tampering a
 * hostile server or holder could try. Both must give the same verdict on each; the one
 * documented difference (a short signal list) is checked on its own.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Groth16Proof } from "../../src/lib/proof/engine/types.js";
import { verifyGroth16, type Groth16Vkey, type PairingCurve } from "../../src/lib/proof/worker/groth16-verify.js";
import { loadBn128 } from "../../src/lib/proof/worker/rerandomize.js";
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

interface Case {
  readonly name: string;
  readonly vkey: Groth16Vkey;
  proof: Groth16Proof;
  publicSignals: string[];
}

function load(dir: string, base: string, input: unknown): Promise<Case> {
  return snarkjs.groth16
    .fullProve(input as never, readFileSync(`${dir}${base}.wasm`), readFileSync(`${dir}${base}.zkey`), undefined, undefined, { singleThread: true })
    .then(({ proof, publicSignals }) => ({ name: base, vkey: JSON.parse(readFileSync(`${dir}${base === "circuit" ? "vkey" : `${base}.vkey`}.json`, "utf8")), proof: proof as Groth16Proof, publicSignals }));
}

const bump = (s: string, by = 1n) => String(BigInt(s) + by);

describe("verifyGroth16 decides as snarkjs.groth16.verify does", () => {
  let curve: PairingCurve;
  const cases: Case[] = [];

  beforeAll(async () => {
    curve = (await loadBn128()) as unknown as PairingCurve;
    const ebslInput = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
    cases.push(await load(`${root}circuits/build/ebsl-16/`, "ebsl-16", ebslInput));
    cases.push(await load(`${root}tests/fixtures/multiplier/`, "circuit", JSON.parse(readFileSync(`${root}tests/fixtures/multiplier/input.json`, "utf8"))));
  }, 120_000);

  afterAll(async () => {
    // snarkjs's verify builds a threaded curve that keeps the process alive.
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
  });

  /** Each variant of one case: [label, publicSignals, proof]. */
  function variants(c: Case): [string, string[], Groth16Proof][] {
    const p = c.proof;
    const out: [string, string[], Groth16Proof][] = [["honest", c.publicSignals, p]];
    c.publicSignals.forEach((_, i) => out.push([`signal ${i} + 1`, c.publicSignals.map((s, j) => (j === i ? bump(s) : s)), p]));
    out.push(["signal 0 + r (same residue)", c.publicSignals.map((s, j) => (j === 0 ? bump(s, curve.r) : s)), p]);
    out.push(["A swapped with C", c.publicSignals, { ...p, pi_a: p.pi_c, pi_c: p.pi_a }]);
    out.push(["A negated", c.publicSignals, { ...p, pi_a: [p.pi_a[0]!, String(21888242871839275222246405745257275088696311157297322560362402803187917209767n - BigInt(p.pi_a[1]!)), p.pi_a[2]!] }]);
    out.push(["C off the curve", c.publicSignals, { ...p, pi_c: [bump(p.pi_c[0]!), p.pi_c[1]!, p.pi_c[2]!] }]);
    out.push(["B coordinates swapped", c.publicSignals, { ...p, pi_b: [[p.pi_b[0]![1]!, p.pi_b[0]![0]!], p.pi_b[1]!, p.pi_b[2]!] }]);
    return out;
  }

  it("on honest and tampered proofs of ebsl-16 and the multiplier", async () => {
    let honest = 0;
    for (const c of cases) {
      for (const [label, signals, proof] of variants(c)) {
        const reference = await snarkjs.groth16.verify(c.vkey as never, signals, proof as never);
        expect({ circuit: c.name, label, verdict: verifyGroth16(curve, c.vkey, signals, proof) }).toEqual({ circuit: c.name, label, verdict: reference });
        if (label === "honest") honest += reference ? 1 : 0;
      }
    }
    // The positive control: both honest proofs verify, so the agreement above is not all "false".
    expect(honest).toBe(2);
  });

  it("refuses a proof under another circuit's vkey, and signals that are not decimal field elements", () => {
    const [ebsl, mult] = cases as [Case, Case];
    expect(verifyGroth16(curve, mult.vkey, ebsl.publicSignals.slice(0, 1), ebsl.proof)).toBe(false);
    for (const bad of ["0x1", " 1", "", "1e3", "-1"]) {
      expect(verifyGroth16(curve, mult.vkey, [bad], mult.proof)).toBe(false);
    }
  });

  it("refuses a signal list of the wrong length (snarkjs would verify a short list as if padded with 0)", () => {
    const ebsl = cases[0]!;
    expect(verifyGroth16(curve, ebsl.vkey, ebsl.publicSignals.slice(0, 7), ebsl.proof)).toBe(false);
    expect(verifyGroth16(curve, ebsl.vkey, [...ebsl.publicSignals, "0"], ebsl.proof)).toBe(false);
  });

  it("verifies again from its prepared key, and keeps keys of several circuits apart", () => {
    for (let i = 0; i < 3; i++) for (const c of cases) expect(verifyGroth16(curve, c.vkey, c.publicSignals, c.proof)).toBe(true);
  });
});
