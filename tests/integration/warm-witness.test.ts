/**
 * The worker's warm witness calculator (circom's own, kept built per circuit) against snarkjs's
 * `wtns.calculate`, which rebuilds it every call: the same .wtns bytes, call after call, and
 * after a calculation that failed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { buildCircuitInput, toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { createWarmWitness } from "../../src/lib/proof/worker/warm-witness.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const manifest = JSON.parse(readFileSync(join(ROOT, "circuits/manifest.json"), "utf8")) as { circuits: Record<string, { wasm: { path: string } }> };

async function reference(input: unknown, wasm: Uint8Array): Promise<Uint8Array> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input as Record<string, unknown>, wasm, out);
  return out.data!;
}

const NOW = 1_767_225_600_000;
function ebsl16(weight: number): Record<string, unknown> {
  const attestation = {
    source: "0x5eed00",
    target: "0xabc",
    opinion: { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 },
    attestation_type: "trust" as const,
    weight,
    created_at: NOW - 1000,
    expires_at: NOW + 86_400_000,
  };
  const built = buildCircuitInput({ attestations: [attestation], subject: "0xabc", now: NOW, threshold: 600_000n, reveal: true, capacities: [16], forceCapacity: 16 });
  return toCircuitSignals(built.slots, built.publicInputs) as unknown as Record<string, unknown>;
}

describe("warm witness (circom's calculator kept built)", () => {
  it("gives snarkjs's bytes for an EBSL circuit and a circuit made by iden3, call after call", async () => {
    const warm = createWarmWitness();
    const ebsl = new Uint8Array(readFileSync(join(ROOT, "circuits", manifest.circuits["ebsl-16"]!.wasm.path)));
    for (const weight of [1, 3, 2]) expect(await warm.calculate(ebsl16(weight), ebsl)).toEqual(await reference(ebsl16(weight), ebsl));
    const iden3 = new Uint8Array(readFileSync(join(ROOT, "node_modules/circom_runtime/test/circuit/circuit_js/circuit.wasm")));
    for (const input of [{ a: 1, b: 2, c: 3 }, { a: "7", b: "11", c: "13" }]) expect(await warm.calculate(input, iden3)).toEqual(await reference(input, iden3));
  });

  it("after an input the circuit refuses, the next witness is still snarkjs's", async () => {
    const warm = createWarmWitness();
    const ebsl = new Uint8Array(readFileSync(join(ROOT, "circuits", manifest.circuits["ebsl-16"]!.wasm.path)));
    const { [Object.keys(ebsl16(1))[0]!]: _dropped, ...missing } = ebsl16(1);
    await expect(warm.calculate(missing, ebsl)).rejects.toThrow();
    expect(await warm.calculate(ebsl16(2), ebsl)).toEqual(await reference(ebsl16(2), ebsl));
  });
});
