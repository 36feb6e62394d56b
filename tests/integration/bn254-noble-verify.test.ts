// @vitest-environment node
// Proofs of the bn254.wasm prover checked by a Groth16 verifier written here on @noble/curves
// (an implementation independent of ffjavascript and snarkjs, which the other tests use):
// e(A, B) = e(alpha1, beta2) e(sum_i x_i IC_i, gamma2) e(C, delta2), with x_0 = 1 and x_1..x_n the
// public signals. The blinding scalars come from a seed chosen per run (printed; BN254_SEED=<n>
// replays it). A proof with a changed public signal, or with A and C swapped for another
// proof's, must fail the same check.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bn254 } from "@noble/curves/bn254.js";
import { describe, expect, it } from "vitest";
import { createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import type { Groth16Proof } from "../../src/lib/proof/engine/types.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";

const SEED = Number(process.env.BN254_SEED ?? globalThis.crypto.getRandomValues(new Uint32Array(1))[0]);
console.log(`bn254 proofs verified with @noble/curves: seed ${SEED} (replay with BN254_SEED=${SEED})`);

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const { G1, G2, fields } = bn254;
type Pair = readonly [string, string];
interface VKey {
  vk_alpha_1: string[];
  vk_beta_2: Pair[];
  vk_gamma_2: Pair[];
  vk_delta_2: Pair[];
  IC: string[][];
}

const g1 = (p: readonly string[]) => G1.Point.fromAffine({ x: BigInt(p[0]!), y: BigInt(p[1]!) });
const g2 = (p: readonly (readonly string[])[]) =>
  G2.Point.fromAffine({
    x: fields.Fp2.create({ c0: BigInt(p[0]![0]!), c1: BigInt(p[0]![1]!) }),
    y: fields.Fp2.create({ c0: BigInt(p[1]![0]!), c1: BigInt(p[1]![1]!) }),
  });

/** The Groth16 verification equation, as one pairing product that must be 1. */
function verify(vk: VKey, publicSignals: string[], proof: Groth16Proof): boolean {
  const a = g1(proof.pi_a), b = g2(proof.pi_b as unknown as Pair[]), c = g1(proof.pi_c);
  for (const p of [a, c]) p.assertValidity();
  b.assertValidity(); // on the twist and in the subgroup
  const x = publicSignals.reduce((acc, s, i) => acc.add(g1(vk.IC[i + 1]!).multiplyUnsafe(BigInt(s) % fields.Fr.ORDER)), g1(vk.IC[0]!));
  const product = bn254.pairingBatch([
    { g1: a.negate(), g2: b },
    { g1: g1(vk.vk_alpha_1), g2: g2(vk.vk_beta_2) },
    { g1: x, g2: g2(vk.vk_gamma_2) },
    { g1: c, g2: g2(vk.vk_delta_2) },
  ]);
  return fields.Fp12.eql(product, fields.Fp12.ONE);
}

const circuits = [
  {
    name: "ebsl-16",
    zkey: join(ROOT, "circuits/build/ebsl-16/ebsl-16.zkey"),
    vkey: join(ROOT, "circuits/build/ebsl-16/ebsl-16.vkey.json"),
    wtns: () => witness(join(ROOT, "circuits/build/ebsl-16/ebsl-16.wasm"), ebslInput(16, 9)),
  },
  {
    name: "iden3 Multiplier(1000)",
    zkey: join(ROOT, "node_modules/circom_runtime/test/circuit/circuit.zkey"),
    vkey: join(ROOT, "node_modules/circom_runtime/test/circuit/verification_key.json"),
    wtns: () => witness(join(ROOT, "node_modules/circom_runtime/test/circuit/circuit_js/circuit.wasm"), { a: 3, b: 5, c: 7 }),
  },
];

describe(`bn254 proofs against a @noble/curves Groth16 verifier (seed ${SEED})`, () => {
  for (const c of circuits) {
    it(`${c.name}: two proofs verify; a changed public signal or mixed proof parts do not`, async () => {
      const vk = JSON.parse(readFileSync(c.vkey, "utf8")) as VKey;
      const prover = await createGroth16Prover(new Uint8Array(readFileSync(c.zkey)), { random: seededBytes(SEED) });
      const wtns = await c.wtns();
      const one = await prover.prove(wtns);
      const two = await prover.prove(wtns);
      expect(verify(vk, one.publicSignals, one.proof)).toBe(true);
      expect(verify(vk, two.publicSignals, two.proof)).toBe(true);
      const changed = [...one.publicSignals];
      changed[0] = (BigInt(changed[0]!) + 1n).toString();
      expect(verify(vk, changed, one.proof)).toBe(false);
      expect(verify(vk, one.publicSignals, { ...one.proof, pi_a: two.proof.pi_a })).toBe(false);
    });
  }
});
