/**
 * How user ids compare (rate limits, allow and block lists).
 *
 * Decision: a `0x`-prefixed hex id (an Ethereum address, checksummed or not) is compared
 * case-insensitively, because EIP-55 mixed case is only a checksum over the same 20 bytes and a
 * dapp may pass either spelling. Any other id is compared exactly: its case may be meaningful.
 */
const HEX_ID = /^0[xX][0-9a-fA-F]+$/;

/** The comparison key of a user id. @example normalizeUserId("0xAbC") // "0xabc" */
export function normalizeUserId(userId: string): string {
  return HEX_ID.test(userId) ? userId.toLowerCase() : userId;
}
