/**
 * The circom input object for an EBSL circuit and the named view of its public signals.
 * Signal names and order are fixed by circuits/ebsl.circom (see circuits/README.md).
 */
import { PublicSignalMismatchError } from "../core/errors.js";
import { entryStatementSteps, loneEntryPosition, runSteps, type RegistryPosition } from "./registry-tree.js";
import type { CircuitPublicInputs, EncodedSlot } from "./types.js";

/** Public signals in snarkjs order: circuit outputs first, then public inputs in declaration order. */
export const PUBLIC_SIGNAL_ORDER = ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"] as const;

export type PublicSignalName = (typeof PUBLIC_SIGNAL_ORDER)[number];
export type NamedPublicSignals = { readonly [K in PublicSignalName]: bigint };

const SLOT_FIELDS = ["r", "s", "w", "a", "created", "expires", "issuer"] as const;

/** Input object for witness calculation: decimal strings, one array of length N per slot field. */
export interface EbslCircuitInput {
  readonly now: string;
  readonly subject: string;
  readonly threshold: string;
  readonly reveal: string;
  readonly root: string;
  readonly r: readonly string[];
  readonly s: readonly string[];
  readonly w: readonly string[];
  readonly a: readonly string[];
  readonly created: readonly string[];
  readonly expires: readonly string[];
  readonly issuer: readonly string[];
  readonly entryIndex: string;
  readonly entrySiblings: readonly (readonly string[])[];
  readonly [signal: string]: string | readonly string[] | readonly (readonly string[])[];
}

/**
 * Build the circom input for `slots` (the subject's entry in order, padded to the capacity), the
 * public inputs, and the registry `root` with where the entry sits in it. Without `registry`,
 * the slots are the first entry of a private registry of their own (its root computed here:
 * about 34 Poseidon hashes for 16 attestations, in one go).
 */
export function toCircuitSignals(
  slots: readonly EncodedSlot[],
  pub: CircuitPublicInputs,
  registry: RegistryPosition & { readonly root: bigint } = privateRegistry(slots, pub.subject),
): EbslCircuitInput {
  const column = (field: (typeof SLOT_FIELDS)[number]) => slots.map((slot) => slot[field].toString(10));
  return {
    now: pub.now.toString(10),
    subject: pub.subject.toString(10),
    threshold: pub.threshold.toString(10),
    reveal: pub.reveal.toString(10),
    root: registry.root.toString(10),
    r: column("r"),
    s: column("s"),
    w: column("w"),
    a: column("a"),
    created: column("created"),
    expires: column("expires"),
    issuer: column("issuer"),
    entryIndex: String(registry.entryIndex),
    entrySiblings: registry.siblings.map((level) => level.map((v) => v.toString(10))),
  };
}

/** Name the public signals of an EBSL proof; throws PublicSignalMismatchError on a wrong count or a non-decimal entry. */
export function parsePublicSignals(signals: readonly string[]): NamedPublicSignals {
  if (signals.length !== PUBLIC_SIGNAL_ORDER.length) {
    throw new PublicSignalMismatchError(`Expected ${PUBLIC_SIGNAL_ORDER.length} public signals, got ${signals.length}.`, {
      details: { expected: PUBLIC_SIGNAL_ORDER.length, actual: signals.length },
    });
  }
  const out = {} as Record<PublicSignalName, bigint>;
  PUBLIC_SIGNAL_ORDER.forEach((name, i) => {
    const raw = signals[i];
    if (typeof raw !== "string" || !/^(0|[1-9][0-9]*)$/.test(raw)) {
      throw new PublicSignalMismatchError(`Public signal ${name} is not a decimal field element.`, { details: { index: i, name } });
    }
    out[name] = BigInt(raw);
  });
  return out;
}

function privateRegistry(slots: readonly EncodedSlot[], subject: bigint): RegistryPosition & { readonly root: bigint } {
  const position = loneEntryPosition();
  return { ...position, root: runSteps(entryStatementSteps(subject, slots, position)).root };
}
