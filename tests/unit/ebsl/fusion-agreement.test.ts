import { describe, expect, it } from "vitest";
import { buildCircuitInput } from "../../../src/lib/proof/ebsl/circuit-input.js";
import { computeCircuitOutputs } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { PRIOR_WEIGHT } from "../../../src/lib/proof/ebsl/evidence.js";
import { countsFor, fuseAttestations, fusedOpinionFromOutputs, score } from "../../../src/lib/proof/ebsl/fusion.js";
import { createPrng } from "./prng.js";
import { NOW, randomAttestation, SUBJECT } from "./fixtures.js";

// Float fusion vs the circuit's integers, for opinions on the 10^6 grid (so b̂, d̂, û are exact).
// Fixed-point losses: the floor of the score (< 1 unit) and of aF (< 1 unit, times u ≤ 1), and
// the floors of r and s (each < 10^-6 in float units, so R and S move by < Σw·10^-6; since
// ∂E/∂R = (1 − E)/D and ∂E/∂S = −E/D that moves E by < Σw·10^-6/D). In score units:
//   |E_float·10^6 − score| ≤ 2 + Σw/D     (Σw over counting attestations, D = R + S + W in floats)
// which is ≤ 2 + Σw/2 in the worst case and about 2 in practice.
function tolerance(weightSum: number, D: number): number {
  return 2 + weightSum / D + 1e-6;
}

describe("float fusion agrees with the fixed-point reference (seeded)", { timeout: 180_000 }, () => {
  for (const seed of [101, 202, 303]) {
    it(`|score_float·1e6 − score_int| ≤ 2 + Σw/D (seed ${seed})`, () => {
      const rng = createPrng(seed);
      for (let round = 0; round < 30; round++) {
        const atts = Array.from({ length: rng.int(0, 16) }, () => randomAttestation(rng, true));
        const input = buildCircuitInput({ attestations: atts, subject: SUBJECT, now: NOW, reveal: true, capacities: [16] });
        const out = computeCircuitOutputs(input.slots, input.publicInputs);
        const fused = fuseAttestations(atts, { subject: SUBJECT, now: NOW });
        const counting = atts.filter((a) => countsFor(a, { subject: SUBJECT, now: NOW }));
        const weightSum = counting.reduce((sum, a) => sum + a.weight, 0);
        const D = PRIOR_WEIGHT / fused.uncertainty;
        expect(Math.abs(score(fused) * 1e6 - Number(out.score))).toBeLessThanOrEqual(tolerance(weightSum, D));
        expect(out.scoreOut).toBe(out.score);
        const fromInts = fusedOpinionFromOutputs(out);
        expect(Math.abs(fromInts.belief + fromInts.disbelief + fromInts.uncertainty - 1)).toBeLessThanOrEqual(1e-12);
        expect(Math.abs(score(fromInts) * 1e6 - Number(out.score))).toBeLessThanOrEqual(1);
      }
    });
  }

  it("matches the SPEC-style two-attestation example exactly", () => {
    // (0.6,0.2,0.2,0.5) ⊕ (0.3,0.1,0.6,0.4), weights 1: R = 7·10^12, S = floor-summed 2·10^12 + 333333·10^6,
    // aF = 450000, score = floor((10^6·R + 450000·2·10^12)/D)
    const atts = [
      { source: "a", target: SUBJECT, opinion: { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 }, attestation_type: "trust" as const, weight: 1, created_at: NOW - 1, expires_at: NOW + 1 },
      { source: "b", target: SUBJECT, opinion: { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 }, attestation_type: "trust" as const, weight: 1, created_at: NOW - 1, expires_at: NOW + 1 },
    ];
    const input = buildCircuitInput({ attestations: atts, subject: SUBJECT, now: NOW, reveal: true, capacities: [16] });
    const out = computeCircuitOutputs(input.slots, input.publicInputs);
    const R = 7_000_000_000_000n;
    const S = 2_333_333_000_000n;
    const D = R + S + 2_000_000_000_000n;
    expect(out.R).toBe(R);
    expect(out.S).toBe(S);
    expect(out.aF).toBe(450_000n);
    expect(out.score).toBe((1_000_000n * R + 450_000n * 2_000_000_000_000n) / D);
    expect(out.score).toBe(697_058n);
  });
});
