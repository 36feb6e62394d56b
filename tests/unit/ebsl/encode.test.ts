import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { encodeAttestation, idToField, isHexId, sameId, toMicro } from "../../../src/lib/proof/ebsl/encode.js";
import { attestation, NOW, DAY, opinion } from "./fixtures.js";

describe("encodeAttestation", () => {
  it("encodes (0.6, 0.2, 0.2, 0.5), weight 1 by hand", () => {
    // b̂ = 600000, d̂ = 200000, û = 200000: r = 2·600000·10^6/200000 = 6·10^6, s = 2·10^6
    const slot = encodeAttestation(attestation());
    expect(slot).toEqual({
      r: 6_000_000n,
      s: 2_000_000n,
      w: 1_000_000n,
      a: 500_000n,
      created: BigInt(NOW - DAY),
      expires: BigInt(NOW + DAY),
      issuer: 0xb1n,
      target: 0xaan,
    });
  });

  it("floors r and s in exact integer arithmetic", () => {
    // (0.3, 0.1, 0.6, 0.4), weight 2.5: r = 2·300000·10^6/600000 = 10^6,
    // s = floor(2·100000·10^6/600000) = floor(333333.33…) = 333333
    const slot = encodeAttestation(attestation({ opinion: opinion(0.3, 0.1, 0.6, 0.4), weight: 2.5 }));
    expect(slot.r).toBe(1_000_000n);
    expect(slot.s).toBe(333_333n);
    expect(slot.w).toBe(2_500_000n);
    expect(slot.a).toBe(400_000n);
  });

  it("rounds the opinion to 10^-6 before dividing", () => {
    // b̂ = round(333333.33) = 333333 = û, so r = 2·10^6 exactly
    const third = 1 / 3;
    const slot = encodeAttestation(attestation({ opinion: opinion(third, third, third, third) }));
    expect(slot.r).toBe(2_000_000n);
    expect(slot.s).toBe(2_000_000n);
    expect(slot.a).toBe(333_333n);
  });

  it("takes the smallest uncertainty, 0.0000005 (û = 1), to the 41-bit maximum evidence", () => {
    const slot = encodeAttestation(attestation({ opinion: opinion(0.9999995, 0, 0.0000005, 1) }));
    expect(slot.r).toBe(2_000_000_000_000n);
    expect(slot.r < 1n << 41n).toBe(true);
    expect(slot.s).toBe(0n);
    expect(slot.a).toBe(1_000_000n);
  });

  it("encodes weight 1000 within 32 bits and ids by idToField", () => {
    const slot = encodeAttestation(attestation({ weight: 1000, source: "alice", target: "bob" }));
    expect(slot.w).toBe(1_000_000_000n);
    expect(slot.issuer).toBe(idToField("alice"));
    expect(slot.target).toBe(idToField("bob"));
  });

  it("rejects what the circuit cannot take, naming the field only", () => {
    expect(() => encodeAttestation(attestation({ opinion: opinion(1, 0, 0, 0.5) }))).toThrowError(ValidationError);
    expect(() => encodeAttestation(attestation({ opinion: opinion(0.9999996, 0, 0.0000004, 0.5) }))).toThrowError(/^opinion\.uncertainty: /);
    expect(() => encodeAttestation(attestation({ weight: 5000 }))).toThrowError(/^weight: must fit in 32 bits/);
    expect(() => encodeAttestation(attestation({ created_at: 2 ** 42 }))).toThrowError(/^created_at: /);
    expect(() => encodeAttestation(attestation({ weight: Number.NaN }))).toThrowError(/^weight: must be a finite number/);
  });

  it("toMicro rounds halves up", () => {
    expect(toMicro(0.0000005)).toBe(1);
    expect(toMicro(0.0000025)).toBe(3);
    expect(toMicro(0.0000004)).toBe(0);
    expect(toMicro(1)).toBe(1_000_000);
  });
});

describe("idToField", () => {
  it("reads 0x + hex digits as the integer they spell, in either case and with zero padding", () => {
    expect(idToField("0x2a")).toBe(42n);
    expect(idToField("0xAB")).toBe(171n);
    expect(idToField("0xab")).toBe(171n);
    expect(idToField("0x00ab")).toBe(171n);
    expect(idToField("0x0")).toBe(0n);
  });

  it("reads an Ethereum address as its uint160", () => {
    const address = "0xde0B295669a9FD93d5F28D9Ec85E40f4cb697BAe";
    expect(idToField(address)).toBe(BigInt(address));
    expect(idToField(address)).toBe(idToField(address.toLowerCase()));
    expect(idToField(address) < 1n << 160n).toBe(true);
  });

  it("accepts up to 62 hex digits as an integer", () => {
    const max = `0x${"f".repeat(62)}`;
    expect(isHexId(max)).toBe(true);
    expect(idToField(max)).toBe((1n << 248n) - 1n);
  });

  it("hashes anything else: first 31 bytes of SHA-256(UTF-8), big-endian", () => {
    // sha256("abc") = ba7816bf…f20015ad; the last byte (ad) is dropped.
    expect(idToField("abc")).toBe(BigInt("0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015"));
    // sha256("") = e3b0c442…7852b855
    expect(idToField("")).toBe(BigInt("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8"));
  });

  it("does not treat 63 hex digits, a bare 0x, 0X or non-hex as numbers", () => {
    for (const id of [`0x${"1".repeat(63)}`, "0x", "0X2a", "0x2g", " 0x2a", "2a"]) {
      expect(isHexId(id)).toBe(false);
      expect(idToField(id)).not.toBe(BigInt(`0x${id.replace(/^\s*0[xX]/, "").replace(/[^0-9a-fA-F]/g, "") || "0"}`));
      expect(idToField(id) < 1n << 248n).toBe(true);
    }
  });

  it("is case-sensitive for hashed ids and UTF-8 based", () => {
    expect(idToField("alice")).not.toBe(idToField("Alice"));
    expect(idToField("zoë")).toBe(idToField("zo\u00eb"));
    expect(idToField("zoë")).not.toBe(idToField("zoe\u0308")); // different UTF-8 bytes
  });

  it("sameId follows the same rule", () => {
    expect(sameId("0xAB", "0x00ab")).toBe(true);
    expect(sameId("alice", "alice")).toBe(true);
    expect(sameId("alice", "Alice")).toBe(false);
  });
});
