/**
 * One attestation → one circuit slot, exactly as circuits/README.md ("Fixed-point format")
 * specifies. This is the only place floats become circuit integers, so validation uses the same
 * rounding (`toMicro`) to decide what the circuit can take.
 *
 * Source/target ids become field elements too (circuits/README.md, "Ids"). Hex ids are numbers
 * so an Ethereum address matches however it is cased or zero-padded; anything else is hashed.
 * 62 hex digits and 31 hash bytes are both 248 bits, safely below the BN254 scalar field, so no
 * id is ever reduced modulo the field.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { ValidationError } from "../core/errors.js";
import { MAX_BASE_RATE, R_BITS, S_BITS, SCALE, TIME_BITS, W, W_BITS } from "./fixed-point.js";
import type { Attestation, EncodedSlot } from "./types.js";

const HEX_ID = /^0x[0-9a-fA-F]{1,62}$/;
const ID_HASH_BYTES = 31;
const utf8 = new TextEncoder();

/** True when `id` is spelled as `0x` + 1..62 hex digits, i.e. it is taken as an integer. */
export function isHexId(id: string): boolean {
  return HEX_ID.test(id);
}

/**
 * The field element the circuit uses for a source or target id.
 *
 * - `0x` + 1..62 hex digits (either case) → that integer (`"0xAB"`, `"0xab"` and `"0x00ab"` are
 *   the same id; an Ethereum address is its uint160).
 * - anything else → the first 31 bytes of SHA-256(UTF-8 of `id`), big-endian (case-sensitive).
 *
 * @example idToField("0x2a") === 42n
 */
export function idToField(id: string): bigint {
  if (isHexId(id)) return BigInt(id);
  const digest = sha256(utf8.encode(id));
  let value = 0n;
  for (let i = 0; i < ID_HASH_BYTES; i++) value = (value << 8n) | BigInt(digest[i]!);
  return value;
}

/** Whether two ids denote the same circuit id (the circuit's `target == subject` test). */
export function sameId(a: string, b: string): boolean {
  return a === b || idToField(a) === idToField(b);
}

const MICRO = Number(SCALE);

/**
 * `round(x · 10^6)` as the contract means it: `Math.round`, i.e. halves round up, which for the
 * non-negative values used here is also "half away from zero".
 */
export function toMicro(x: number): number {
  return Math.round(x * MICRO);
}

function fail(field: string, reason: string): never {
  throw new ValidationError(`${field}: ${reason}`, { details: { field, reason } });
}

function micro(field: string, x: number): bigint {
  if (typeof x !== "number" || !Number.isFinite(x)) fail(field, "must be a finite number");
  return BigInt(toMicro(x));
}

function checkBits(field: string, value: bigint, bits: number): void {
  if (value < 0n || value >= 1n << BigInt(bits)) fail(field, `must fit in ${bits} bits`);
}

/**
 * Encode an attestation into the circuit's fixed-point slot:
 *
 * - `b̂ = round(b·10^6)`, `d̂ = round(d·10^6)`, `û = round(u·10^6)` (û ≥ 1 required)
 * - `r = floor(W·b̂·10^6 / û)`, `s = floor(W·d̂·10^6 / û)` (bigint, exact)
 * - `w = round(weight·10^6)`, `a = round(base_rate·10^6)`
 * - `created`, `expires` = the epoch-ms integers; `issuer`, `target` = `idToField` of the ids.
 *
 * Expects a validated attestation (see `validateAttestations`); if an integer would still fall
 * outside the circuit's ranges it throws a `ValidationError` naming the field (never the value).
 */
export function encodeAttestation(att: Attestation): EncodedSlot {
  const { belief, disbelief, uncertainty, base_rate } = att.opinion;
  const bHat = micro("opinion.belief", belief);
  const dHat = micro("opinion.disbelief", disbelief);
  const uHat = micro("opinion.uncertainty", uncertainty);
  if (uHat < 1n) fail("opinion.uncertainty", "must be at least 0.0000005 (a dogmatic opinion has infinite evidence)");
  if (bHat < 0n || dHat < 0n) fail("opinion", "belief and disbelief must be >= 0");
  if (!Number.isSafeInteger(att.created_at)) fail("created_at", "must be an integer");
  if (!Number.isSafeInteger(att.expires_at)) fail("expires_at", "must be an integer");

  const slot: EncodedSlot = {
    r: (W * bHat * SCALE) / uHat,
    s: (W * dHat * SCALE) / uHat,
    w: micro("weight", att.weight),
    a: micro("opinion.base_rate", base_rate),
    created: BigInt(att.created_at),
    expires: BigInt(att.expires_at),
    issuer: idToField(att.source),
    target: idToField(att.target),
  };
  // The circuit's range checks, reported in attestation terms.
  checkBits("opinion.belief", slot.r, R_BITS);
  checkBits("opinion.disbelief", slot.s, S_BITS);
  checkBits("weight", slot.w, W_BITS);
  if (slot.a < 0n || slot.a > MAX_BASE_RATE) fail("opinion.base_rate", "must be in [0, 1]");
  checkBits("created_at", slot.created, TIME_BITS);
  checkBits("expires_at", slot.expires, TIME_BITS);
  return slot;
}
