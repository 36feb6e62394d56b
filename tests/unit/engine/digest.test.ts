import { describe, expect, it } from "vitest";
import { sha256Hex, toHex } from "../../../src/lib/proof/engine/digest.js";
import { bytesOf } from "./artifact-fixtures.js";

const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

describe("sha256Hex", () => {
  it("matches the FIPS 180-2 vector for 'abc' with WebCrypto", async () => {
    expect(globalThis.crypto?.subtle).toBeDefined();
    expect(await sha256Hex(new TextEncoder().encode("abc"))).toBe(ABC);
  });

  it("matches the vectors with the JS fallback", async () => {
    expect(await sha256Hex(new TextEncoder().encode("abc"), { subtle: null })).toBe(ABC);
    expect(await sha256Hex(new Uint8Array(0), { subtle: null })).toBe(EMPTY);
  });

  it("gives the same digest on both paths for a 1 MiB buffer and a sub-view", async () => {
    const big = bytesOf(1 << 20, 3);
    const view = big.subarray(1000, 500_000);
    expect(await sha256Hex(big)).toBe(await sha256Hex(big, { subtle: null }));
    // A view hashes only its own bytes, not its whole buffer.
    expect(await sha256Hex(view)).toBe(await sha256Hex(view.slice(), { subtle: null }));
    expect(await sha256Hex(view)).not.toBe(await sha256Hex(big));
  });

  it("falls back when WebCrypto rejects", async () => {
    const broken = { digest: () => Promise.reject(new TypeError("not allowed")) } as unknown as SubtleCrypto;
    expect(await sha256Hex(new TextEncoder().encode("abc"), { subtle: broken })).toBe(ABC);
  });

  it("does not modify its input", async () => {
    const b = bytesOf(4096);
    const copy = b.slice();
    await sha256Hex(b);
    await sha256Hex(b, { subtle: null });
    expect(b).toEqual(copy);
  });

  it("toHex pads bytes", () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe("00010f10ff");
  });
});
