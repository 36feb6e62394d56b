import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { resultHash, resultHashPreimage } from "../../../src/lib/proof/pipeline/result-hash.js";
import { PROOF } from "./fakes.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

describe("resultHash", () => {
  it("is SHA-256 of the sorted-key canonical JSON of (circuitId, proof, publicSignals)", () => {
    const expected =
      '{"circuitId":"ebsl-16","proof":{"curve":"bn128","pi_a":["1","2","1"],"pi_b":[["1","2"],["3","4"],["1","0"]],"pi_c":["5","6","1"],"protocol":"groth16"},"publicSignals":["7","8"],"v":1}';
    expect(resultHashPreimage("ebsl-16", PROOF, ["7", "8"])).toBe(expected);
    expect(resultHash("ebsl-16", PROOF, ["7", "8"])).toBe(hex(sha256(new TextEncoder().encode(expected))));
  });

  it("changes with any field and ignores extra proof properties", () => {
    const base = resultHash("ebsl-16", PROOF, ["7", "8"]);
    expect(resultHash("ebsl-64", PROOF, ["7", "8"])).not.toBe(base);
    expect(resultHash("ebsl-16", PROOF, ["7", "9"])).not.toBe(base);
    expect(resultHash("ebsl-16", { ...PROOF, pi_c: ["5", "7", "1"] }, ["7", "8"])).not.toBe(base);
    expect(resultHash("ebsl-16", { ...PROOF, extra: 1 } as typeof PROOF, ["7", "8"])).toBe(base);
  });
});
