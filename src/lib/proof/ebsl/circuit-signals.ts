/**
 * The circom input object for an EBSL circuit and the named view of its public signals.
 * Signal names and order are fixed by circuits/ebsl.circom (see circuits/README.md).
 */
import { PublicSignalMismatchError } from "../core/errors.js";
import { EMPTY_PATH } from "./registry.js";
import type { RegistryPath } from "./registry.js";
import type { CircuitPublicInputs, EncodedSlot } from "./types.js";

/** Public signals in snarkjs order: circuit outputs first, then public inputs in declaration order. */
export const PUBLIC_SIGNAL_ORDER = ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"] as const;

export type PublicSignalName = (typeof PUBLIC_SIGNAL_ORDER)[number];
export type NamedPublicSignals = { readonly [K in PublicSignalName]: bigint };

const SLOT_FIELDS = ["r", "s", "w", "a", "created", "expires", "issuer", "target"] as const;

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
  readonly target: readonly string[];
  readonly leafIndex: readonly string[];
  readonly siblings: readonly (readonly (readonly string[])[])[];
  readonly [signal: string]: string | readonly string[] | readonly (readonly (readonly string[])[])[];
}

/**
 * Build the circom input for `slots` (already padded to the capacity), the public inputs and the
 * slots' registry paths (`buildCircuitInput` returns all three). Without `paths` every slot gets
 * the empty path, which only an all-empty slot list can prove with.
 */
export function toCircuitSignals(slots: readonly EncodedSlot[], pub: CircuitPublicInputs, paths?: readonly RegistryPath[]): EbslCircuitInput {
  const pathOf = (i: number): RegistryPath => paths?.[i] ?? EMPTY_PATH;
  const column = (field: (typeof SLOT_FIELDS)[number]) => slots.map((slot) => slot[field].toString(10));
  return {
    now: pub.now.toString(10),
    subject: pub.subject.toString(10),
    threshold: pub.threshold.toString(10),
    reveal: pub.reveal.toString(10),
    root: (pub.root ?? 0n).toString(10),
    r: column("r"),
    s: column("s"),
    w: column("w"),
    a: column("a"),
    created: column("created"),
    expires: column("expires"),
    issuer: column("issuer"),
    target: column("target"),
    leafIndex: slots.map((_, i) => String(pathOf(i).leafIndex)),
    siblings: slots.map((_, i) => pathOf(i).siblings.map((level) => [...level])),
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
