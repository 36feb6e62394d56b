/**
 * The one canonical form of a user id, computed once at validation and used everywhere after
 * (allow and block lists, rate-limit buckets, audit entries, lifecycle events, `beforeQueue`).
 * Two spellings that a person would read as the same id must not get different treatment:
 * a blocked id spelled differently must stay blocked, and must not get a fresh rate-limit bucket.
 *
 * Rules, in order:
 * 1. a string of at most {@link MAX_RAW_USER_ID_LENGTH} UTF-16 units (checked before any
 *    Unicode work, so a multi-megabyte id costs nothing);
 * 2. Unicode NFKC (fullwidth `０ｘＡＢ` becomes `0xAB`, compatibility spaces become spaces), then
 *    surrounding whitespace trimmed; empty is refused;
 * 3. control, format (zero-width space/joiners, bidi marks, BOM), surrogate, private-use, line
 *    and paragraph separator characters are refused, as are invisible fillers and variation
 *    selectors: they make ids that look identical but compare different;
 * 4. a `0x` hex id (an Ethereum address, checksummed or not) becomes `0x` + its numeric value in
 *    lower-case hex without leading zeros (`0x000ABC`, `0XAbc` and `0xabc` are one id: EIP-55
 *    case is only a checksum and zero padding changes no value). Any other id keeps its case;
 * 5. at most {@link MAX_USER_ID_LENGTH} characters after all of this.
 */
import { invalid } from "../core/option-checks.js";

/** Longest accepted user id, in UTF-16 units, after canonicalisation. */
export const MAX_USER_ID_LENGTH = 256;

/** Longest raw input looked at (zero-padded hex may shrink a lot; nothing legitimate is longer). */
export const MAX_RAW_USER_ID_LENGTH = 1024;

const HEX_ID = /^0x([0-9a-f]+)$/i;
// Cc, Cf, Cs, Co, Zl, Zp; Hangul fillers, braille blank, combining grapheme joiner, Khmer
// inherent vowels, Mongolian free variation selectors, variation selectors (incl. supplement).
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\u115F\u1160\u3164\uFFA0\u2800\u034F\u17B4\u17B5\u180B-\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u;

/**
 * The canonical form of a user id (see the module comment), or a ValidationError naming
 * `field` and the rule; the id itself is never echoed.
 * @example canonicalUserId(" 0x000ABC ") // "0xabc"
 */
export function canonicalUserId(value: unknown, field = "userId"): string {
  if (typeof value !== "string") invalid(field, "must be a string");
  if (value.length > MAX_RAW_USER_ID_LENGTH) invalid(field, `must be at most ${MAX_USER_ID_LENGTH} characters`);
  const id = value.normalize("NFKC").trim();
  if (id.length === 0) invalid(field, "must be a non-empty string");
  if (INVISIBLE.test(id)) invalid(field, "must not contain control or invisible characters");
  const hex = HEX_ID.exec(id);
  const canonical = hex ? `0x${BigInt(`0x${hex[1]}`).toString(16)}` : id;
  if (canonical.length > MAX_USER_ID_LENGTH) invalid(field, `must be at most ${MAX_USER_ID_LENGTH} characters`);
  return canonical;
}

/**
 * The comparison key of a user id: its canonical form (idempotent, so ids that are already
 * canonical pass through unchanged). Throws ValidationError for an id that has none.
 * @example normalizeUserId("0xAbC") // "0xabc"
 */
export function normalizeUserId(userId: string): string {
  return canonicalUserId(userId);
}
