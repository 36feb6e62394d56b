import { describe, expect, it } from "vitest";
import { poseidon2 } from "poseidon-lite/poseidon2";
import { poseidon4 } from "poseidon-lite/poseidon4";
import {
  commitSlots, emptySubtreeRoots, ENTRY_DEPTH, entryLeaf, entryStatementSteps, loneEntryPosition, packSlot, REGISTRY_DEPTH,
  rootFromPositionSteps, runSteps, slotLeaf,
} from "../../../src/lib/proof/ebsl/registry-tree.js";
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
  it("is the root of the entry tree of the slots' leaves: Poseidon2(packed, issuer), 0 when empty, depth 4", () => {
    const slots = pad([slot]);
    const leaf = poseidon2([packSlot(slot), slot.issuer]);
    expect(slotLeaf(slot)).toBe(leaf);
    expect(slotLeaf(EMPTY_SLOT)).toBe(0n);
    const z = emptySubtreeRoots();
    let node = poseidon4([leaf, 0n, 0n, 0n]);
    for (let l = 1; l < ENTRY_DEPTH; l++) node = poseidon4([node, z[l]!, z[l]!, z[l]!]);
    expect(commitSlots(slots)).toBe(node);
  });

  it("changes when any committed field of any slot changes (the target is the entry's, not the slot's)", () => {
    const base = commitSlots(pad([slot, slot]));
    for (const field of ["r", "s", "w", "a", "created", "expires", "issuer"] as const) {
      const changed = { ...slot, [field]: slot[field] + 1n };
      expect(commitSlots(pad([slot, changed])), field).not.toBe(base);
      expect(commitSlots(pad([changed, slot])), field).not.toBe(base);
    }
  });

  it("depends on order but not on the padding: an entry is the same for every variant", () => {
    const other = { ...slot, issuer: 0x9999n };
    expect(commitSlots(pad([slot, other]))).not.toBe(commitSlots(pad([other, slot])));
    expect(commitSlots(pad([slot], 16))).toBe(commitSlots(pad([slot], 64)));
    expect(commitSlots(pad([], 16))).toBe(emptySubtreeRoots()[ENTRY_DEPTH]);
  });
});

describe("the registry path", () => {
  it("a lone entry's root climbs the empty registry from index 0", () => {
    const entry = entryLeaf(7n, commitSlots(pad([slot])));
    const z = emptySubtreeRoots();
    let node = entry;
    for (let l = 0; l < REGISTRY_DEPTH; l++) node = poseidon4([node, z[l]!, z[l]!, z[l]!]);
    expect(runSteps(rootFromPositionSteps(entry, loneEntryPosition()))).toBe(node);
    expect(runSteps(entryStatementSteps(7n, pad([slot]), loneEntryPosition()))).toEqual({ commitment: commitSlots(pad([slot])), root: node });
  });

  it("places the node at its index's digit at every level", () => {
    const sib = (l: number): readonly [bigint, bigint, bigint] => [BigInt(3 * l + 1), BigInt(3 * l + 2), BigInt(3 * l + 3)];
    const siblings = Array.from({ length: REGISTRY_DEPTH }, (_, l) => sib(l));
    const entryIndex = 2 + 4 * 3 + 16 * 1; // digits 2, 3, 1, 0, ...
    let node = 5n;
    const digits = [2, 3, 1, 0, 0, 0, 0, 0, 0, 0];
    for (let l = 0; l < REGISTRY_DEPTH; l++) {
      const children = [...sib(l)];
      children.splice(digits[l]!, 0, node);
      node = poseidon4(children);
    }
    expect(runSteps(rootFromPositionSteps(5n, { entryIndex, siblings }))).toBe(node);
  });

  it("the lone entry's root is remembered by entry leaf: a repeat takes no step and agrees with a fresh walk", () => {
    const lone = loneEntryPosition();
    expect(loneEntryPosition()).toBe(lone);
    const count = (leaf: bigint) => {
      const steps = rootFromPositionSteps(leaf, lone);
      let yields = 0;
      for (let r = steps.next(); ; r = steps.next()) {
        if (r.done) return { yields, root: r.value };
        yields++;
      }
    };
    const first = count(123n);
    const again = count(123n);
    expect(again).toEqual({ yields: 0, root: first.root });
    // The same position given as a plain copy is walked in full, to the same root.
    const copy = { entryIndex: 0, siblings: lone.siblings.map((l) => [...l] as const) };
    expect(runSteps(rootFromPositionSteps(123n, copy))).toBe(first.root);
  });
});
