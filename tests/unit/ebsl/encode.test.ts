import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { encodeAttestation, toMicro } from "../../../src/lib/proof/ebsl/encode.js";
import { idToField } from "../../../src/lib/proof/ebsl/ids.js";
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
