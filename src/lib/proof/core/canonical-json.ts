/**
 * Deterministic JSON for hashing: object keys sorted by code unit, bigints as decimal strings,
 * no whitespace. Two values that mean the same data give the same string, so a SHA-256 over it
 * is a stable identity (proof hashes, audit-chain links, cache keys).
 *
 * Stricter than `JSON.stringify` where silence would make two different values hash alike:
 * NaN/Infinity, functions, symbols and cycles throw instead of becoming `null` or vanishing.
 * `undefined` object properties are omitted (as JSON does), so `{a: undefined}` equals `{}`.
 */

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
