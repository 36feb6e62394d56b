/**
 * Canonical encoding of circuit inputs: every value becomes a decimal string (bigint-safe on the
 * wire and in JSON), object keys are sorted, and anything that is not a field element is
 * rejected before work is queued. Two inputs that mean the same signals encode to the same
 * bytes, so the encoding can be hashed (proof cache keys, dedup).
 *
 * Field elements only: circom's witness runtime silently reduces every value modulo the BN254
 * scalar field p, so `p + 3`, `2^256 + 3` and `-3` would prove as if they were other (small)
 * values: a statement the caller never made. Values must be integers with 0 ≤ v < p.
 *
 * Keys must be circom signal names (identifiers). `__proto__`, `constructor` and `prototype` are
 * refused outright, and the output is a null-prototype object, so no key is ever silently
 * dropped or turned into a prototype.
 *
 * Errors are WITNESS_INPUT_INVALID (the same code the witness runtime's own input checks get),
 * name the signal and the field path, and never the value (inputs are private).
 */
import { WitnessInputError } from "../core/errors.js";
import type { CircuitInput, SignalValue } from "./types.js";
import type { WireInput, WireSignal } from "./pool/worker-protocol.js";

/** The BN254 scalar field order: circom and snarkjs reduce every signal modulo this. */
export const BN254_FIELD_ORDER = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const FIELD_DIGITS = BN254_FIELD_ORDER.toString(10).length;
const DECIMAL = /^\d+$/;
const SIGNAL_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/;
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** How deep signal arrays may nest (circom arrays are rarely more than 3-dimensional). */
const MAX_DEPTH = 8;

function reject(signal: string | undefined, field: string, reason: string): never {
  const where = signal === undefined ? "a key" : `"${field}"`;
  throw new WitnessInputError(`Invalid circuit input at ${where}: ${reason}.`, {
    details: { ...(signal === undefined ? {} : { signal }), field, reason },
  });
}

function inField(value: bigint, signal: string, field: string): string {
  if (value < 0n) reject(signal, field, "negative (signals are field elements in [0, p))");
  if (value >= BN254_FIELD_ORDER) reject(signal, field, "not below the BN254 field order p");
  return value.toString(10);
}

function canonicalValue(value: SignalValue, signal: string, field: string, depth: number): WireSignal {
  if (Array.isArray(value)) {
    if (depth >= MAX_DEPTH) reject(signal, field, `arrays nested deeper than ${MAX_DEPTH}`);
    return value.map((item, i) => canonicalValue(item, signal, `${field}[${i}]`, depth + 1));
  }
  switch (typeof value) {
    case "bigint":
      return inField(value, signal, field);
    case "number":
      if (!Number.isFinite(value)) reject(signal, field, "not a finite number");
      if (!Number.isInteger(value)) reject(signal, field, "not an integer");
      // Beyond 2^53 a number has already lost digits: the caller must pass a bigint or string.
      if (!Number.isSafeInteger(value)) reject(signal, field, "number beyond 2^53 (pass a bigint or decimal string)");
      return inField(BigInt(value), signal, field);
    case "string": {
      if (!DECIMAL.test(value)) reject(signal, field, "not a non-negative decimal integer string");
      // Leading zeros aside, more digits than p has is out of range: no need to parse them.
      const digits = value.replace(/^0+(?=\d)/, "");
      if (digits.length > FIELD_DIGITS) reject(signal, field, "not below the BN254 field order p");
      return inField(BigInt(digits), signal, field);
    }
    default:
      return reject(signal, field, `unsupported type ${value === null ? "null" : typeof value}`);
  }
}

/**
 * Encode a circuit input canonically: sorted keys, decimal strings, same array shapes.
 * @throws WitnessInputError (WITNESS_INPUT_INVALID) naming the signal and field path (e.g.
 *   `slots[3]`) for values outside [0, p), non-integers, NaN, unsafe numbers, non-decimal
 *   strings, unsupported types, and keys that are not signal names (`__proto__` included).
 * @example canonicalizeInput({ b: 2n, a: [1, "007"] }) // { a: ["1", "7"], b: "2" }
 */
export function canonicalizeInput(input: CircuitInput): WireInput {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new WitnessInputError("Circuit input must be an object of named signals.", { details: { field: "", reason: "not an object" } });
  }
  const out = Object.create(null) as WireInput;
  for (const key of Object.keys(input).sort()) {
    if (FORBIDDEN_KEYS.has(key)) reject(key, key, "not a signal name (reserved object key)");
    if (!SIGNAL_NAME.test(key)) reject(undefined, "(key)", "not a circom signal name");
    Object.defineProperty(out, key, { value: canonicalValue(input[key] as SignalValue, key, key, 0), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The canonical input as one JSON string: stable across key order and value spelling. */
export function canonicalInputJson(input: CircuitInput): string {
  return JSON.stringify(canonicalizeInput(input));
}
