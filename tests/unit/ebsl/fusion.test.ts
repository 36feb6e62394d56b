import { describe, expect, it } from "vitest";
import {
  countsFor, fuseAttestations, fusedOpinionFromOutputs, fuseWeighted, NEUTRAL_BASE_RATE, score,
} from "../../../src/lib/proof/ebsl/fusion.js";
import type { Opinion } from "../../../src/lib/proof/ebsl/types.js";
import { createPrng } from "./prng.js";
import { attestation, DAY, NOW, opinion, randomAttestation, SUBJECT } from "./fixtures.js";

const context = { subject: SUBJECT, now: NOW };

function expectOpinionClose(actual: Opinion, expected: Opinion, tolerance = 1e-12): void {
  expect(Math.abs(actual.belief - expected.belief)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual.disbelief - expected.disbelief)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual.uncertainty - expected.uncertainty)).toBeLessThanOrEqual(tolerance);
  expect(Math.abs(actual.base_rate - expected.base_rate)).toBeLessThanOrEqual(tolerance);
}

describe("fuseWeighted", () => {
  it("returns the vacuous opinion for nothing", () => {
    expect(fuseWeighted([])).toEqual(opinion(0, 0, 1, NEUTRAL_BASE_RATE));
    expect(fuseWeighted([{ opinion: opinion(0.6, 0.2, 0.2, 0.9), weight: 0 }])).toEqual(opinion(0, 0, 1, 0.5));
  });

  it("gives back a single opinion of weight 1", () => {
    expectOpinionClose(fuseWeighted([{ opinion: opinion(0.6, 0.2, 0.2, 0.3), weight: 1 }]), opinion(0.6, 0.2, 0.2, 0.3));
  });

  it("fuses two opinions by hand", () => {
    // r₁ = 6, s₁ = 2; r₂ = 1, s₂ = 1/3; R = 7, S = 7/3, D = 7 + 7/3 + 2 = 34/3
    const fused = fuseWeighted([
      { opinion: opinion(0.6, 0.2, 0.2, 0.5), weight: 1 },
      { opinion: opinion(0.3, 0.1, 0.6, 0.4), weight: 1 },
    ]);
    expectOpinionClose(fused, opinion(21 / 34, 7 / 34, 6 / 34, 0.45));
    expect(score(fused)).toBeCloseTo((21 + 0.45 * 6) / 34, 14);
  });

  it("weights evidence linearly and base rates by weight", () => {
    // weight 3 on (0.6, 0.2, 0.2): R = 18, S = 6, D = 26
    const fused = fuseWeighted([
      { opinion: opinion(0.6, 0.2, 0.2, 0.2), weight: 3 },
      { opinion: opinion(0, 0, 1, 1), weight: 1 },
    ]);
    expectOpinionClose(fused, opinion(18 / 26, 6 / 26, 2 / 26, (3 * 0.2 + 1) / 4));
  });
});

describe("score", () => {
  it("is b + a·u", () => {
    expect(score(opinion(0.5, 0.3, 0.2, 0.5))).toBeCloseTo(0.6, 15);
    expect(score(opinion(0, 0, 1, 0.5))).toBe(0.5);
  });
});

describe("fuseAttestations (the circuit's counting rule)", () => {
  it("counts only attestations in force at now and about the subject", () => {
    const counting = attestation();
    const ignored = [
      attestation({ opinion: opinion(0, 0.9, 0.1, 0), expires_at: NOW }), // expired at now
      attestation({ opinion: opinion(0, 0.9, 0.1, 0), created_at: NOW + 1, expires_at: NOW + DAY }), // not yet valid
      attestation({ opinion: opinion(0, 0.9, 0.1, 0), target: "someone-else" }),
    ];
    const fused = fuseAttestations([...ignored, counting], context);
    expectOpinionClose(fused, opinion(0.6, 0.2, 0.2, 0.5));
    expect(fuseAttestations(ignored, context)).toEqual(opinion(0, 0, 1, 0.5));
  });

  it("is in force from created_at inclusive to expires_at exclusive", () => {
    expect(countsFor(attestation({ created_at: NOW, expires_at: NOW + 1 }), context)).toBe(true);
    expect(countsFor(attestation({ created_at: NOW - 1, expires_at: NOW }), context)).toBe(false);
  });

  it("compares subjects as circuit ids", () => {
    const att = attestation({ target: "0xAA" });
    expect(countsFor(att, { subject: SUBJECT, now: NOW })).toBe(true);
    expect(countsFor(attestation({ target: "Alice" }), { subject: "alice", now: NOW })).toBe(false);
  });
});

describe("fusion properties (seeded)", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`order independence, bounds, b+d+u = 1 and score in [0, 1] (seed ${seed})`, () => {
      const rng = createPrng(seed);
      for (let round = 0; round < 40; round++) {
        const list = Array.from({ length: rng.int(0, 40) }, () => randomAttestation(rng, true));
        const fused = fuseAttestations(list, context);
        for (const value of Object.values(fused)) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        expect(Math.abs(fused.belief + fused.disbelief + fused.uncertainty - 1)).toBeLessThanOrEqual(1e-12);
        const e = score(fused);
        expect(e).toBeGreaterThanOrEqual(0);
        expect(e).toBeLessThanOrEqual(1);
        const shuffled = fuseAttestations(rng.shuffle(list), context);
        expectOpinionClose(shuffled, fused, 1e-12);
      }
    });
  }
});

describe("fusedOpinionFromOutputs", () => {
  it("reads belief = R/D, disbelief = S/D, uncertainty = WP/D, base_rate = aF/10^6", () => {
    // R = 6·10^12, S = 2·10^12, WP = 2·10^12, D = 10^13
    const fused = fusedOpinionFromOutputs({ R: 6_000_000_000_000n, S: 2_000_000_000_000n, D: 10_000_000_000_000n, aF: 450_000n });
    expect(fused).toEqual(opinion(0.6, 0.2, 0.2, 0.45));
  });

  it("is the vacuous opinion when nothing counted", () => {
    expect(fusedOpinionFromOutputs({ R: 0n, S: 0n, D: 2_000_000_000_000n, aF: 500_000n })).toEqual(opinion(0, 0, 1, 0.5));
  });
});
