import type { Attestation } from "proofline";

/** The account whose reputation the proof is about. */
export const SUBJECT = "0x00000000000000000000000000000000000000aa";
const DAY = 86_400_000;

/**
 * Five attestations about SUBJECT, in force at `now` (epoch ms). Opinions sum to 1
 * (belief + disbelief + uncertainty) on the 10^-6 grid the circuit works on.
 */
export function sampleAttestations(now: number): Attestation[] {
  const opinions = [
    { belief: 0.7, disbelief: 0.1, uncertainty: 0.2, base_rate: 0.5 },
    { belief: 0.55, disbelief: 0.15, uncertainty: 0.3, base_rate: 0.5 },
    { belief: 0.4, disbelief: 0.35, uncertainty: 0.25, base_rate: 0.4 },
    { belief: 0.8, disbelief: 0.05, uncertainty: 0.15, base_rate: 0.6 },
    { belief: 0.3, disbelief: 0.2, uncertainty: 0.5, base_rate: 0.5 },
  ];
  const types = ["trust", "skill", "vouch", "endorsement", "trust"] as const;
  return opinions.map((opinion, i) => ({
    source: `0x${(0xc000 + i).toString(16).padStart(40, "0")}`,
    target: SUBJECT,
    opinion,
    attestation_type: types[i]!,
    weight: 1 + i * 0.25,
    created_at: now - (i + 1) * DAY,
    expires_at: now + 90 * DAY,
  }));
}
