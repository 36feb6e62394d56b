/**
 * The circuit manifest (circuits/manifest.json): parse, validate, and turn into the engine's
 * `CircuitDefinition`s with artifact paths resolved against a base URL or directory.
 */
import { ArtifactInvalidError, ValidationError } from "../../core/errors.js";
import type { ArtifactRef, CircuitDefinition } from "../types.js";

export interface ManifestArtifact {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface ManifestCircuit {
  readonly id: string;
  readonly wasm: ManifestArtifact;
  readonly zkey: ManifestArtifact;
  readonly vkey: ManifestArtifact;
  readonly constraints?: number;
  /** Anything else (family, capacity, power, nPublic, publicSignals, committed, r1cs, ...). */
  readonly [extra: string]: unknown;
}

export interface CircuitManifest {
  readonly version: 1;
  readonly insecureDevSetup?: boolean;
  readonly warning?: string;
  readonly circuits: Readonly<Record<string, ManifestCircuit>>;
}

const SHA256 = /^[0-9a-f]{64}$/;
const ARTIFACTS = ["wasm", "zkey", "vkey"] as const;

function fail(field: string, message: string, value?: unknown): never {
  const shown = typeof value === "string" ? value.slice(0, 80) : typeof value === "number" || typeof value === "boolean" ? value : typeof value;
  throw new ValidationError(`Invalid circuit manifest: ${field} ${message}`, { details: { field, value: shown } });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseArtifact(value: unknown, field: string): ManifestArtifact {
  if (!isObject(value)) fail(field, "must be an object", value);
  const { path, bytes, sha256 } = value;
  if (typeof path !== "string" || path.length === 0) fail(`${field}.path`, "must be a non-empty string", path);
  if (typeof bytes !== "number" || !Number.isSafeInteger(bytes) || bytes <= 0) fail(`${field}.bytes`, "must be a positive integer", bytes);
  if (typeof sha256 !== "string" || !SHA256.test(sha256.toLowerCase())) fail(`${field}.sha256`, "must be 64 hex digits", sha256);
  return { path, bytes, sha256: sha256.toLowerCase() };
}

function parseCircuit(key: string, value: unknown): ManifestCircuit {
  const field = `circuits.${key}`;
  if (!isObject(value)) fail(field, "must be an object", value);
  const id = value.id ?? key;
  if (typeof id !== "string" || id.length === 0) fail(`${field}.id`, "must be a non-empty string", id);
  if (id !== key) fail(`${field}.id`, `must equal its key "${key}"`, id);
  const c = value.constraints;
  if (c !== undefined && (typeof c !== "number" || !Number.isSafeInteger(c) || c < 0)) {
    fail(`${field}.constraints`, "must be a non-negative integer", c);
  }
  const out: Record<string, unknown> = { ...value, id };
  for (const kind of ARTIFACTS) out[kind] = parseArtifact(value[kind], `${field}.${kind}`);
  return out as ManifestCircuit;
}

/**
 * Parse and validate a manifest (a JSON string or an already parsed value).
 * Throws ValidationError whose `details.field` names the offending field, e.g.
 * `circuits.ebsl-16.zkey.sha256`. SHA-256 hex is normalised to lower case.
 */
export function parseManifest(input: unknown): CircuitManifest {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ValidationError("Invalid circuit manifest: not JSON", { cause: error, details: { field: "(root)" } });
    }
  }
  if (!isObject(value)) fail("(root)", "must be an object", value);
  if (value.version !== 1) fail("version", "must be 1", value.version);
  if (value.insecureDevSetup !== undefined && typeof value.insecureDevSetup !== "boolean") {
    fail("insecureDevSetup", "must be a boolean", value.insecureDevSetup);
  }
  if (!isObject(value.circuits)) fail("circuits", "must be an object", value.circuits);
  const circuits: Record<string, ManifestCircuit> = {};
  for (const [key, c] of Object.entries(value.circuits)) circuits[key] = parseCircuit(key, c);
  if (Object.keys(circuits).length === 0) fail("circuits", "must not be empty");
  return { ...(value as object), version: 1, circuits } as CircuitManifest;
}

/** True for `scheme:` URLs (http:, https:, file:, blob:, data:), false for paths (incl. `C:\`). */
export function isAbsoluteUrl(url: string): boolean {
  return /^[a-z][a-z0-9+.-]+:/i.test(url);
}

/**
 * Resolve an artifact location against `base`: a URL (browsers, `file:` in Node) resolves by
 * URL rules (`base` is treated as a directory); a plain directory path joins with `/`.
 * Absolute URLs and absolute paths are returned unchanged; no base leaves `url` as is
 * (a browser's fetch then resolves it against the document).
 */
export function resolveArtifactUrl(url: string, base?: string | URL): string {
  if (base === undefined || isAbsoluteUrl(url)) return url;
  const b = String(base);
  if (isAbsoluteUrl(b)) return new URL(url, b.endsWith("/") ? b : `${b}/`).toString();
  if (url.startsWith("/") || /^[a-z]:[\\/]/i.test(url)) return url;
  return `${b.replace(/[\\/]+$/, "")}/${url.replace(/^\.\//, "")}`;
}

/**
 * The prover's circuit definitions for every circuit in `manifest`, artifact paths resolved
 * against `baseUrl` (the manifest's directory). Every field other than id, constraints and the
 * artifacts goes into `meta`, plus the manifest-level `insecureDevSetup` flag.
 * @example circuitsFromManifest(parseManifest(json), new URL("./circuits/", location.href))
 */
export function circuitsFromManifest(manifest: CircuitManifest, baseUrl?: string | URL): CircuitDefinition[] {
  return Object.values(manifest.circuits).map((c) => {
    const { id, wasm, zkey, vkey, constraints, ...rest } = c;
    const ref = (a: ManifestArtifact): ArtifactRef => ({ url: resolveArtifactUrl(a.path, baseUrl), bytes: a.bytes, sha256: a.sha256 });
    const meta: Record<string, unknown> = { ...rest };
    if (manifest.insecureDevSetup !== undefined) meta.insecureDevSetup = manifest.insecureDevSetup;
    const def: CircuitDefinition = { id, wasm: ref(wasm), zkey: ref(zkey), vkey: ref(vkey), meta };
    return constraints === undefined ? def : { ...def, constraints };
  });
}

/** A pinned vkey's bytes as its JSON object; ARTIFACT_INVALID when they are not one. */
export function parseVkey(bytes: Uint8Array, circuitId: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ArtifactInvalidError(`The pinned vkey of ${circuitId} is not JSON`, { cause: error, details: { circuitId, artifact: "vkey" } });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ArtifactInvalidError(`The pinned vkey of ${circuitId} is not a JSON object`, { details: { circuitId, artifact: "vkey" } });
  }
  return value as Record<string, unknown>;
}
