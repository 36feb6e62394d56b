import { describe, expect, it } from "vitest";
import { ProofError, ValidationError } from "../../../src/lib/proof/core/errors.js";
import { DEFAULT_SUM_TOLERANCE, MAX_ATTESTATIONS, validateAttestations } from "../../../src/lib/proof/ebsl/validation.js";
import { attestation, DAY, NOW, opinion } from "./fixtures.js";

function rejection(list: unknown, options: { now: number; tolerance?: number; allowEmpty?: boolean } = { now: NOW }): ProofError {
  try {
    validateAttestations(list, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ProofError;
  }
  throw new Error("expected a ValidationError");
}

const valid = () => [attestation(), attestation({ source: "carol" }), attestation({ source: "dave" })];

function withItem(index: number, item: unknown): unknown[] {
  const list: unknown[] = valid();
  list[index] = item;
  return list;
}

describe("validateAttestations", () => {
  it("accepts valid attestations and returns a deep copy in a frozen array, each field read once", () => {
    const list = valid();
    const copy = validateAttestations(list, { now: NOW });
    expect(copy).toEqual(list);
    expect(copy).not.toBe(list);
    expect(copy[0]).not.toBe(list[0]);
    expect(copy[0]!.opinion).not.toBe(list[0]!.opinion);
    expect(Object.isFrozen(copy)).toBe(true);
    (list[0]!.opinion as { belief: number }).belief = 0.9;
    expect(copy[0]!.opinion.belief).toBe(0.6);
    // A getter that answers differently on each read cannot pass validation with one value and
    // reach the proof with another.
    let reads = 0;
    const tricky = { ...attestation() } as Record<string, unknown>;
    Object.defineProperty(tricky, "weight", { get: () => (++reads === 1 ? 1 : Number.NaN), enumerable: true });
    expect(validateAttestations([tricky], { now: NOW })[0]!.weight).toBe(1);
    expect(reads).toBe(1);
    const throwing = { ...attestation() };
    Object.defineProperty(throwing, "source", { get: () => { throw new Error("secret-value"); } });
    expect(rejection([throwing]).details).toEqual({ index: 0, field: "attestations", reason: "could not be read" });
  });

  it("refuses more than 1024 attestations (MAX_ATTESTATIONS) and ids longer than 256 characters", () => {
    expect(MAX_ATTESTATIONS).toBe(1024);
    const many = Array.from({ length: MAX_ATTESTATIONS + 1 }, (_, i) => attestation({ source: `s${i}` }));
    expect(rejection(many).details).toEqual({ index: null, field: "attestations", reason: "must contain at most 1024 attestations" });
    expect(validateAttestations(many.slice(1), { now: NOW })).toHaveLength(1024);
    expect(rejection(withItem(0, attestation({ source: "a".repeat(257) }))).details).toMatchObject({ index: 0, field: "source" });
    expect(rejection(withItem(1, attestation({ target: "t".repeat(2 ** 21) }))).details).toMatchObject({ index: 1, field: "target" });
  });

  it("refuses an attestation that is the same circuit slot as an earlier one, naming both indices", () => {
    const twice = [attestation({ source: "carol" }), attestation(), attestation()];
    expect(rejection(twice).details).toEqual({ index: 2, field: "attestations", reason: "duplicate", duplicateOf: 1 });
    expect(rejection(twice).message).toBe("attestations[2]: duplicate of attestations[1] (same source, target and content)");
    // Spelled differently, same slot: hex ids by value, numbers as the encoder rounds them, type not part of a slot.
    const respelled = attestation({
      source: "0x00000000000000000000000000000000000000B1",
      target: "0xAA",
      opinion: opinion(0.6000000001, 0.2, 0.1999999999, 0.5),
      attestation_type: "skill",
    });
    expect(rejection([attestation(), respelled]).details).toMatchObject({ index: 1, reason: "duplicate", duplicateOf: 0 });
    // Distinct statements by one source all count.
    expect(validateAttestations([attestation(), attestation({ weight: 2 }), attestation({ created_at: NOW - DAY + 1 })], { now: NOW })).toHaveLength(3);
  });

  it("names index and field in message and details", () => {
    const error = rejection(withItem(2, attestation({ opinion: opinion(0.4, 0.2, 1.5, 0.5) })));
    expect(error.code).toBe("VALIDATION_ERROR");
    expect(error.message).toBe("attestations[2].opinion.uncertainty: must be in [0, 1]");
    expect(error.details).toEqual({ index: 2, field: "opinion.uncertainty", reason: "must be in [0, 1]" });
  });

  it("never echoes the attestation's values", () => {
    const secret = attestation({ source: "secret-issuer-name", weight: 1234.5678 });
    const error = rejection(withItem(1, secret));
    expect(error.message).toBe("attestations[1].weight: must be in [0, 1000]");
    const text = JSON.stringify({ m: error.message, d: error.details });
    expect(text).not.toContain("secret-issuer-name");
    expect(text).not.toContain("1234");
  });

  it("rejects non-arrays, empty lists (unless allowed) and non-objects", () => {
    expect(rejection({}).message).toBe("attestations: must be an array");
    expect(rejection([]).details).toEqual({ index: null, field: "attestations", reason: "must contain at least one attestation" });
    expect(validateAttestations([], { now: NOW, allowEmpty: true })).toEqual([]);
    expect(rejection(withItem(0, null)).message).toBe("attestations[0]: must be an object");
    expect(rejection(withItem(0, [1])).details).toMatchObject({ index: 0 });
    // a hole in a sparse array is not skipped
    const sparse: unknown[] = valid();
    delete sparse[1];
    expect(rejection(sparse).details).toMatchObject({ index: 1 });
  });

  it.each([
    ["source", { source: "" }, "must be a non-empty string"],
    ["target", { target: 42 }, "must be a non-empty string"],
    ["opinion", { opinion: "high" }, "must be an object"],
    ["opinion.belief", { opinion: opinion(Number.NaN, 0.5, 0.5, 0.5) }, "must be a finite number"],
    ["opinion.disbelief", { opinion: opinion(0.5, -0.1, 0.6, 0.5) }, "must be in [0, 1]"],
    ["opinion.base_rate", { opinion: opinion(0.5, 0.3, 0.2, 1.01) }, "must be in [0, 1]"],
    ["opinion.base_rate", { opinion: { belief: 0.5, disbelief: 0.3, uncertainty: 0.2 } }, "must be a finite number"],
    ["attestation_type", { attestation_type: "like" }, "must be one of trust|skill|vouch|endorsement"],
    ["weight", { weight: -1 }, "must be in [0, 1000]"],
    ["weight", { weight: Number.POSITIVE_INFINITY }, "must be a finite number"],
    ["weight", { weight: "1" }, "must be a finite number"],
    ["created_at", { created_at: NOW - 0.5 }, "must be an integer (epoch ms)"],
    ["created_at", { created_at: -1 }, "must be in [0, 2^42)"],
    ["expires_at", { expires_at: 2 ** 42 }, "must be in [0, 2^42)"],
    ["expires_at", { created_at: NOW - DAY, expires_at: NOW - DAY }, "must be later than created_at"],
    ["expires_at", { expires_at: NOW }, "attestation has expired"],
    ["created_at", { created_at: NOW + 1 }, "attestation is not yet valid"],
  ] as const)("rejects a bad %s", (field, overrides, reason) => {
    const error = rejection(withItem(1, { ...attestation(), ...overrides }));
    expect(error.details).toEqual({ index: 1, field, reason });
    expect(error.message).toBe(`attestations[1].${field}: ${reason}`);
  });

  it("says when a time looks like epoch seconds (times are epoch ms)", () => {
    const seconds = Math.floor(NOW / 1000);
    const expired = rejection(withItem(0, attestation({ created_at: seconds - 86_400, expires_at: seconds + 86_400 })));
    expect(expired.details).toMatchObject({ field: "expires_at" });
    expect(expired.message).toContain("expires_at looks like epoch seconds");
    expect(expired.message).not.toContain(String(seconds));
    const early = rejection([attestation()], { now: seconds });
    expect(early.message).toContain("now looks like epoch seconds");
  });

  it("accepts the edges of the ranges", () => {
    const edges = [
      attestation({ weight: 0 }),
      attestation({ weight: 1000 }),
      attestation({ opinion: opinion(0, 0, 1, 0) }),
      attestation({ opinion: opinion(0.9999995, 0, 0.0000005, 1) }),
      attestation({ created_at: NOW, expires_at: NOW + 1 }),
      attestation({ target: "someone-else" }),
    ];
    expect(() => validateAttestations(edges, { now: NOW })).not.toThrow();
  });

  it("rejects dogmatic opinions: uncertainty must round to at least 1e-6", () => {
    const error = rejection(withItem(0, attestation({ opinion: opinion(0.9999996, 0, 0.0000004, 0.5) })));
    expect(error.details).toMatchObject({ index: 0, field: "opinion.uncertainty" });
    expect(rejection(withItem(0, attestation({ opinion: opinion(1, 0, 0, 0.5) }))).details).toMatchObject({ field: "opinion.uncertainty" });
  });

  it("applies the sum tolerance (default 1e-6) and an explicit one", () => {
    expect(DEFAULT_SUM_TOLERANCE).toBe(1e-6);
    const near = attestation({ opinion: opinion(0.6, 0.2, 0.2000009, 0.5) });
    const off = attestation({ opinion: opinion(0.6, 0.2, 0.2000011, 0.5) });
    expect(() => validateAttestations([near], { now: NOW })).not.toThrow();
    expect(rejection([off]).details).toEqual({ index: 0, field: "opinion", reason: "belief + disbelief + uncertainty must equal 1 within the tolerance" });
    expect(() => validateAttestations([off], { now: NOW, tolerance: 1e-5 })).not.toThrow();
    expect(rejection([near], { now: NOW, tolerance: 0 }).details).toMatchObject({ field: "opinion" });
  });

  it("reports the first bad attestation by index", () => {
    const list: unknown[] = valid();
    list[1] = attestation({ weight: -1 });
    list[2] = attestation({ source: "" });
    expect(rejection(list).details).toMatchObject({ index: 1, field: "weight" });
  });

  it("rejects bad options", () => {
    expect(rejection(valid(), { now: Number.NaN }).details).toMatchObject({ field: "now" });
    expect(rejection(valid(), { now: NOW, tolerance: -1 }).details).toMatchObject({ field: "tolerance" });
  });
});
