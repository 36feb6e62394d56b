/**
 * Re-randomisation against real snarkjs: a proof of the committed multiplier fixture (or
 * ebsl-16 when its artifacts are built) is re-randomised twice; all three proofs differ and
 * all verify; a wrong δ₂ gives a proof that does not verify.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Groth16Proof } from "../../src/lib/proof/engine/types.js";
import { ValidationError } from "../../src/lib/proof/core/errors.js";
import { loadBn128, rerandomizeProof, type Bn128Curve } from "../../src/lib/proof/worker/rerandomize.js";
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

function fixture(): { wasm: Uint8Array; zkey: Uint8Array; vkey: Record<string, unknown>; input: Record<string, unknown> } {
  const ebsl = `${root}circuits/build/ebsl-16/`;
  if (existsSync(`${ebsl}ebsl-16.zkey`) && process.env.RERANDOMIZE_FIXTURE !== "multiplier") {
    const input = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
    return {
      wasm: readFileSync(`${ebsl}ebsl-16.wasm`),
      zkey: readFileSync(`${ebsl}ebsl-16.zkey`),
      vkey: JSON.parse(readFileSync(`${ebsl}ebsl-16.vkey.json`, "utf8")),
      input: input as unknown as Record<string, unknown>,
    };
  }
  const fx = `${root}tests/fixtures/multiplier/`;
  return {
    wasm: readFileSync(`${fx}circuit.wasm`),
    zkey: readFileSync(`${fx}circuit.zkey`),
    vkey: JSON.parse(readFileSync(`${fx}vkey.json`, "utf8")),
    input: JSON.parse(readFileSync(`${fx}input.json`, "utf8")),
  };
}

describe("rerandomizeProof (real snarkjs)", () => {
  let curve: Bn128Curve;
  let vkey: Record<string, unknown>;
  let proof: Groth16Proof;
  let publicSignals: string[];

  beforeAll(async () => {
    const fx = fixture();
    vkey = fx.vkey;
    ({ proof, publicSignals } = await snarkjs.groth16.fullProve(fx.input, fx.wasm, fx.zkey, undefined, undefined, { singleThread: true }));
    curve = await loadBn128();
  });

  afterAll(async () => {
    // snarkjs's verify builds a threaded curve that keeps the process alive.
    await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
    await curve?.terminate?.();
  });

  it("gives proofs that differ from the original and each other and all verify", async () => {
    const vk = vkey as unknown as { vk_delta_2: string[][] };
    const once = rerandomizeProof(curve, proof, vk);
    const twice = rerandomizeProof(curve, proof, vk);
    const all = [proof, once, twice];
    const texts = new Set(all.map((p) => JSON.stringify([p.pi_a, p.pi_b, p.pi_c])));
    expect(texts.size).toBe(3);
    for (const p of [once, twice]) {
      expect(p.pi_a[2]).toBe("1");
      expect(p.pi_b[2]).toEqual(["1", "0"]);
      expect(p.protocol).toBe("groth16");
    }
    for (const p of all) expect(await snarkjs.groth16.verify(vkey, publicSignals, p)).toBe(true);
    // A re-randomised proof can itself be re-randomised.
    const thrice = rerandomizeProof(curve, once, vk);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, thrice)).toBe(true);
  });

  it("still binds the public signals", async () => {
    const fresh = rerandomizeProof(curve, proof, vkey as unknown as { vk_delta_2: string[][] });
    const wrong = [...publicSignals];
    wrong[0] = (BigInt(wrong[0]!) + 1n).toString();
    expect(await snarkjs.groth16.verify(vkey, wrong, fresh)).toBe(false);
  });

  it("fails verification when re-randomised with a wrong delta", async () => {
    // γ₂ is a valid G2 point that is not δ₂.
    const wrongDelta = { vk_delta_2: (vkey as { vk_gamma_2: string[][] }).vk_gamma_2 };
    expect(wrongDelta.vk_delta_2).not.toEqual((vkey as { vk_delta_2: string[][] }).vk_delta_2);
    const bad = rerandomizeProof(curve, proof, wrongDelta);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, bad)).toBe(false);
  });

  it("is deterministic for a fixed random source and rejects malformed points", () => {
    let i = 0;
    const random = (n: number) => Uint8Array.from({ length: n }, () => (i++ * 37 + 11) & 0xff);
    const vk = vkey as unknown as { vk_delta_2: string[][] };
    i = 0;
    const a = rerandomizeProof(curve, proof, vk, { random });
    i = 0;
    const b = rerandomizeProof(curve, proof, vk, { random });
    expect(a).toEqual(b);
    const broken = { ...proof, pi_a: [proof.pi_a[0]!, (BigInt(proof.pi_a[1]!) + 1n).toString(), "1"] };
    expect(() => rerandomizeProof(curve, broken, vk)).toThrow(ValidationError);
  });
});
