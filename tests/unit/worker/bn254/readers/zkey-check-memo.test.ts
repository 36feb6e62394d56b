// @vitest-environment node
// The memo of zkeys that passed their point checks: it short-cuts the checks only for bytes
// registered under a pinned SHA-256 that has a record, written only after a full check passed.
// A hostile key is refused on a fresh store and never recorded; a record never covers bytes of
// another digest, nor views outside the registered bytes. The fixture is the multiplier circuit's
// zkey; the record store is an in-memory stand-in (the real IndexedDB one is exercised in Chromium
// by tests/browser/zkey-check-memo.test.ts).
import "fake-indexeddb/auto";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ArtifactInvalidError } from "../../../../../src/lib/proof/core/errors.js";
import {
  createIndexedDbZkeyCheckRecords,
  passedBefore,
  pinZkey,
  rememberPassed,
  ZKEY_CHECKS_VERSION,
  type ZkeyCheckRecords,
} from "../../../../../src/lib/proof/worker/bn254/readers/zkey-check-memo.js";
import { readGroth16Zkey } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-validation.js";
import { loadWasm } from "../bn254-harness.js";

const zkey = new Uint8Array(readFileSync(new URL("../../../../fixtures/multiplier/circuit.zkey", import.meta.url)));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const key = (sha: string) => `v${ZKEY_CHECKS_VERSION}:${sha}`;

/** Records in a Map, with every call logged. */
function memoryRecords(initial: string[] = []) {
  const kept = new Set(initial);
  const calls: string[] = [];
  const records: ZkeyCheckRecords = {
    has: async (k) => (calls.push(`has ${k}`), kept.has(k)),
    add: async (k) => void (calls.push(`add ${k}`), kept.add(k)),
  };
  return { records, kept, calls };
}

/** A random source that counts its calls: the checks draw from it, a skipped check never does. */
function countingRandom() {
  let calls = 0;
  const random = (n: number) => (calls++, globalThis.crypto.getRandomValues(new Uint8Array(n)));
  return { random, calls: () => calls };
}

/** The multiplier key with delta1 at infinity (no blinding): its own bytes and digest. */
function hostileCopy(): Uint8Array {
  const bad = zkey.slice();
  readGroth16Zkey(bad).delta1.fill(0);
  return bad;
}

describe("zkey check memo", () => {
  it("a key that passed is recorded under its pinned SHA-256, and a later copy of it skips the checks", async () => {
    const { records, kept } = memoryRecords();
    const e = (await loadWasm()).exports;
    /** A visit: fresh bytes of the key, pinned; whether the memo covered them and whether the checks ran. */
    const visit = async () => {
      const bytes = zkey.slice();
      await pinZkey(sha256(zkey), records)(bytes);
      const z = readGroth16Zkey(bytes);
      const covered = passedBefore(z);
      const r = countingRandom();
      validateGroth16Zkey(e, z, r.random);
      return { covered, checked: r.calls() > 0 };
    };
    expect(await visit()).toEqual({ covered: false, checked: true });
    await Promise.resolve();
    expect([...kept]).toEqual([key(sha256(zkey))]);
    expect(await visit()).toEqual({ covered: true, checked: false });
  });

  it("a hostile key is refused on a fresh store and nothing is recorded for it", async () => {
    const { records, kept } = memoryRecords();
    const bad = hostileCopy();
    await pinZkey(sha256(bad), records)(bad);
    const e = (await loadWasm()).exports;
    expect(() => validateGroth16Zkey(e, readGroth16Zkey(bad))).toThrow(ArtifactInvalidError);
    await Promise.resolve();
    expect(kept.size).toBe(0);
  });

  it("a record never covers bytes of another digest: the hostile key is refused though the honest one is recorded", async () => {
    const { records, calls } = memoryRecords([key(sha256(zkey))]);
    const bad = hostileCopy();
    await pinZkey(sha256(bad), records)(bad);
    const z = readGroth16Zkey(bad);
    expect(passedBefore(z)).toBe(false);
    const e = (await loadWasm()).exports;
    expect(() => validateGroth16Zkey(e, z)).toThrow(/delta1 is the point at infinity/);
    expect(calls).toEqual([`has ${key(sha256(bad))}`]);
  });

  it("bytes never registered are checked in full even when their digest has a record", async () => {
    const other = zkey.slice();
    const z = readGroth16Zkey(other);
    expect(passedBefore(z)).toBe(false);
    const r = countingRandom();
    validateGroth16Zkey((await loadWasm()).exports, z, r.random);
    expect(r.calls()).toBeGreaterThan(0);
  });

  it("a key parsed from outside the registered bytes is not covered", async () => {
    const { records } = memoryRecords([key(sha256(zkey))]);
    // One buffer: the registered range is only the first half of the key.
    const bytes = zkey.slice();
    await pinZkey(sha256(zkey), records)(bytes.subarray(0, bytes.byteLength >> 1));
    expect(passedBefore(readGroth16Zkey(bytes))).toBe(false);
  });

  it("the latest registration of a buffer decides", async () => {
    const { records } = memoryRecords([key(sha256(zkey))]);
    const bytes = zkey.slice();
    const honest = pinZkey(sha256(zkey), records);
    const other = pinZkey("00".repeat(32), records);
    await honest(bytes);
    await other(bytes);
    expect(passedBefore(readGroth16Zkey(bytes))).toBe(false);
  });

  it("a lookup that fails or never answers counts as not checked before", async () => {
    const bytes = zkey.slice();
    await pinZkey(sha256(zkey), { has: () => Promise.reject(new Error("blocked")), add: async () => undefined })(bytes);
    expect(passedBefore(readGroth16Zkey(bytes))).toBe(false);
    const again = zkey.slice();
    await pinZkey(sha256(zkey), { has: () => new Promise<boolean>(() => undefined), add: async () => undefined }, 5)(again);
    expect(passedBefore(readGroth16Zkey(again))).toBe(false);
  });

  it("a record that cannot be written does not fail the load", async () => {
    const bytes = zkey.slice();
    await pinZkey(sha256(zkey), { has: async () => false, add: () => Promise.reject(new Error("quota")) })(bytes);
    const z = readGroth16Zkey(bytes);
    expect(() => rememberPassed(z)).not.toThrow();
    await new Promise((r) => setTimeout(r, 0));
  });

  it("without a record store nothing is remembered", async () => {
    const bytes = zkey.slice();
    await pinZkey(sha256(zkey), null)(bytes);
    const z = readGroth16Zkey(bytes);
    rememberPassed(z);
    expect(passedBefore(z)).toBe(false);
  });

  it("the IndexedDB records keep what was added, per key, in their own database", async () => {
    const records = createIndexedDbZkeyCheckRecords(`proofline-zkey-checks-test-${Math.random()}`);
    expect(await records.has(key("ab"))).toBe(false);
    await records.add(key("ab"));
    expect(await records.has(key("ab"))).toBe(true);
    expect(await records.has(key("cd"))).toBe(false);
  });
});
