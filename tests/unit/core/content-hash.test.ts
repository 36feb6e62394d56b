import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import type { Groth16Proof } from "../../../src/lib/proof/engine/types.js";
import { canonicalJson, hasValidProofHash, resultHash, sha256HexSync } from "../../../src/lib/proof/core/content-hash.js";
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

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes bigints as decimal strings", () => {
    expect(canonicalJson({ b: 2n, a: [1, "x", { d: true, c: null }] })).toBe('{"a":[1,"x",{"c":null,"d":true}],"b":"2"}');
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
    expect(canonicalJson(2n ** 200n)).toBe(`"${(2n ** 200n).toString()}"`);
  });

  it("omits undefined properties, writes undefined array items as null, normalises -0", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    expect(canonicalJson(-0)).toBe("0");
  });

  it("rejects what JSON would silently change, naming the path and never the value", () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/non-finite number at "a.b"/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/unsupported function at "f"/);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/unsupported Map/);
    expect(() => canonicalJson({ secret: 123456789 ** 50 })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle at "self"/);
  });

  it("allows shared (non-cyclic) references", () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it("escapes strings like JSON", () => {
    expect(canonicalJson({ 'k"': 'v\n"' })).toBe('{"k\\"":"v\\n\\""}');
  });
});
