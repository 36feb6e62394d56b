/**
 * SHA-256 of artifact bytes, as lower-case hex.
 *
 * WebCrypto first: `crypto.subtle.digest` hashes natively and off the caller's synchronous path,
 * which matters for a 20 MB zkey on a page's main thread. `@noble/hashes` is the fallback for
 * insecure contexts (no `crypto.subtle`) and for views WebCrypto refuses (SharedArrayBuffer);
 * it is imported lazily so browsers that have WebCrypto never load it.
 */

export interface DigestOptions {
  /**
   * The WebCrypto implementation to use; `null` forces the pure-JS fallback.
   * @default globalThis.crypto?.subtle
   */
  readonly subtle?: SubtleCrypto | null;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of a byte string. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

/**
 * Lower-case hex SHA-256 of `bytes`. The input is never copied or modified.
 * @example const hex = await sha256Hex(zkeyBytes);
 */
export async function sha256Hex(bytes: Uint8Array, options: DigestOptions = {}): Promise<string> {
  const subtle = options.subtle === undefined ? globalThis.crypto?.subtle : options.subtle;
  if (subtle) {
    try {
      // The cast only narrows the TS buffer type; SharedArrayBuffer views reject and fall through.
      const digest = await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
      return toHex(new Uint8Array(digest));
    } catch {
      // fall back to the JS implementation below
    }
  }
  const { sha256 } = await import("@noble/hashes/sha2.js");
  return toHex(sha256(bytes));
}
