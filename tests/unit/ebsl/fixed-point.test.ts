import { describe, expect, it } from "vitest";
import {
  computeCircuitOutputs, DEFAULT_BASE_RATE, EMPTY_SLOT, MAX_BASE_RATE, R_BITS, SCALE, TIME_BITS, W_BITS, WP,
} from "../../../src/lib/proof/ebsl/fixed-point.js";
import { commitSlots } from "../../../src/lib/proof/ebsl/registry-tree.js";
import { toCircuitSignals } from "../../../src/lib/proof/ebsl/circuit-input.js";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import type { CircuitPublicInputs, EncodedSlot } from "../../../src/lib/proof/ebsl/types.js";

const SUBJECT = 0xabcdefn;
const NOW = 1_700_000_000_000n;
const pub = (over: Partial<CircuitPublicInputs> = {}): CircuitPublicInputs => ({
  now: NOW, subject: SUBJECT, threshold: 600_000n, reveal: 1n, ...over,
});
const pad = (slots: EncodedSlot[], n = 16): EncodedSlot[] => [...slots, ...Array(n - slots.length).fill(EMPTY_SLOT)];

// b = 0.6, d = 0.2, u = 0.2, weight 1, base rate 0.5: r = 2·0.6/0.2 = 6, s = 2 at scale 10^6.
const trust: EncodedSlot = {
  r: 6_000_000n, s: 2_000_000n, w: 1_000_000n, a: 500_000n,
  created: NOW - 1000n, expires: NOW + 1000n, issuer: 0x1234n, target: SUBJECT,
};
// b = 0, d = 0.5, u = 0.5, weight 2, base rate 1: r = 0, s = 2.
const distrust: EncodedSlot = {
  r: 0n, s: 2_000_000n, w: 2_000_000n, a: 1_000_000n,
  created: NOW - 5n, expires: NOW + 5n, issuer: 0x5678n, target: SUBJECT,
};

describe("computeCircuitOutputs", () => {
  it("gives the prior (0.5) for an empty set", () => {
    const out = computeCircuitOutputs(pad([]), pub());
    expect(out.score).toBe(500_000n);
    expect(out.aF).toBe(DEFAULT_BASE_RATE);
    expect(out.D).toBe(WP);
    expect([out.R, out.S, out.WS, out.AS]).toEqual([0n, 0n, 0n, 0n]);
    expect(out.meets).toBe(0n);
    expect(out.scoreOut).toBe(500_000n);
    expect(out.commitment).toBe(commitSlots(pad([])));
  });

  it("computes one attestation by hand: E = 0.6 + 0.5·0.2 = 0.7", () => {
    const out = computeCircuitOutputs(pad([trust]), pub());
    expect(out.R).toBe(6n * 10n ** 12n);
    expect(out.S).toBe(2n * 10n ** 12n);
    expect(out.WS).toBe(1_000_000n);
    expect(out.aF).toBe(500_000n);
    expect(out.D).toBe(10n ** 13n);
    expect(out.score).toBe(700_000n);
    expect(out.meets).toBe(1n);
  });

  it("fuses two weighted attestations with a floored base rate", () => {
    const out = computeCircuitOutputs(pad([trust, distrust]), pub());
    expect(out.S).toBe(6n * 10n ** 12n);
    expect(out.WS).toBe(3_000_000n);
    expect(out.AS).toBe(2_500_000n * 10n ** 6n);
    expect(out.aF).toBe(833_333n); // floor(2.5e12 / 3e6)
    expect(out.D).toBe(14n * 10n ** 12n);
    expect(out.score).toBe(547_619n); // (6e18 + 833333·2e12) / 1.4e13
  });

  it("excludes expired and not-yet-valid attestations but commits to them", () => {
    const excluded = [
      { ...trust, expires: NOW }, // expires is exclusive
      { ...trust, created: NOW + 1n },
    ];
    for (const slot of excluded) {
      const out = computeCircuitOutputs(pad([slot]), pub());
      expect(out.score).toBe(500_000n);
      expect(out.WS).toBe(0n);
      expect(out.commitment).not.toBe(commitSlots(pad([])));
    }
    // created is inclusive, expires = now + 1 still counts.
    expect(computeCircuitOutputs(pad([{ ...trust, created: NOW, expires: NOW + 1n }]), pub()).score).toBe(700_000n);
  });

  it("sets meets exactly at the threshold", () => {
    expect(computeCircuitOutputs(pad([trust]), pub({ threshold: 700_000n })).meets).toBe(1n);
    expect(computeCircuitOutputs(pad([trust]), pub({ threshold: 700_001n })).meets).toBe(0n);
    expect(computeCircuitOutputs(pad([]), pub({ threshold: 0n })).meets).toBe(1n);
  });

  it("hides the score when reveal = 0 but keeps meets", () => {
    const out = computeCircuitOutputs(pad([trust]), pub({ reveal: 0n }));
    expect(out.scoreOut).toBe(0n);
    expect(out.score).toBe(700_000n);
    expect(out.meets).toBe(1n);
  });

  it("stays in [0, 10^6] at the range limits", () => {
    const max: EncodedSlot = {
      r: (1n << BigInt(R_BITS)) - 1n, s: 0n, w: (1n << BigInt(W_BITS)) - 1n, a: MAX_BASE_RATE,
      created: 0n, expires: (1n << BigInt(TIME_BITS)) - 1n, issuer: 1n, target: SUBJECT,
    };
    const allBelief = computeCircuitOutputs(pad(Array(16).fill(max)), pub());
    expect(allBelief.score).toBeLessThanOrEqual(SCALE);
    expect(allBelief.score).toBeGreaterThan(999_990n);
    const allDisbelief = computeCircuitOutputs(pad(Array(16).fill({ ...max, r: 0n, s: max.r, a: 0n })), pub());
    expect(allDisbelief.score).toBe(0n);
  });

  it("counts a slot by its times only: the slot's target is the registry entry's business", () => {
    expect(computeCircuitOutputs(pad([{ ...trust, target: SUBJECT + 1n }]), pub()).score).toBe(700_000n);
  });

  it("matches a commitment, root and score computed by the ebsl-16 circuit", () => {
    // Witness of circuits/build/ebsl-16 for this input (snarkjs wtns.calculate), a private registry.
    const slot: EncodedSlot = { ...EMPTY_SLOT, r: 2_000_000_000_000n, w: 1_000_000n, a: 500_000n, expires: 2000n, target: 5n };
    const out = computeCircuitOutputs(pad([slot]), { now: 1000n, subject: 5n, threshold: 600_000n, reveal: 1n });
    expect(out.commitment).toBe(19538462269548246990532861005470870326162126062750931981706663035360092605238n);
    const signals = toCircuitSignals(pad([slot]), { now: 1000n, subject: 5n, threshold: 600_000n, reveal: 1n });
    expect(signals.root).toBe("8953466536491403869761435234763128147049611973427605645131814088295126489290");
    expect(out.scoreOut).toBe(999_999n);
    expect(out.meets).toBe(1n);
  });

  it("rejects out-of-range slots and public inputs with field names only", () => {
    const bad = { ...trust, r: 1n << BigInt(R_BITS) };
    let caught: unknown;
    try {
      computeCircuitOutputs(pad([EMPTY_SLOT, bad]), pub());
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as InstanceType<typeof ValidationError>).details).toEqual({ index: 1, field: "r" });
    expect(String((caught as Error).message)).not.toContain(String(bad.r));
    expect(() => computeCircuitOutputs(pad([{ ...trust, a: MAX_BASE_RATE + 1n }]), pub())).toThrow(ValidationError);
    expect(() => computeCircuitOutputs(pad([]), pub({ threshold: SCALE + 1n }))).toThrow(ValidationError);
    expect(() => computeCircuitOutputs(pad([]), pub({ now: 1n << BigInt(TIME_BITS) }))).toThrow(ValidationError);
  });
});
