/**
 * Validators shared by the facade's option resolvers: each throws a ValidationError that names
 * the option and echoes the bad value (options are configuration, never private inputs).
 */
import { ValidationError } from "../errors.js";

export function badOption(field: string, value: unknown, expected: string): never {
  const shown = typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : typeof value;
  throw new ValidationError(`Invalid ProofAPI option ${field} = ${shown} (expected ${expected})`, { details: { field } });
}

export function positiveIntOption(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) badOption(field, value, "an integer >= 1");
  return value;
}
