/**
 * The EBSL circuits against the bigint reference: witness outputs equal computeCircuitOutputs
 * exactly on seeded random slot sets, and real Groth16 proofs verify against the manifest's vkeys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";
import { computeCircuitOutputs, EMPTY_SLOT, FIELD_ORDER, MAX_BASE_RATE, SCALE } from "../../src/lib/proof/ebsl/fixed-point.js";
import { parsePublicSignals, PUBLIC_SIGNAL_ORDER, toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { entryStatementSteps, loneEntryPosition, runSteps } from "../../src/lib/proof/ebsl/registry-tree.js";
import type { CircuitPublicInputs, EncodedSlot } from "../../src/lib/proof/ebsl/types.js";

const CIRCUITS_DIR = join(import.meta.dirname, "../../circuits");

interface ArtifactEntry { path: string; bytes: number; sha256: string }
interface ManifestEntry { capacity: number; publicSignals: string[]; nPublic: number; wasm: ArtifactEntry; zkey: ArtifactEntry; vkey: ArtifactEntry }
const manifest = JSON.parse(readFileSync(join(CIRCUITS_DIR, "manifest.json"), "utf8")) as { circuits: Record<string, ManifestEntry> };

function loadPinned(a: ArtifactEntry): Uint8Array {
  const bytes = readFileSync(join(CIRCUITS_DIR, a.path));
  expect(bytes.length).toBe(a.bytes);
  expect(createHash("sha256").update(bytes).digest("hex")).toBe(a.sha256);
  return bytes;
}

/** xorshift128+ on bigints: seeded, platform independent, no Math.random. */
function prng(seed: number) {
  const M = (1n << 64n) - 1n;
  let s0 = BigInt(seed) * 0x9e3779b97f4a7c15n & M || 1n;
  let s1 = (BigInt(seed) + 0x632be59bd9b4e019n) * 0xbf58476d1ce4e5b9n & M;
  const next64 = (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x = (x ^ (x << 23n)) & M;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & M;
  };
  for (let i = 0; i < 8; i++) next64();
  const below = (n: bigint): bigint => {
    let v = 0n;
    for (let bits = 0n; bits < BigInt(n.toString(2).length) + 64n; bits += 64n) v = (v << 64n) | next64();
    return v % n;
  };
  return { below, int: (n: number) => Number(below(BigInt(n))), bits: (b: number) => below(1n << BigInt(b)) };
}
type Rng = ReturnType<typeof prng>;

const maxBits = (b: number) => (1n << BigInt(b)) - 1n;

function randomSlot(rng: Rng, pub: CircuitPublicInputs, extreme: boolean): EncodedSlot {
  const pickValue = (bits: number) => (extreme && rng.int(2) === 0 ? maxBits(bits) : rng.bits(rng.int(bits) + 1));
  const kind = rng.int(7);
  const now = pub.now;
  const base: EncodedSlot = {
    r: pickValue(41),
    s: pickValue(41),
    w: extreme ? pickValue(32) : rng.below(1001n * SCALE),
    a: extreme && rng.int(2) === 0 ? MAX_BASE_RATE : rng.below(MAX_BASE_RATE + 1n),
    created: now - rng.below(now + 1n),
    expires: now + 1n + rng.below(maxBits(42) - now),
    issuer: rng.below(FIELD_ORDER),
    target: pub.subject,
  };
  switch (kind) {
    case 0: return EMPTY_SLOT;
    case 1: return { ...base, expires: now - rng.below(now + 1n) }; // expired (expires <= now)
    case 2: return now === maxBits(42) ? EMPTY_SLOT : { ...base, created: now + 1n + rng.below(maxBits(42) - now) }; // not yet valid
    case 3: return { ...base, target: rng.below(FIELD_ORDER) }; // target is not an input (the entry is the subject's): no effect
    case 4: return { ...base, created: now, expires: now + 1n }; // boundaries that count
    default: return base;
  }
}

function randomCase(rng: Rng, capacity: number, opts: { full?: boolean; extreme?: boolean } = {}) {
  const now = opts.extreme && rng.int(3) === 0 ? maxBits(42) - 1n : 1n + rng.bits(41);
  const pub: CircuitPublicInputs = {
    now,
    subject: rng.int(4) === 0 ? FIELD_ORDER - 1n : rng.below(FIELD_ORDER),
    threshold: rng.below(SCALE + 1n),
    reveal: rng.int(2) === 0 ? 0n : 1n,
  };
  const used = opts.full ? capacity : rng.int(capacity + 1);
  const slots = Array.from({ length: capacity }, (_, i) => (i < used ? randomSlot(rng, pub, opts.extreme ?? false) : EMPTY_SLOT));
  // Hit the comparator boundary sometimes: threshold = score or score + 1.
  if (rng.int(3) === 0) {
    const { score } = computeCircuitOutputs(slots, pub);
    const threshold = score + BigInt(rng.int(2));
    return { slots, pub: { ...pub, threshold: threshold > SCALE ? SCALE : threshold } };
  }
  return { slots, pub };
}

/** Public signals straight from the witness (wires 1..7), without proving. */
async function witnessPublicSignals(wasm: Uint8Array, input: Record<string, unknown>): Promise<string[]> {
  const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(input, wasm, out);
  const buf = Buffer.from(out.data!);
  // wtns: magic, version, nSections, then sections (1: n8, prime, nWitness; 2: values, n8 each LE).
  let pos = 12;
  let n8 = 32;
  let values = -1;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const id = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    if (id === 1) n8 = buf.readUInt32LE(pos + 12);
    if (id === 2) values = pos + 12;
    pos += 12 + size;
  }
  const signals: string[] = [];
  for (let k = 1; k <= PUBLIC_SIGNAL_ORDER.length; k++) {
    const bytes = buf.subarray(values + k * n8, values + (k + 1) * n8);
    signals.push(BigInt(`0x${Buffer.from(bytes).reverse().toString("hex") || "0"}`).toString());
  }
  return signals;
}

function expectMatchesReference(signals: string[], slots: EncodedSlot[], pub: CircuitPublicInputs) {
  const ref = computeCircuitOutputs(slots, pub);
  // Without a registry the slots are the first entry of a private registry of their own.
  const { root } = runSteps(entryStatementSteps(pub.subject, slots, loneEntryPosition()));
  expect(parsePublicSignals(signals)).toEqual({
    commitment: ref.commitment, scoreOut: ref.scoreOut, meets: ref.meets,
    now: pub.now, subject: pub.subject, threshold: pub.threshold, reveal: pub.reveal, root,
  });
}

afterAll(async () => {
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("insecure dev powers of tau", () => {
  it("equals snarkjs's own preparePhase2 byte for byte at a small power", () => {
    // Exits non-zero (and execFileSync throws) if any section differs.
    const out = execFileSync(process.execPath, [join(import.meta.dirname, "../../scripts/circuits/selftest-ptau.mjs"), "4"], { encoding: "utf8" });
    expect(out).toContain("equals snarkjs preparePhase2 in every section");
  });
});

describe.each([
  { id: "ebsl-16", randomCases: 100 },
  { id: "ebsl-64", randomCases: 12 },
])("$id", ({ id, randomCases }) => {
  const entry = manifest.circuits[id]!;
  let wasm: Uint8Array;
  beforeAll(() => {
    wasm = loadPinned(entry.wasm);
  });

  it("declares the contract's public signals", () => {
    expect(entry.publicSignals).toEqual([...PUBLIC_SIGNAL_ORDER]);
    expect(entry.nPublic).toBe(8);
  });

  it("matches the reference on the empty set and on a full set at the range limits", async () => {
    const rng = prng(7);
    const empty = Array<EncodedSlot>(entry.capacity).fill(EMPTY_SLOT);
    const pub: CircuitPublicInputs = { now: maxBits(42), subject: FIELD_ORDER - 1n, threshold: SCALE, reveal: 1n };
    expectMatchesReference(await witnessPublicSignals(wasm, toCircuitSignals(empty, pub)), empty, pub);
    const maxSlot: EncodedSlot = {
      r: maxBits(41), s: maxBits(41), w: maxBits(32), a: MAX_BASE_RATE,
      created: 0n, expires: maxBits(42), issuer: FIELD_ORDER - 1n, target: FIELD_ORDER - 1n,
    };
    const full = Array<EncodedSlot>(entry.capacity).fill(maxSlot);
    const pub2 = { ...pub, now: maxBits(42) - 1n, threshold: 0n };
    expectMatchesReference(await witnessPublicSignals(wasm, toCircuitSignals(full, pub2)), full, pub2);
    const mixed = randomCase(rng, entry.capacity, { full: true, extreme: true });
    expectMatchesReference(await witnessPublicSignals(wasm, toCircuitSignals(mixed.slots, mixed.pub)), mixed.slots, mixed.pub);
  });

  it(`matches the reference bit for bit on ${randomCases} seeded random sets`, async () => {
    const scores = new Set<bigint>();
    const meets = new Set<bigint>();
    for (let seed = 1; seed <= randomCases; seed++) {
      const rng = prng(seed * 7919);
      const { slots, pub } = randomCase(rng, entry.capacity, { full: seed % 5 === 0, extreme: seed % 3 === 0 });
      const signals = await witnessPublicSignals(wasm, toCircuitSignals(slots, pub));
      expectMatchesReference(signals, slots, pub);
      const ref = computeCircuitOutputs(slots, pub);
      scores.add(ref.score);
      meets.add(ref.meets);
    }
    // The generator must exercise real fusion, not only the empty-set prior.
    expect(scores.size).toBeGreaterThan(randomCases / 2);
    expect([...meets].sort()).toEqual([0n, 1n]);
  });

  it("rejects inputs outside the contract ranges in the witness", async () => {
    const slots = Array<EncodedSlot>(entry.capacity).fill(EMPTY_SLOT);
    const pub: CircuitPublicInputs = { now: 10n, subject: 1n, threshold: 0n, reveal: 1n };
    const bad = (over: Partial<EncodedSlot>) => toCircuitSignals([{ ...EMPTY_SLOT, ...over }, ...slots.slice(1)], pub);
    await expect(witnessPublicSignals(wasm, bad({ r: 1n << 41n }))).rejects.toThrow();
    await expect(witnessPublicSignals(wasm, bad({ a: MAX_BASE_RATE + 1n }))).rejects.toThrow();
    await expect(witnessPublicSignals(wasm, bad({ expires: 1n << 42n }))).rejects.toThrow();
    await expect(witnessPublicSignals(wasm, { ...toCircuitSignals(slots, pub), threshold: (SCALE + 1n).toString() })).rejects.toThrow();
    await expect(witnessPublicSignals(wasm, { ...toCircuitSignals(slots, pub), reveal: "2" })).rejects.toThrow();
  });

  it("proves with the pinned zkey, verifies with the pinned vkey, and rejects a changed public signal", async () => {
    const zkey = loadPinned(entry.zkey);
    const vkey = JSON.parse(Buffer.from(loadPinned(entry.vkey)).toString("utf8"));
    const { slots, pub } = randomCase(prng(424242), entry.capacity, { full: false });
    const { proof, publicSignals } = await snarkjs.groth16.fullProve(toCircuitSignals(slots, pub), wasm, zkey);
    expectMatchesReference(publicSignals, slots, pub);
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    for (const index of [0, 1, 3, 6, 7]) {
      const tampered = [...publicSignals];
      tampered[index] = (BigInt(tampered[index]!) + 1n).toString();
      expect(await snarkjs.groth16.verify(vkey, tampered, proof)).toBe(false);
    }
  });
});
