/**
 * Content hashes: a stable SHA-256 identity for data (`result.hash`, proof-cache keys,
 * audit-chain links), computed over canonical JSON.
 *
 * Canonical JSON: object keys sorted by code unit, bigints as decimal strings, no whitespace.
 * Two values that mean the same data give the same string, so a SHA-256 over it is a stable
 * identity. Stricter than `JSON.stringify` where silence would make two different values hash
 * alike: NaN/Infinity, functions, symbols and cycles throw instead of becoming `null` or
 * vanishing. `undefined` object properties are omitted (as JSON does), so `{a: undefined}`
 * equals `{}`.
 *
 * `result.hash` is a SHA-256 over (circuit id, proof, public signals): any change to a proof
 * coordinate, a public signal or the circuit id changes it. Synchronous (@noble/hashes) because
 * the inputs are a few hundred bytes.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

function fail(path: string, reason: string): never {
  // The path names a field, never its value: callers may hash private data.
  throw new TypeError(`canonicalJson: ${reason} at "${path || "<root>"}"`);
}

function encode(value: unknown, path: string, seen: Set<object>): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return JSON.stringify(value.toString(10));
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) fail(path, "non-finite number");
      // -0 and 0 are the same number for hashing purposes.
      return JSON.stringify(Object.is(value, -0) ? 0 : value);
    case "object": {
      if (value === null) return "null";
      if (seen.has(value)) fail(path, "cycle");
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        // Holes and undefined become null, as JSON arrays have no "missing" slot.
        out = `[${Array.from(value, (item, i) => (item === undefined ? "null" : encode(item, `${path}[${i}]`, seen))).join(",")}]`;
      } else if (ArrayBuffer.isView(value) || value instanceof Map || value instanceof Set || value instanceof Date) {
        fail(path, `unsupported ${value.constructor.name}`);
      } else {
        const record = value as Record<string, unknown>;
        const parts: string[] = [];
        for (const key of Object.keys(record).sort()) {
          const item = record[key];
          if (item === undefined) continue;
          parts.push(`${JSON.stringify(key)}:${encode(item, path ? `${path}.${key}` : key, seen)}`);
        }
        out = `{${parts.join(",")}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      return fail(path, `unsupported ${typeof value}`);
  }
}

/**
 * Canonical JSON text of `value`.
 * @throws TypeError naming the field path for non-finite numbers, functions, symbols,
 *   `undefined` at the root, typed arrays, Maps, Sets, Dates and cycles.
 * @example canonicalJson({ b: 2n, a: [1, "x"] }) // '{"a":[1,"x"],"b":"2"}'
 */
export function canonicalJson(value: unknown): string {
  return encode(value, "", new Set());
}

/**
 * The fields of a Groth16 proof that verification reads, and so the only ones hashed (any
 * `Groth16Proof` fits: the hash depends on no engine type).
 */
export interface HashedGroth16Proof {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
  readonly protocol: string;
  readonly curve: string;
}

const encoder = new TextEncoder();

/** Lower-case hex SHA-256 of a UTF-8 string. */
export function sha256HexSync(text: string): string {
  return bytesToHex(sha256(encoder.encode(text)));
}

/**
 * The canonical JSON text that is hashed: sorted keys, no whitespace, only the fields
 * verification reads (extra properties on the proof object do not change it), and a version tag
 * so the encoding can change later without silently colliding with old hashes.
 */
export function resultHashPreimage(circuitId: string, proof: HashedGroth16Proof, publicSignals: readonly string[]): string {
  return canonicalJson({
    v: 1,
    circuitId,
    proof: { pi_a: proof.pi_a, pi_b: proof.pi_b, pi_c: proof.pi_c, protocol: proof.protocol, curve: proof.curve },
    publicSignals,
  });
}

/**
 * Hash of a proof result (`result.hash`): the one implementation, used by the facade, the cache
 * and its tamper checks.
 * @example const hash = resultHash("ebsl-16", result.proof, result.publicSignals);
 */
export function resultHash(circuitId: string, proof: HashedGroth16Proof, publicSignals: readonly string[]): string {
  return sha256HexSync(resultHashPreimage(circuitId, proof, publicSignals));
}

/** Something carrying a claimed hash of its own proof. */
export interface HashedProof {
  readonly circuitId: string;
  readonly proof: HashedGroth16Proof;
  readonly publicSignals: readonly string[];
  readonly hash: string;
}

/** True when `entry.hash` matches its circuit id, proof and public signals. Never throws. */
export function hasValidProofHash(entry: HashedProof): boolean {
  try {
    return resultHash(entry.circuitId, entry.proof, entry.publicSignals) === entry.hash;
  } catch {
    return false;
  }
}
