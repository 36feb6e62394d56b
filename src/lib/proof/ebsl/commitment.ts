/**
 * Poseidon commitment to a padded slot list, identical to the circuit's (circuits/README.md,
 * "Commitment"): a Poseidon16 chain over [packed, issuer, target] per slot, seeded with N.
 */
import { poseidon16 } from "poseidon-lite/poseidon16";
import type { EncodedSlot } from "./types.js";

const ELEMENTS_PER_LINK = 15;

/** r + s·2^41 + w·2^82 + a·2^114 + created·2^134 + expires·2^176 (218 bits, fields already range-checked). */
export function packSlot(slot: EncodedSlot): bigint {
  return (
    slot.r +
    (slot.s << 41n) +
    (slot.w << 82n) +
    (slot.a << 114n) +
    (slot.created << 134n) +
    (slot.expires << 176n)
  );
}

/**
 * The commitment's Poseidon16 chain, one link per step (a link costs a few ms of BigInt work
 * in a browser; 64 slots are 13 links). The one implementation behind both entry points below.
 */
function* commitmentChain(slots: readonly EncodedSlot[]): Generator<void, bigint, void> {
  const elements: bigint[] = [];
  for (const slot of slots) elements.push(packSlot(slot), slot.issuer, slot.target);
  let h = BigInt(slots.length);
  for (let start = 0; start < elements.length; start += ELEMENTS_PER_LINK) {
    if (start > 0) yield;
    const chunk = elements.slice(start, start + ELEMENTS_PER_LINK);
    while (chunk.length < ELEMENTS_PER_LINK) chunk.push(0n);
    h = poseidon16([h, ...chunk]);
  }
  return h;
}

/**
 * Commitment to exactly these slots in this order; `slots.length` is the circuit capacity, so
 * the same attestations padded for another variant commit differently.
 */
export function commitSlots(slots: readonly EncodedSlot[]): bigint {
  const chain = commitmentChain(slots);
  for (;;) {
    const step = chain.next();
    if (step.done) return step.value;
  }
}

/**
 * {@link commitSlots}, awaiting `pause` between Poseidon links so a page's main thread never
 * runs the whole chain in one task (a page must never see a task over 50 ms).
 */
export async function commitSlotsAsync(slots: readonly EncodedSlot[], pause: () => Promise<void>): Promise<bigint> {
  const chain = commitmentChain(slots);
  for (;;) {
    const step = chain.next();
    if (step.done) return step.value;
    await pause();
  }
}
