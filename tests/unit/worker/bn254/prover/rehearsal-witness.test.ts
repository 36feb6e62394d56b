import { describe, expect, it } from "vitest";
import { rehearsalWitness } from "../../../../../src/lib/proof/worker/bn254/prover/rehearsal-witness.js";
import { leBigInt } from "../../../../../src/lib/proof/engine/artifacts/bin-file.js";
import { readWitness } from "../../../../../src/lib/proof/worker/bn254/prover/groth16-proof.js";
import { BN254_R } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";

describe("rehearsalWitness", () => {
  it("is a .wtns file the prover's reader accepts: nVars values, signal 0 is 1, every value a full-width element below r", () => {
    const w = readWitness(rehearsalWitness(300));
    expect(w.count).toBe(300);
    const values = Array.from({ length: 300 }, (_, i) => leBigInt(w.values.subarray(32 * i, 32 * i + 32)));
    expect(values[0]).toBe(1n);
    for (const v of values.slice(1)) {
      expect(v < BN254_R).toBe(true);
      expect(v > 1n << 200n).toBe(true);
    }
    expect(new Set(values.map(String)).size).toBe(300);
  });

  it("is the same bytes every time (nothing secret or random in it)", () => {
    expect(rehearsalWitness(64)).toEqual(rehearsalWitness(64));
  });
});
