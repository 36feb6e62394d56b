/** Attestation builders shared by the EBSL unit tests. */
import type { Attestation, AttestationType, Opinion } from "../../../src/lib/proof/ebsl/types.js";
import type { Prng } from "./prng.js";

export const NOW = 1_700_000_000_000;
export const DAY = 86_400_000;
export const SUBJECT = "0x00000000000000000000000000000000000000aa";

export function opinion(belief: number, disbelief: number, uncertainty: number, base_rate: number): Opinion {
  return { belief, disbelief, uncertainty, base_rate };
}

export function attestation(overrides: Partial<Attestation> = {}): Attestation {
  return {
    source: "0x00000000000000000000000000000000000000b1",
    target: SUBJECT,
    opinion: opinion(0.6, 0.2, 0.2, 0.5),
    attestation_type: "trust",
    weight: 1,
    created_at: NOW - DAY,
    expires_at: NOW + DAY,
    ...overrides,
  };
}

/**
 * A random valid opinion on the 10^6 grid (so encoding is exact apart from the floor of r and
 * s), with u ≥ 1e-6 · minU.
 */
export function randomOpinion(rng: Prng, minMicroU = 1): Opinion {
  const u = rng.int(minMicroU, 1_000_000);
  const b = rng.int(0, 1_000_000 - u);
  const d = 1_000_000 - u - b;
  return opinion(b / 1e6, d / 1e6, u / 1e6, rng.int(0, 1_000_000) / 1e6);
}

const TYPES: readonly AttestationType[] = ["trust", "skill", "vouch", "endorsement"];

/** A random valid attestation; `mix` adds stale, future and foreign ones that do not count. */
export function randomAttestation(rng: Prng, mix = false): Attestation {
  const roll = mix ? rng.int(0, 9) : 0;
  const created = roll === 1 ? NOW + rng.int(1, 10 * DAY) : NOW - rng.int(0, 100 * DAY);
  const expires = roll === 2 ? NOW - rng.int(0, DAY) : Math.max(created, NOW) + rng.int(1, 100 * DAY);
  return {
    source: `0x${rng.int(1, 2 ** 40).toString(16)}`,
    target: roll === 3 ? "someone-else" : SUBJECT,
    opinion: randomOpinion(rng, rng.int(0, 3) === 0 ? 1 : 1000),
    attestation_type: rng.pick(TYPES),
    weight: rng.int(0, 3) === 0 ? rng.int(0, 1000 * 1e6) / 1e6 : rng.int(0, 2 * 1e6) / 1e6,
    created_at: Math.min(created, expires - 1),
    expires_at: expires,
  };
}
