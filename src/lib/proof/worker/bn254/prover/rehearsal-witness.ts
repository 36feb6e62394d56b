/**
 * A stand-in witness for a rehearsal proof: a warm-up runs one throwaway proof on the prover it
 * just built, so that the first real proof finds the engine's code compiled by the optimising
 * tier and its memory grown. With the zkey already decoded and sliced by a warm-up, the first
 * proof's prove step still measured 1,000 ms against 579 for later ones in Chromium (ebsl-16, 2
 * threads): V8 runs a wasm function first on its baseline compiler and uses the optimised code
 * from a later call on, and a first proof grows its arena and touches those pages first.
 *
 * The values are not secret and not a satisfying assignment: the proof made from them is
 * discarded. They are full-width field elements (a fixed pseudo-random sequence below r) so the
 * MSMs take the path a real witness's large values take, signal 0 being 1 as in every witness.
 */
import { BN254_R } from "../readers/zkey-groth16.js";

const WTNS_MAGIC = [0x77, 0x74, 0x6e, 0x73]; // "wtns"

/** `.wtns` bytes (as circom writes them) of `nVars` deterministic values. */
export function rehearsalWitness(nVars: number): Uint8Array {
  const header = 4 + 32 + 4;
  const values = 32 * nVars;
  const bytes = new Uint8Array(12 + 12 + header + 12 + values);
  const view = new DataView(bytes.buffer);
  bytes.set(WTNS_MAGIC, 0);
  view.setUint32(4, 2, true);
  view.setUint32(8, 2, true);
  let at = 12;
  view.setUint32(at, 1, true);
  view.setBigUint64(at + 4, BigInt(header), true);
  at += 12;
  view.setUint32(at, 32, true);
  writeLe(bytes, at + 4, BN254_R);
  view.setUint32(at + 36, nVars, true);
  at += header;
  view.setUint32(at, 2, true);
  view.setBigUint64(at + 4, BigInt(values), true);
  at += 12;
  // xorshift32: a fixed, cheap sequence; the top byte is cleared so every value is below r.
  let x = 0x9e3779b9;
  for (let i = 0; i < nVars; i++) {
    const p = at + 32 * i;
    if (i === 0) {
      bytes[p] = 1;
      continue;
    }
    for (let j = 0; j < 32; j += 4) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      view.setUint32(p + j, x >>> 0, true);
    }
    bytes[p + 31] = 0;
  }
  return bytes;
}

function writeLe(bytes: Uint8Array, at: number, value: bigint): void {
  for (let i = 0; i < 32; i++) bytes[at + i] = Number((value >> BigInt(8 * i)) & 0xffn);
}
