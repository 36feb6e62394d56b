/**
 * The blinding scalars r, s of a Groth16 proof. They must be uniform, secret and fresh for every
 * proof: two proofs sharing r and s leak the witness difference, so they come from a CSPRNG
 * on every call and are never cached. The source is injectable for tests only.
 */
import { BN254_R } from "../readers/zkey-groth16.js";

/** Returns `bytes` random bytes. @default crypto.getRandomValues */
export type RandomBytes = (bytes: number) => Uint8Array;

/** The default source: the platform CSPRNG (Web Crypto, in browsers and Node alike). */
export const cryptoRandomBytes: RandomBytes = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n));

/** Uniform in [1, r): 64 random bytes reduced mod r (bias below 2^-250), zero redrawn. */
export function randomFrScalar(random: RandomBytes = cryptoRandomBytes): bigint {
  for (;;) {
    const bytes = random(64);
    if (bytes.length < 64) throw new RangeError(`random source returned ${bytes.length} bytes, 64 requested`);
    let x = 0n;
    for (const b of bytes.subarray(0, 64)) x = (x << 8n) | BigInt(b);
    const s = x % BN254_R;
    if (s !== 0n) return s;
  }
}
