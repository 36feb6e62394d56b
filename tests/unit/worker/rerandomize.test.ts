/** Pure parts of rerandomize.ts; the curve arithmetic is tested against snarkjs in tests/integration/rerandomize.test.ts. */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { randomScalar, rerandomizeProof, type Bn128Curve } from "../../../src/lib/proof/worker/rerandomize.js";
import { PROOF, seededRandom } from "../cache/trust-fixtures.js";

const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

describe("randomScalar", () => {
  it("gives non-zero scalars below r", () => {
    const random = seededRandom(3);
    const seen = new Set<bigint>();
    for (let i = 0; i < 200; i++) {
      const s = randomScalar(R, random);
      expect(s > 0n && s < R).toBe(true);
      seen.add(s);
    }
    expect(seen.size).toBe(200);
  });

  it("retries on zero", () => {
    let calls = 0;
    const random = (n: number) => (calls++ === 0 ? new Uint8Array(n) : Uint8Array.from({ length: n }, () => 1));
    expect(randomScalar(R, random)).toBeGreaterThan(0n);
    expect(calls).toBe(2);
  });
});

describe("rerandomizeProof input checks", () => {
  const curve = { r: R } as unknown as Bn128Curve; // never reached for these inputs
  it("refuses non-Groth16 or non-BN254 proofs", () => {
    expect(() => rerandomizeProof(curve, { ...PROOF, protocol: "plonk" }, { vk_delta_2: [] })).toThrow(ValidationError);
    expect(() => rerandomizeProof(curve, { ...PROOF, curve: "bls12381" }, { vk_delta_2: [] })).toThrow(/BN254/);
  });
});
