/**
 * Source/target ids as circuit field elements (circuits/README.md, "Ids").
 *
 * Hex ids are numbers so an Ethereum address matches however it is cased or zero-padded;
 * anything else is hashed. 62 hex digits and 31 hash bytes are both 248 bits, safely below the
 * BN254 scalar field, so no id is ever reduced modulo the field.
 */
import { sha256 } from "@noble/hashes/sha2.js";

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
