/**
 * Canonical encoding of circuit inputs: every value becomes a decimal string (bigint-safe on the
 * wire and in JSON), object keys are sorted, and anything that is not an integer is rejected
 * before work is queued. Two inputs that mean the same signals encode to the same bytes, so the
 * encoding can be hashed (proof cache keys, dedup).
 *
 * Errors name the offending field path and why, never the value (inputs are private).
 */
import { ValidationError } from "../errors.js";
import type { CircuitInput, SignalValue } from "./types.js";
import type { WireInput, WireSignal } from "./worker-protocol.js";

const DECIMAL = /^-?\d+$/;

/** How deep signal arrays may nest (circom arrays are rarely more than 3-dimensional). */
const MAX_DEPTH = 8;

function reject(field: string, reason: string): never {
  throw new ValidationError(`Invalid circuit input at "${field}": ${reason}.`, { details: { field, reason } });
}

function canonicalValue(value: SignalValue, field: string, depth: number): WireSignal {
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) reject(field, `arrays nested deeper than ${MAX_DEPTH}`);
    return value.map((item, i) => canonicalValue(item, `${field}[${i}]`, depth + 1));
  }
  switch (typeof value) {
    case "bigint":
      return value.toString(10);
    case "number":
      if (!Number.isFinite(value)) reject(field, "not a finite number");
      if (!Number.isInteger(value)) reject(field, "not an integer");
      // Beyond 2^53 a number has already lost digits: the caller must pass a bigint or string.
      if (!Number.isSafeInteger(value)) reject(field, "number beyond 2^53 (pass a bigint or decimal string)");
      return BigInt(value).toString(10);
    case "string":
      if (!DECIMAL.test(value)) reject(field, "not a decimal integer string");
      return BigInt(value).toString(10);
    default:
      return reject(field, `unsupported type ${value === null ? "null" : typeof value}`);
  }
}

/**
 * Encode a circuit input canonically: sorted keys, decimal strings, same array shapes.
 * @throws ValidationError naming the field path (e.g. `slots[3]`) for non-integers, NaN,
 *   unsafe numbers, non-decimal strings, or unsupported types.
 * @example canonicalizeInput({ b: 2n, a: [1, "007"] }) // { a: ["1", "7"], b: "2" }
 */
export function canonicalizeInput(input: CircuitInput): WireInput {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ValidationError("Circuit input must be an object of named signals.", { details: { field: "", reason: "not an object" } });
  }
  const out: WireInput = {};
  for (const key of Object.keys(input).sort()) {
    out[key] = canonicalValue(input[key] as SignalValue, key, 0);
  }
  return out;
}

/** The canonical input as one JSON string: stable across key order and value spelling. */
export function canonicalInputJson(input: CircuitInput): string {
  return JSON.stringify(canonicalizeInput(input));
}
