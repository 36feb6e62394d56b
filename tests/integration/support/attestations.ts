/**
 * Attestation sets for facade-level integration tests: `n` trust attestations about "0xabc",
 * alternating two opinions, valid for a day either side of `now`.
 */
import type { Attestation } from "../../../src/lib/proof/ebsl/types.js";

export function attestationList(n: number, now: number): Attestation[] {
  return Array.from({ length: n }, (_, i) => ({
    source: `0x${(i + 1).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: now - 86_400_000 + i,
    expires_at: now + 86_400_000,
  }));
}
