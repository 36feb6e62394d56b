/**
 * The option validators every constructor and resolver uses: each throws a ValidationError that
 * names the option and echoes the bad value (options are configuration, never private inputs).
 */
import { isDuration, MAX_DURATION_MS } from "./clock.js";
import { ValidationError } from "./errors.js";

export function badOption(field: string, value: unknown, expected: string): never {
  const shown =
    typeof value === "string" ? (value.length > 64 ? `${value.slice(0, 64)}…` : value) : typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
  throw new ValidationError(`Invalid option ${field} = ${shown} (expected ${expected})`, { details: { field } });
}

export function positiveIntOption(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) badOption(field, value, "an integer >= 1");
  return value;
}

/** A duration in whole ms in [min, 2^31 − 1]; `min` is 1 for budgets and windows, 0 for backoffs. */
export function durationOption(field: string, value: unknown, min: 0 | 1 = 1): number {
  if (!isDuration(value, min)) {
    badOption(field, value, `an integer number of ms in [${min}, ${MAX_DURATION_MS}]`);
  }
  return value;
}
