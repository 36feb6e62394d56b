import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { fuseCompat, reputationCompat } from "../../../src/lib/proof/ebsl/compat.js";
import { fuseWeighted, score } from "../../../src/lib/proof/ebsl/fusion.js";
import type { Opinion } from "../../../src/lib/proof/ebsl/types.js";
import { attestation, DAY, NOW, opinion, SUBJECT } from "./fixtures.js";

function expectVector(actual: Opinion, expected: Opinion): void {
  for (const key of ["belief", "disbelief", "uncertainty", "base_rate"] as const) {
    expect(Math.abs(actual[key] - expected[key]), key).toBeLessThanOrEqual(1e-12);
  }
}

const TWO = [opinion(0.6, 0.2, 0.2, 0.5), opinion(0.3, 0.1, 0.6, 0.4)];
const THREE = [opinion(0.6, 0.1, 0.3, 0.5), opinion(0.4, 0.2, 0.4, 0.6), opinion(0.5, 0.1, 0.4, 0.4)];

describe("fuseCompat reproduces the Shadowgraph seed engine (SPEC vectors)", () => {
  it("two opinions, equal weights", () => {
    expectVector(fuseCompat(TWO), opinion(0.6774193548387095, 0.22580645161290322, 0.0967741935483871, 0.5135135135135135));
    expectVector(fuseCompat(TWO, [5, 5]), fuseCompat(TWO));
  });

  it("three attestations, weights 1, score 779802", () => {
    const atts = THREE.map((o) => attestation({ opinion: o, weight: 1 }));
    const fused = fuseCompat(atts);
    expectVector(fused, opinion(0.75, 0.19827586206896547, 0.051724137931034475, 0.5761718750000001));
    expect(Math.round(score(fused) * 1e6)).toBe(779802);
  });

  it("is order-dependent (unlike EBSL fusion) and differs from it", () => {
    const forward = fuseCompat(THREE);
    const backward = fuseCompat([...THREE].reverse());
    expect(Math.abs(forward.belief - backward.belief)).toBeGreaterThan(1e-3);
    const ebsl = fuseWeighted(THREE.map((o) => ({ opinion: o, weight: 1 })));
    expect(Math.abs(score(ebsl) - score(forward))).toBeGreaterThan(1e-3);
  });

  it("handles empty and single lists like the seed engine", () => {
    expect(fuseCompat([])).toEqual(opinion(0, 0, 1, 0.5));
    const single = opinion(0.1, 0.2, 0.7, 0.3);
    expect(fuseCompat([single])).toBe(single);
  });

  it("averages dogmatic opinions", () => {
    const fused = fuseCompat([opinion(1, 0, 0, 0.2), opinion(0, 1, 0, 0.6)]);
    expectVector(fused, opinion(0.5, 0.5, 0, 0.4));
  });

  it("rejects invalid input with typed errors", () => {
    expect(() => fuseCompat([opinion(0.5, 0.5, 0.5, 0.5), TWO[0]!])).toThrowError(ValidationError);
    expect(() => fuseCompat(TWO, [1])).toThrowError(/weights/);
    expect(() => fuseCompat(TWO, [0, 0])).toThrowError(/weight/);
    expect(() => fuseCompat(TWO, [-1, 1])).toThrowError(/opinions\[0\]\.weight/);
  });
});

describe("reputationCompat", () => {
  it("filters like the seed engine (string target, expires_at > now, no created_at check)", () => {
    const atts = THREE.map((o) => attestation({ opinion: o }));
    const extra = [
      attestation({ target: SUBJECT.toUpperCase().replace("0X", "0x") }), // string mismatch: ignored by the seed engine
      attestation({ expires_at: NOW }),
    ];
    const future = attestation({ opinion: THREE[2]!, created_at: NOW + DAY, expires_at: NOW + 2 * DAY });
    const result = reputationCompat([...atts.slice(0, 2), ...extra, future], { subject: SUBJECT, now: NOW });
    expect(Math.round(result.score * 1e6)).toBe(779802);
  });

  it("partitions above 50 attestations into groups of 20", () => {
    const atts = Array.from({ length: 51 }, (_, i) => attestation({ opinion: THREE[i % 3]!, weight: 1 + (i % 4) }));
    const groups = [atts.slice(0, 20), atts.slice(20, 40), atts.slice(40)].map((g) => fuseCompat(g));
    const expected = fuseCompat(groups);
    const result = reputationCompat(atts, { subject: SUBJECT, now: NOW });
    expectVector(result.opinion, expected);
    expect(Math.abs(result.opinion.belief - fuseCompat(atts).belief)).toBeGreaterThan(0);
  });
});
