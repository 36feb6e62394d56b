/**
 * The one builder of a ValidationError, and the option validators built on it. Every error
 * names the field (`details.field`) and says what was expected (`details.reason`); a value is
 * echoed only where the caller asks (options are configuration; a request's inputs and user ids
 * are never echoed).
 */
import { isDuration, MAX_DURATION_MS } from "./clock.js";
import { ValidationError, type ErrorDetails } from "./errors.js";

export interface InvalidExtras {
  /** Shown in the message (configuration only, never private inputs). */
  readonly value?: unknown;
  /** The list position at fault (attestations); `null` when the field is not in a list. */
  readonly index?: number | null;
  readonly cause?: unknown;
  /** Said after the reason in the message only: how to fix it. */
  readonly hint?: string;
  /** More details of the refusal (counts, ids). */
  readonly details?: ErrorDetails;
}

function shown(value: unknown): string {
  if (typeof value === "string") return value.length > 64 ? `${value.slice(0, 64)}…` : value;
  return typeof value === "number" || typeof value === "boolean" || typeof value === "bigint" ? String(value) : typeof value;
}

/**
 * The ValidationError refusing `field`: `"<field>: <reason>"`, or `"<field> = <value>: <reason>"`
 * when `extras.value` is given. The one place such an error is made.
 */
export function validationError(field: string, reason: string, extras: InvalidExtras = {}): ValidationError {
  const echo = "value" in extras ? ` = ${shown(extras.value)}` : "";
  return new ValidationError(`${field}${echo}: ${reason}${extras.hint !== undefined ? `; ${extras.hint}` : ""}`, {
    ...(extras.cause !== undefined ? { cause: extras.cause } : {}),
    details: { index: extras.index ?? null, field, reason, ...extras.details },
  });
}

/**
 * Throw {@link validationError}.
 * @example invalid("priority", "must be 0..3 (ProofPriority)")
 */
export function invalid(field: string, reason: string, extras: InvalidExtras = {}): never {
  throw validationError(field, reason, extras);
}

/** A refused option, its value echoed: `"<field> = <value>: expected <expected>"`. */
export function badOption(field: string, value: unknown, expected: string): never {
  return invalid(field, `expected ${expected}`, { value });
}

/** A count: a safe integer >= 1. */
export function isPositiveInteger(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 1;
}

export function positiveIntOption(field: string, value: unknown): number {
  if (!isPositiveInteger(value)) badOption(field, value, "an integer >= 1");
  return value;
}

/** A duration in whole ms in [min, 2^31 − 1]; `min` is 1 for budgets and windows, 0 for backoffs. */
export function durationOption(field: string, value: unknown, min: 0 | 1 = 1): number {
  if (!isDuration(value, min)) badOption(field, value, `an integer number of ms in [${min}, ${MAX_DURATION_MS}]`);
  return value;
}
