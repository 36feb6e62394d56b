import { describe, expect, it } from "vitest";
import { sha256Hex, toHex } from "../../../../src/lib/proof/engine/artifacts/digest.js";
import { bytesOf } from "./artifact-fixtures.js";

const ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** WebCrypto that counts its calls. */
function countingSubtle(): { subtle: SubtleCrypto; calls: () => number } {
  let n = 0;
  const subtle = {
    digest: (alg: string, data: BufferSource) => {
      n++;
      return globalThis.crypto.subtle.digest(alg, data);
    },
  } as unknown as SubtleCrypto;
  return { subtle, calls: () => n };
}

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

  it("hashes large inputs incrementally, one slice per task, with the same digest", async () => {
    const big = bytesOf(10_000, 7);
    const reference = await sha256Hex(big, { incremental: false });
    let yields = 0;
    const pause = async () => {
      yields++;
    };
    const broken = { digest: () => Promise.reject(new Error("WebCrypto must not be used here")) } as unknown as SubtleCrypto;
    // A clock that advances 1 ms per reading: with a 3 ms budget, tasks of a few slices each;
    // 10 slices take exactly 3 yields (deterministic: the clock is the only time source).
    let t = 0;
    const now = () => ++t;
    expect(await sha256Hex(big, { incremental: true, sliceBytes: 1024, incrementalAboveBytes: 1024, taskBudgetMs: 3, now, yield: pause, subtle: broken })).toBe(reference);
    expect(yields).toBe(3);
    yields = 0;
    // Budget 0: one slice per task.
    expect(await sha256Hex(big, { incremental: true, sliceBytes: 1024, incrementalAboveBytes: 0, taskBudgetMs: 0, yield: pause, subtle: broken })).toBe(reference);
    expect(yields).toBe(10);
    // A view hashes only its own bytes on this path too.
    const view = big.subarray(3, 5_003);
    expect(await sha256Hex(view, { incremental: true, incrementalAboveBytes: 0, sliceBytes: 999, yield: pause })).toBe(await sha256Hex(view.slice(), { incremental: false }));
  });

  it("uses one shot (WebCrypto) for inputs up to incrementalAboveBytes (default 1 MiB), and when not incremental", async () => {
    let yields = 0;
    const pause = async () => {
      yields++;
    };
    const { subtle, calls } = countingSubtle();
    const small = bytesOf(1024, 2);
    expect(await sha256Hex(small, { incremental: true, incrementalAboveBytes: 1024, sliceBytes: 100, yield: pause, subtle })).toBe(await sha256Hex(small, { subtle: null, incremental: false }));
    expect(await sha256Hex(bytesOf(5000), { incremental: false, sliceBytes: 1024, yield: pause, subtle })).toBe(await sha256Hex(bytesOf(5000), { subtle: null, incremental: false }));
    const mib = bytesOf(1024 * 1024, 5);
    expect(await sha256Hex(mib, { incremental: true, yield: pause, subtle })).toBe(await sha256Hex(mib, { subtle: null, incremental: false }));
    expect(calls()).toBe(3);
    expect(yields).toBe(0);
    await expect(sha256Hex(small, { sliceBytes: 0 })).rejects.toThrow(RangeError);
  });

  it("hashes inputs above copyFreeAboveBytes without WebCrypto (whose copy doubles a big zkey), off the main thread too", async () => {
    const big = bytesOf(5000, 9);
    const reference = await sha256Hex(big, { subtle: null, incremental: false });
    const { subtle, calls } = countingSubtle();
    expect(await sha256Hex(big, { incremental: false, copyFreeAboveBytes: 4999, subtle })).toBe(reference);
    expect(calls()).toBe(0);
    expect(await sha256Hex(big, { incremental: false, copyFreeAboveBytes: 5000, subtle })).toBe(reference);
    expect(calls()).toBe(1);
  });

  it("toHex pads bytes", () => {
    expect(toHex(new Uint8Array([0, 1, 15, 16, 255]))).toBe("00010f10ff");
  });
});
