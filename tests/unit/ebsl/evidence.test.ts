import { describe, expect, it } from "vitest";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { evidenceToOpinion, opinionToEvidence, PRIOR_WEIGHT } from "../../../src/lib/proof/ebsl/evidence.js";
import { createPrng } from "./prng.js";
import { randomOpinion } from "./fixtures.js";

describe("opinion ↔ evidence (W = 2)", () => {
  it("uses W = 2", () => {
    expect(PRIOR_WEIGHT).toBe(2);
  });

  it("converts by hand-computed examples", () => {
    // r = 2·0.6/0.2 = 6, s = 2·0.2/0.2 = 2
    const e = opinionToEvidence({ belief: 0.6, disbelief: 0.2, uncertainty: 0.2 });
    expect(e.r).toBeCloseTo(6, 14);
    expect(e.s).toBeCloseTo(2, 14);
    expect(opinionToEvidence({ belief: 0, disbelief: 0, uncertainty: 1 })).toEqual({ r: 0, s: 0 });
    // back: D = 6 + 2 + 2 = 10
    expect(evidenceToOpinion({ r: 6, s: 2 })).toEqual({ belief: 0.6, disbelief: 0.2, uncertainty: 0.2 });
    expect(evidenceToOpinion({ r: 0, s: 0 })).toEqual({ belief: 0, disbelief: 0, uncertainty: 1 });
  });

  it("round-trips random opinions", () => {
    const rng = createPrng(7);
    for (let i = 0; i < 500; i++) {
      const o = randomOpinion(rng);
      const back = evidenceToOpinion(opinionToEvidence(o));
      expect(Math.abs(back.belief - o.belief)).toBeLessThan(1e-9);
      expect(Math.abs(back.disbelief - o.disbelief)).toBeLessThan(1e-9);
      expect(Math.abs(back.uncertainty - o.uncertainty)).toBeLessThan(1e-9);
    }
  });

  it("rejects dogmatic opinions and negative evidence with typed errors", () => {
    expect(() => opinionToEvidence({ belief: 1, disbelief: 0, uncertainty: 0 })).toThrowError(ProofError);
    try {
      opinionToEvidence({ belief: 1, disbelief: 0, uncertainty: 0 });
    } catch (error) {
      expect((error as ProofError).code).toBe("VALIDATION_ERROR");
    }
    expect(() => evidenceToOpinion({ r: -1, s: 0 })).toThrowError(/evidence\.r/);
    expect(() => evidenceToOpinion({ r: 0, s: Number.POSITIVE_INFINITY })).toThrowError(/evidence\.s/);
  });
});
