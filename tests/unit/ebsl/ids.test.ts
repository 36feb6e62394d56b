import { describe, expect, it } from "vitest";
import { idToField, isHexId, sameId } from "../../../src/lib/proof/ebsl/ids.js";

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
