import { describe, expect, it } from "vitest";
import { PublicSignalMismatchError, ValidationError } from "../../../src/lib/proof/core/errors.js";
import { buildCircuitInput, compareSlots, DEFAULT_THRESHOLD, parsePublicSignals, PUBLIC_SIGNAL_ORDER, selectVariant, toCircuitSignals, type CircuitInputRequest } from "../../../src/lib/proof/ebsl/circuit-input.js";
import { encodeAttestation, idToField } from "../../../src/lib/proof/ebsl/encode.js";
import { EMPTY_SLOT } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { commitSlots, emptySubtreeRoots, entryStatementSteps, loneEntryPosition, REGISTRY_DEPTH, runSteps } from "../../../src/lib/proof/ebsl/registry-tree.js";
import type { Attestation } from "../../../src/lib/proof/ebsl/types.js";
import { createPrng } from "./prng.js";
import { attestation, DAY, NOW, opinion, randomAttestation, SUBJECT } from "./fixtures.js";

const CAPACITIES = [16, 64, 256];

function request(attestations: readonly Attestation[], extra: Partial<CircuitInputRequest> = {}): CircuitInputRequest {
  return { attestations, subject: SUBJECT, now: NOW, reveal: true, capacities: CAPACITIES, ...extra };
}

describe("selectVariant", () => {
  it("picks the smallest capacity that fits, whatever the list order", () => {
    expect(selectVariant(0, CAPACITIES)).toEqual({ capacity: 16, truncated: false });
    expect(selectVariant(16, CAPACITIES)).toEqual({ capacity: 16, truncated: false });
    expect(selectVariant(17, [256, 16, 64])).toEqual({ capacity: 64, truncated: false });
    expect(selectVariant(256, CAPACITIES)).toEqual({ capacity: 256, truncated: false });
  });

  it("falls back to the largest with truncation", () => {
    expect(selectVariant(257, CAPACITIES)).toEqual({ capacity: 256, truncated: true });
  });

  it("rejects bad capacities", () => {
    expect(() => selectVariant(1, [])).toThrowError(ValidationError);
    expect(() => selectVariant(1, [0, 16])).toThrowError(/capacities/);
    expect(() => selectVariant(-1, CAPACITIES)).toThrowError(/count/);
  });
});

describe("buildCircuitInput", () => {
  it("pads to the capacity with empty slots and sets the public inputs", () => {
    const atts = [attestation(), attestation({ source: "alice", created_at: NOW - 2 * DAY })];
    const input = buildCircuitInput(request(atts, { threshold: 700_000, reveal: false }));
    expect(input.capacity).toBe(16);
    expect(input.slots).toHaveLength(16);
    expect(input.slots.slice(2).every((s) => s === EMPTY_SLOT)).toBe(true);
    // canonical order: alice's attestation was created earlier
    expect(input.usedIndices).toEqual([1, 0]);
    expect(input.slots[0]).toEqual(encodeAttestation(atts[1]!));
    expect(input.truncated).toBe(false);
    expect(input.publicInputs).toEqual({ now: BigInt(NOW), subject: 0xaan, threshold: 700_000n, reveal: 0n });
  });

  it("takes the threshold as a fixed-point integer (default 600000), never a fraction", () => {
    expect(DEFAULT_THRESHOLD).toBe(600_000n);
    expect(buildCircuitInput(request([attestation()])).publicInputs.threshold).toBe(600_000n);
    expect(buildCircuitInput(request([attestation()], { threshold: 1_000_000n })).publicInputs.threshold).toBe(1_000_000n);
    expect(() => buildCircuitInput(request([attestation()], { threshold: 0.6 }))).toThrowError(/threshold: must be an integer on the 10\^6 scale/);
    expect(() => buildCircuitInput(request([attestation()], { threshold: 1_000_001 }))).toThrowError(/threshold/);
    expect(() => buildCircuitInput(request([attestation()], { threshold: -1n }))).toThrowError(/threshold/);
  });

  it("hashes a non-hex subject like any id", () => {
    const input = buildCircuitInput(request([attestation({ target: "bob" })], { subject: "bob" }));
    expect(input.publicInputs.subject).toBe(idToField("bob"));
    expect(input.slots[0]!.target).toBe(idToField("bob"));
  });

  it("gives the same slots regardless of the caller's order (seeded)", () => {
    const rng = createPrng(11);
    for (let round = 0; round < 20; round++) {
      const atts = Array.from({ length: rng.int(1, 70) }, () => randomAttestation(rng, true));
      if (round % 5 === 0) atts.push(atts[0]!); // duplicates too
      const base = buildCircuitInput(request(atts));
      const permuted = rng.shuffle(atts.map((a, i) => ({ a, i })));
      const again = buildCircuitInput(request(permuted.map((p) => p.a)));
      expect(again.slots).toEqual(base.slots);
      expect(again.capacity).toBe(base.capacity);
      // usedIndices point at the same attestations
      expect(again.usedIndices.map((i) => encodeAttestation(permuted[i]!.a))).toEqual(base.usedIndices.map((i) => encodeAttestation(atts[i]!)));
      // slots are in canonical order
      for (let i = 1; i < base.usedIndices.length; i++) expect(compareSlots(base.slots[i - 1]!, base.slots[i]!)).toBeLessThanOrEqual(0);
    }
  });

  it("commits to the same set identically whatever the caller's order and variant (an entry has one root)", () => {
    const atts = [attestation(), attestation({ source: "alice", weight: 2 }), attestation({ source: "0x07", created_at: NOW - 5 * DAY })];
    const a = buildCircuitInput(request(atts));
    const b = buildCircuitInput(request([atts[2]!, atts[0]!, atts[1]!]));
    expect(commitSlots(b.slots)).toBe(commitSlots(a.slots));
    const bigger = buildCircuitInput(request(atts, { forceCapacity: 64 }));
    expect(commitSlots(bigger.slots)).toBe(commitSlots(a.slots));
    expect(commitSlots(buildCircuitInput(request(atts.slice(1))).slots)).not.toBe(commitSlots(a.slots));
  });

  it("applies the subset rule: counting first, then evidence mass, then newer, then canonical", () => {
    const strong = opinion(0.8, 0.1, 0.1, 0.5); // r + s = 18
    const weak = opinion(0.2, 0.1, 0.7, 0.5); // r + s ≈ 0.857
    const atts = [
      attestation({ opinion: strong, weight: 10, target: "someone-else" }), // 0: about someone else, never in a slot
      attestation({ opinion: strong, weight: 10, expires_at: NOW }), // 1: expired, does not count
      attestation({ opinion: weak, weight: 1, created_at: NOW - 3 * DAY }), // 2: counts, small mass, older
      attestation({ opinion: weak, weight: 1, created_at: NOW - 2 * DAY }), // 3: counts, small mass, newer
      attestation({ opinion: strong, weight: 1 }), // 4: counts, big mass
    ];
    const input = buildCircuitInput(request(atts, { capacities: [2, 8], forceCapacity: 2 }));
    expect(input.capacity).toBe(2);
    expect(input.truncated).toBe(true);
    // keeps 4 (mass) and 3 (newer than 2), laid out canonically (3 was created earlier)
    expect(input.usedIndices).toEqual([3, 4]);
    const three = buildCircuitInput(request(atts, { capacities: [3, 8], forceCapacity: 3 }));
    expect(three.usedIndices).toEqual([2, 3, 4]);
    // with room for all, nothing about the subject is dropped and non-counting ones still enter
    const all = buildCircuitInput(request(atts, { capacities: [2, 8] }));
    expect(all.capacity).toBe(8);
    expect(all.truncated).toBe(false);
    expect([...all.usedIndices].sort()).toEqual([1, 2, 3, 4]);
  });

  it("breaks evidence-mass and time ties by canonical order", () => {
    const a = attestation({ source: "0x02" });
    const b = attestation({ source: "0x01" });
    const c = attestation({ source: "0x03" });
    const input = buildCircuitInput(request([a, b, c], { capacities: [2] }));
    expect(input.usedIndices).toEqual([1, 0]); // issuers 0x01 and 0x02
  });

  it("truncates deterministically above the largest capacity (seeded)", () => {
    const rng = createPrng(23);
    const atts = Array.from({ length: 300 }, () => randomAttestation(rng, true));
    const input = buildCircuitInput(request(atts));
    expect(input.capacity).toBe(256);
    expect(input.truncated).toBe(true);
    expect(new Set(input.usedIndices).size).toBe(256);
    const again = buildCircuitInput(request(rng.shuffle(atts)));
    expect(again.slots).toEqual(input.slots);
    const subject = idToField(SUBJECT);
    const slotOf = (i: number) => encodeAttestation(atts[i]!);
    const counts = (i: number) => { const s = slotOf(i); return s.created <= BigInt(NOW) && BigInt(NOW) < s.expires && s.target === subject; };
    const mass = (i: number) => { const s = slotOf(i); return s.w * (s.r + s.s); };
    const used = new Set(input.usedIndices);
    const indices = atts.map((_, i) => i);
    const counting = indices.filter(counts);
    expect(counting.length).toBeLessThan(256); // the mix makes about 30% not count
    expect(counting.every((i) => used.has(i))).toBe(true);
    const keptOthers = input.usedIndices.filter((i) => !counts(i));
    const minKept = keptOthers.map(mass).reduce((m, x) => (x < m ? x : m));
    // attestations about someone else never enter; of the subject's, the ones left out weigh least
    expect(indices.filter((i) => !used.has(i) && slotOf(i).target === subject).every((i) => mass(i) <= minKept)).toBe(true);
    expect(input.usedIndices.every((i) => slotOf(i).target === subject)).toBe(true);
  });

  it("keeps the largest evidence mass when more attestations count than fit (seeded)", () => {
    const rng = createPrng(29);
    const atts = Array.from({ length: 40 }, () => randomAttestation(rng));
    const input = buildCircuitInput(request(atts, { forceCapacity: 16 }));
    const mass = (i: number) => { const s = encodeAttestation(atts[i]!); return s.w * (s.r + s.s); };
    const used = new Set(input.usedIndices);
    const minKept = input.usedIndices.map(mass).reduce((m, x) => (x < m ? x : m));
    const maxDropped = atts.map((_, i) => i).filter((i) => !used.has(i)).map(mass).reduce((m, x) => (x > m ? x : m));
    expect(minKept >= maxDropped).toBe(true);
    expect(input.truncated).toBe(true);
  });

  it("rejects bad requests with typed errors naming the field", () => {
    expect(() => buildCircuitInput(request([attestation()], { forceCapacity: 32 }))).toThrowError(/forceCapacity/);
    expect(() => buildCircuitInput(request([attestation()], { subject: "" }))).toThrowError(/subject/);
    expect(() => buildCircuitInput(request([attestation()], { now: 1.5 }))).toThrowError(/now/);
    try {
      buildCircuitInput(request([attestation(), attestation({ opinion: opinion(1, 0, 0, 0.5) })]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as InstanceType<typeof ValidationError>).details).toEqual({ index: 1, field: "opinion.uncertainty", reason: expect.any(String) });
      expect((error as Error).message).toMatch(/^attestations\[1\]\.opinion\.uncertainty: /);
    }
  });

  it("handles an empty list with all-empty slots", () => {
    const input = buildCircuitInput(request([]));
    expect(input.capacity).toBe(16);
    expect(input.usedIndices).toEqual([]);
    expect(input.slots.every((s) => s === EMPTY_SLOT)).toBe(true);
  });
});

describe("toCircuitSignals", () => {
  it("emits decimal strings with one array per slot field, and the registry position", () => {
    const slots = [{ ...EMPTY_SLOT, r: 12n, issuer: 2n ** 200n, expires: 9n }, EMPTY_SLOT];
    const siblings = Array.from({ length: REGISTRY_DEPTH }, (_, l) => [BigInt(l), 1n, 2n] as const);
    const input = toCircuitSignals(slots, { now: 5n, subject: 7n, threshold: 600000n, reveal: 0n }, { root: 99n, entryIndex: 3, siblings });
    expect(input.now).toBe("5");
    expect(input.reveal).toBe("0");
    expect(input.root).toBe("99");
    expect(input.r).toEqual(["12", "0"]);
    expect(input.issuer).toEqual([(2n ** 200n).toString(), "0"]);
    expect(input.entryIndex).toBe("3");
    expect(input.entrySiblings[4]).toEqual(["4", "1", "2"]);
    expect(Object.keys(input).sort()).toEqual(
      ["a", "created", "entryIndex", "entrySiblings", "expires", "issuer", "now", "r", "reveal", "root", "s", "subject", "threshold", "w"],
    );
  });

  it("without a registry, puts the slots in a private one: first entry, empty siblings, its root", () => {
    const slots = [{ ...EMPTY_SLOT, r: 12n, issuer: 3n, expires: 9n }, EMPTY_SLOT];
    const pub = { now: 5n, subject: 7n, threshold: 600000n, reveal: 0n } as const;
    const input = toCircuitSignals(slots, pub);
    const zeros = emptySubtreeRoots();
    expect(input.entryIndex).toBe("0");
    expect(input.entrySiblings.map((level) => level[0])).toEqual(zeros.slice(0, REGISTRY_DEPTH).map(String));
    expect(input.root).toBe(String(runSteps(entryStatementSteps(7n, slots, loneEntryPosition())).root));
  });
});

describe("parsePublicSignals", () => {
  it("names the signals in snarkjs order", () => {
    expect(PUBLIC_SIGNAL_ORDER).toEqual(["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"]);
    const named = parsePublicSignals(["11", "700000", "1", "5", "7", "600000", "1", "13"]);
    expect(named).toEqual({ commitment: 11n, scoreOut: 700000n, meets: 1n, now: 5n, subject: 7n, threshold: 600000n, reveal: 1n, root: 13n });
  });

  it("rejects a wrong count or malformed entries", () => {
    expect(() => parsePublicSignals(["1", "2"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "0x8"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "-8"])).toThrow(PublicSignalMismatchError);
  });
});
