/**
 * What crosses into a worker is plain data. `postMessage` clones with the structured-clone
 * algorithm, which refuses a Proxy: a result kept in a framework's reactive state (Svelte 5
 * `$state`, Vue's `reactive`, MobX) and handed back to the library failed deep inside comlink
 * with a DataCloneError. So values a caller hands in for a worker are copied here first into
 * fresh arrays and objects, which also detaches them from later edits by the caller; anything
 * that is not data (a function, a symbol, a class instance such as a Date or a Map) is refused
 * with a VALIDATION_ERROR that names its path, before any work is queued. Never the value: it
 * may be private.
 */
import { invalid } from "./option-checks.js";

/** Plain data as the library posts it: JSON-like values plus bigints and byte arrays. */
export type PlainData = string | number | boolean | bigint | null | undefined | Uint8Array | readonly PlainData[] | { readonly [key: string]: PlainData };

/** How deep a snapshot may go: proofs and circuit inputs are shallow; a cycle is not data. */
const MAX_DEPTH = 32;

function refuse(path: string, reason: string): never {
  return invalid(path, reason, { hint: "pass plain data (a framework's reactive state can be unwrapped first, e.g. Svelte's $state.snapshot)" });
}

function isPlainObject(value: object): boolean {
  // A Proxy reports its target's prototype: a reactive wrapper of a plain object passes here
  // and is then copied key by key through the proxy's own traps.
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function copy(value: unknown, path: string, depth: number): PlainData {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
    case "undefined":
      return value;
    case "function":
      return refuse(path, "is a function");
    case "symbol":
      return refuse(path, "is a symbol");
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH) refuse(path, `nests deeper than ${MAX_DEPTH} levels (or refers to itself)`);
  if (ArrayBuffer.isView(value)) {
    if (!(value instanceof Uint8Array)) refuse(path, "is a typed array other than Uint8Array");
    return (value as Uint8Array).slice();
  }
  if (Array.isArray(value)) return value.map((item, i) => copy(item, `${path}[${i}]`, depth + 1));
  const object = value as object;
  if (!isPlainObject(object)) refuse(path, `is a ${object.constructor?.name ?? "non-plain"} object`);
  const out: Record<string, PlainData> = {};
  for (const key of Object.keys(object)) {
    Object.defineProperty(out, key, { value: copy((object as Record<string, unknown>)[key], `${path}.${key}`, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * A plain, detached copy of `value` for posting to a worker, or a VALIDATION_ERROR naming the
 * first path that is not data (`field` is the root's name in that path).
 */
export function plainSnapshot<T>(value: T, field: string): T {
  return copy(value, field, 0) as T;
}
