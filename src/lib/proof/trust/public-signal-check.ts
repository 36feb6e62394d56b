/**
 * Check a proof's public signals against what the request asked for. A proof that verifies but
 * proves a different statement (another subject, an old `now`, another threshold, another
 * attestation set) must never be returned: the mismatch is a typed PUBLIC_SIGNAL_MISMATCH.
 *
 * Public signals are public, so the error may carry the expected and actual values; it never
 * carries anything else of the request.
 */
import { PublicSignalMismatchError } from "../errors.js";

/** An expected signal value; `null`/`undefined` means "not constrained by the request" (e.g. an output). */
export type ExpectedSignal = string | bigint | number | null | undefined;

export interface PublicSignalCheckOptions {
  /** Signal names in circuit order (the manifest's `publicSignals`), used in the error. */
  readonly names?: readonly string[];
  readonly circuitId?: string;
}

/** The field element a decimal string denotes, or undefined when it is not a decimal integer. */
function toBigInt(value: string | bigint | number): bigint | undefined {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") return Number.isSafeInteger(value) ? BigInt(value) : undefined;
  return /^-?\d+$/.test(value) ? BigInt(value) : undefined;
}

/**
 * Throw unless `actual` has exactly `expected.length` signals and every constrained one is equal
 * as an integer (so "007" equals "7" and 7n).
 * @throws PublicSignalMismatchError with details `{ index, name, expected, actual, circuitId }`,
 *   or `{ reason: "length", expectedLength, actualLength }`.
 * @example checkPublicSignals(result.publicSignals, [null, null, null, "1700000000", "7", "600000", "1"], { names });
 */
export function checkPublicSignals(
  actual: readonly string[],
  expected: readonly ExpectedSignal[],
  options: PublicSignalCheckOptions = {},
): void {
  const circuitId = options.circuitId ?? null;
  if (!Array.isArray(actual) || actual.length !== expected.length) {
    const actualLength = Array.isArray(actual) ? actual.length : -1;
    throw new PublicSignalMismatchError(`Expected ${expected.length} public signals, got ${actualLength}.`, {
      details: { reason: "length", expectedLength: expected.length, actualLength, circuitId },
    });
  }
  for (let index = 0; index < expected.length; index++) {
    const want = expected[index];
    if (want === null || want === undefined) continue;
    const got = actual[index];
    const wantInt = toBigInt(want);
    const gotInt = typeof got === "string" ? toBigInt(got) : undefined;
    if (wantInt === undefined || gotInt === undefined || wantInt !== gotInt) {
      const name = options.names?.[index] ?? null;
      throw new PublicSignalMismatchError(`Public signal ${name ?? `#${index}`} does not match the request.`, {
        details: {
          reason: "value",
          index,
          name,
          expected: String(want),
          actual: typeof got === "string" ? got : String(got),
          circuitId,
        },
      });
    }
  }
}

/**
 * Named variant: `expected` maps signal names to values; names not present are unconstrained.
 * @throws PublicSignalMismatchError as `checkPublicSignals`; also when `expected` names a signal
 *   the circuit does not have (a programming error that would otherwise check nothing).
 * @example checkNamedPublicSignals(signals, manifest.publicSignals, { subject: 7n, now, threshold, reveal: 1n });
 */
export function checkNamedPublicSignals(
  actual: readonly string[],
  names: readonly string[],
  expected: Readonly<Record<string, ExpectedSignal>>,
  circuitId?: string,
): void {
  for (const name of Object.keys(expected)) {
    if (!names.includes(name)) {
      throw new PublicSignalMismatchError(`The circuit has no public signal "${name}".`, {
        details: { reason: "unknown-name", name, circuitId: circuitId ?? null },
      });
    }
  }
  checkPublicSignals(
    actual,
    names.map((name) => expected[name]),
    circuitId === undefined ? { names } : { names, circuitId },
  );
}
