import { describe, expect, it } from "vitest";
import { poseidon16 } from "poseidon-lite/poseidon16";
import { commitSlots, packSlot } from "../../../src/lib/proof/ebsl/commitment.js";
import { EMPTY_SLOT, FIELD_ORDER } from "../../../src/lib/proof/ebsl/fixed-point.js";
import type { EncodedSlot } from "../../../src/lib/proof/ebsl/types.js";

const slot: EncodedSlot = {
  r: 6_000_000n, s: 2_000_000n, w: 1_000_000n, a: 500_000n,
  created: 1_700_000_000_000n, expires: 1_800_000_000_000n, issuer: 0x1234n, target: 0xabcdn,
};
const pad = (slots: EncodedSlot[], n = 16): EncodedSlot[] => [...slots, ...Array(n - slots.length).fill(EMPTY_SLOT)];

describe("packSlot", () => {
  it("places each field at its contract offset", () => {
    const p = packSlot(slot);
    const mask = (bits: bigint) => (1n << bits) - 1n;
    expect(p & mask(41n)).toBe(slot.r);
    expect((p >> 41n) & mask(41n)).toBe(slot.s);
    expect((p >> 82n) & mask(32n)).toBe(slot.w);
    expect((p >> 114n) & mask(20n)).toBe(slot.a);
    expect((p >> 134n) & mask(42n)).toBe(slot.created);
    expect(p >> 176n).toBe(slot.expires);
  });

  it("fits 218 bits at the range limits", () => {
    const max = (bits: bigint) => (1n << bits) - 1n;
    const p = packSlot({ ...slot, r: max(41n), s: max(41n), w: max(32n), a: 1_000_000n, created: max(42n), expires: max(42n) });
    expect(p < 1n << 218n).toBe(true);
    expect(p < FIELD_ORDER).toBe(true);
  });
});

describe("commitSlots", () => {
  it("is the Poseidon16 chain seeded with N over 15-element chunks", () => {
    const slots = pad([slot]);
    const elements = slots.flatMap((s) => [packSlot(s), s.issuer, s.target]);
    expect(elements).toHaveLength(48);
    let h = 16n;
    for (let i = 0; i < 4; i++) {
      const chunk = elements.slice(i * 15, i * 15 + 15);
      while (chunk.length < 15) chunk.push(0n);
      h = poseidon16([h, ...chunk]);
    }
    expect(commitSlots(slots)).toBe(h);
  });

  it("changes when any field of any slot changes", () => {
    const base = commitSlots(pad([slot, slot]));
    for (const field of Object.keys(slot) as (keyof EncodedSlot)[]) {
      const changed = { ...slot, [field]: slot[field] + 1n };
      expect(commitSlots(pad([slot, changed])), field).not.toBe(base);
      expect(commitSlots(pad([changed, slot])), field).not.toBe(base);
    }
  });

  it("depends on order and on the capacity", () => {
    const other = { ...slot, issuer: 0x9999n };
    expect(commitSlots(pad([slot, other]))).not.toBe(commitSlots(pad([other, slot])));
    expect(commitSlots(pad([slot], 16))).not.toBe(commitSlots(pad([slot], 64)));
    expect(commitSlots(pad([], 16))).not.toBe(commitSlots(pad([], 64)));
  });
});
