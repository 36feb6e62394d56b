import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import type { Groth16Proof } from "../../../src/lib/proof/engine/types.js";
import { hasValidProofHash, resultHash, sha256HexSync } from "../../../src/lib/proof/core/proof-hash.js";
import { PROOF, SIGNALS } from "../cache/trust-fixtures.js";

describe("resultHash", () => {
  it("is a 64-char hex SHA-256, stable and independent of key order", () => {
    const h = resultHash("c1", PROOF, SIGNALS);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    const reordered = { curve: "bn128", protocol: "groth16", pi_c: PROOF.pi_c, pi_b: PROOF.pi_b, pi_a: PROOF.pi_a } as Groth16Proof;
    expect(resultHash("c1", reordered, [...SIGNALS])).toBe(h);
    expect(resultHash("c1", { ...PROOF, extra: "ignored" } as Groth16Proof, SIGNALS)).toBe(h);
  });

  it("changes with any coordinate, public signal or circuit id", () => {
    const h = resultHash("c1", PROOF, SIGNALS);
    expect(resultHash("c2", PROOF, SIGNALS)).not.toBe(h);
    expect(resultHash("c1", { ...PROOF, pi_a: ["1", "3", "1"] }, SIGNALS)).not.toBe(h);
    expect(resultHash("c1", { ...PROOF, pi_b: [["3", "4"], ["5", "7"], ["1", "0"]] }, SIGNALS)).not.toBe(h);
    expect(resultHash("c1", PROOF, ["11", "22", "34"])).not.toBe(h);
    expect(resultHash("c1", PROOF, ["11", "22"])).not.toBe(h);
  });

  it("hashes UTF-8 with SHA-256", () => {
    expect(sha256HexSync("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256HexSync("é")).toBe(Buffer.from(sha256(new TextEncoder().encode("é"))).toString("hex"));
  });

  it("hasValidProofHash rejects a tampered proof and a tampered public signal", () => {
    const entry = { circuitId: "c1", proof: PROOF, publicSignals: SIGNALS, hash: resultHash("c1", PROOF, SIGNALS) };
    expect(hasValidProofHash(entry)).toBe(true);
    expect(hasValidProofHash({ ...entry, proof: { ...PROOF, pi_c: ["7", "9", "1"] } })).toBe(false);
    expect(hasValidProofHash({ ...entry, publicSignals: ["11", "22", "0"] })).toBe(false);
    expect(hasValidProofHash({ ...entry, proof: null as unknown as Groth16Proof })).toBe(false);
  });
});
