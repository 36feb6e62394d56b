/**
 * The registry a proof uses when the caller gives none: a private tree of exactly the caller's
 * attestations about the subject, in canonical slot order (so the same set gives the same root
 * whatever order it came in, for every variant). Its root vouches for nothing: a verifier that
 * wants authenticated attestations refuses roots it does not know.
 *
 * One generator, two drivers (like the commitment chain): `buildCircuitInput` runs it at once,
 * the request plan awaits a pause between steps so a page's main thread never runs the ~1.5 ms
 * per Poseidon hash of a whole tree in one task.
 */
import { compareSlots } from "./circuit-input.js";
import { encodeAttestation } from "./encode.js";
import { idToField } from "./ids.js";
import { createRegistry, EMPTY_PATH, slotLeaf } from "./registry.js";
import type { RegistryPath } from "./registry.js";
import type { Attestation } from "./types.js";

export interface PrivateMembership {
  readonly root: bigint;
  /** One per attestation; EMPTY_PATH for attestations about someone else (never in a slot). */
  readonly paths: readonly RegistryPath[];
}

/** Leaves hashed (and appended) per step. */
const LEAVES_PER_STEP = 8;

function* privateMembershipSteps(attestations: readonly Attestation[], subject: string): Generator<void, PrivateMembership, void> {
  const subjectField = idToField(subject);
  const entries = attestations
    .map((att, index) => ({ index, slot: encodeAttestation(att) }))
    .filter((e) => e.slot.target === subjectField)
    .sort((x, y) => compareSlots(x.slot, y.slot) || x.index - y.index);
  const registry = createRegistry();
  for (let start = 0; start < entries.length; start += LEAVES_PER_STEP) {
    if (start > 0) yield;
    registry.add(entries.slice(start, start + LEAVES_PER_STEP).map((e) => slotLeaf(e.slot)));
  }
  yield;
  const paths: RegistryPath[] = attestations.map(() => EMPTY_PATH);
  entries.forEach((e, leafIndex) => (paths[e.index] = registry.path(leafIndex)));
  return { root: registry.root, paths };
}

export function privateMembership(attestations: readonly Attestation[], subject: string): PrivateMembership {
  const steps = privateMembershipSteps(attestations, subject);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

export async function privateMembershipAsync(attestations: readonly Attestation[], subject: string, pause: () => Promise<void>): Promise<PrivateMembership> {
  const steps = privateMembershipSteps(attestations, subject);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await pause();
  }
}
