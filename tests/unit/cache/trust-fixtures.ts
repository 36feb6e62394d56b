/** Shared test helpers for the trust-layer tests. */
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import type { Groth16Proof } from "../../../src/lib/proof/engine/types.js";

export const PROOF: Groth16Proof = {
  pi_a: ["1", "2", "1"],
  pi_b: [["3", "4"], ["5", "6"], ["1", "0"]],
  pi_c: ["7", "8", "1"],
  protocol: "groth16",
  curve: "bn128",
};
export const SIGNALS = ["11", "22", "33"];

/** A clock that moves only when told; timers are not needed by the trust modules. */
export function fakeClock(start = 1_000, wallStart = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let mono = start;
  let wall = wallStart;
  return {
    now: () => mono,
    wallNow: () => wall,
    setTimeout: () => {
      throw new Error("timers are not used here");
    },
    clearTimeout: () => {},
    advance(ms: number) {
      mono += ms;
      wall += ms;
    },
  };
}

/** Deterministic random bytes (xorshift32), for salts and scalars. */
export function seededRandom(seed = 42): (n: number) => Uint8Array {
  let x = seed >>> 0 || 1;
  return (n) =>
    Uint8Array.from({ length: n }, () => {
      x ^= x << 13;
      x >>>= 0;
      x ^= x >>> 17;
      x ^= x << 5;
      x >>>= 0;
      return x & 0xff;
    });
}

/** A seeded float generator in [0, 1). */
export function seededFloats(seed = 7): () => number {
  const bytes = seededRandom(seed);
  return () => {
    const b = bytes(4);
    return (((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) / 2 ** 32;
  };
}
