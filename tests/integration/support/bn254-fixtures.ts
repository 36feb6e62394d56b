/**
 * Inputs and witnesses of the bn254 prover's integration tests: EBSL circuit inputs as the facade
 * builds them (every used slot an attestation that counts), circom witnesses from snarkjs, and a
 * seeded byte source for reproducible blinding scalars.
 */
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { buildCircuitInput, toCircuitSignals } from "../../../src/lib/proof/ebsl/circuit-input.js";
import type { Attestation } from "../../../src/lib/proof/ebsl/types.js";
import { seededRandom } from "../../../src/lib/proof/testing/fault-plan.js";

const NOW = 1_767_225_600_000;

function attestation(i: number): Attestation {
  return {
    source: `0x${(0x5eed00 + i).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 === 0 ? { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1137, uncertainty: 0.5863, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i * 1000,
    expires_at: NOW + 86_400_000,
  };
}

/** EBSL circuit input for `used` attestations in a circuit of `capacity` slots, as the facade builds it. */
export function ebslInput(capacity: number, used: number): Record<string, unknown> {
  const attestations = Array.from({ length: used }, (_, i) => attestation(i));
  const input = buildCircuitInput({ attestations, subject: "0xabc", now: NOW, threshold: 600_000n, reveal: true, capacities: [capacity], forceCapacity: capacity });
  return toCircuitSignals(input.slots, input.publicInputs) as unknown as Record<string, unknown>;
}

/** circom's witness (.wtns bytes) for `input`, computed by snarkjs from the circuit's wasm file. */
export async function witness(wasm: string, input: Record<string, unknown>): Promise<Uint8Array> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, readFileSync(wasm), out);
  return out.data!;
}

/** A seeded byte source, so a failing proof can be reproduced from its seed. */
export function seededBytes(seed: number): (n: number) => Uint8Array {
  const next = seededRandom(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}
