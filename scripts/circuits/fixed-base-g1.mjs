// s * G for many scalars s and one G1 generator, on the project's bn254.wasm (its batched affine
// additions: Montgomery's trick, one shared inversion per 4096 additions).
//
// A comb: table[j][d] = d * 2^(c j) * G for every c-bit digit d of window j, so s * G is the sum
// of one table entry per window. The W entries of a batch of points are summed as a tree of
// batched additions (W/2, W/4, ... per point), every level one wasm call, so there is no
// per-point call overhead. Measured on one thread at load 11 (20,000 points, identical output):
// c = 8 (W = 32, 31 additions a point, 8K-point table built in 0.07 s) 50 us a point; c = 16
// (W = 16, 15 additions) 37 us a point after a 1M-point table built in 4.2 s, so it pays from
// about 2^18-2^19 points; ffjavascript's 32-term multiexp of a table took 209 us a point on two
// threads (mulGenerator in dev-ptau.mjs).
//
// Points are zkey form (G1.toRprLEM: affine x || y, Montgomery with R = 2^256, infinity all
// zeros), which is what g1_batch_add reads and writes.
import { combShape, combWasm } from "./fixed-base-wasm.mjs";

const POINT = 64;
/** Bytes of g1_batch_add's work space per pair (two 72-byte internal points, two u32 indices). */
const WORK_PER_PAIR = 2 * 72 + 2 * 4;
/** Its fixed part: the shared-inversion chunk (4096 pairs of two 36-byte elements and a byte). */
const WORK_FIXED = 4096 * 73 + 64;
const BATCH = 4096;

/** The window size for a job of `count` points: the big table only pays off on big jobs. */
export function windowBitsFor(count) {
  return count >= 1 << 19 ? 16 : 8;
}

/**
 * @param {Uint8Array} generator the base point in zkey form (64 bytes)
 * @param {{ windowBits?: 8 | 16 }} [opts]
 */
export async function createFixedBaseG1(generator, { windowBits = 16 } = {}) {
  const { e, alloc } = await combWasm();
  const { c, W, D } = combShape(windowBits);
  const table = alloc(W * D * POINT);
  const maxPairs = Math.max(BATCH * W / 2, W * D / 2);
  const ab = alloc(2 * maxPairs * POINT);
  const work = alloc(maxPairs * WORK_PER_PAIR + WORK_FIXED);
  e.bn_keep();
  const heap = () => new Uint8Array(e.memory.buffer);
  const entry = (j, d) => table + (j * D + d) * POINT;

  for (let j = 0; j < W; j++) heap().fill(0, entry(j, 0), entry(j, 0) + POINT); // digit 0: infinity
  // Window bases 2^(c j) G by doublings (one pair each: g1_batch_add doubles equal points).
  heap().set(generator, entry(0, 1));
  for (let j = 1; j < W; j++) {
    heap().copyWithin(ab, entry(j - 1, 1), entry(j - 1, 1) + POINT);
    for (let k = 0; k < c; k++) {
      heap().copyWithin(ab + POINT, ab, ab + POINT);
      e.g1_batch_add(ab, ab, 1, work);
    }
    heap().copyWithin(entry(j, 1), ab, ab + POINT);
  }
  // Multiples by doubling the filled range: entries m+1 .. 2m are entries 1 .. m plus entry m.
  for (let m = 1; m < D / 2; m *= 2) {
    const h = heap();
    for (let j = 0; j < W; j++) {
      for (let i = 1; i <= m; i++) {
        const pair = ab + 2 * ((j * m + i - 1) * POINT);
        h.copyWithin(pair, entry(j, i), entry(j, i) + POINT);
        h.copyWithin(pair + POINT, entry(j, m), entry(j, m) + POINT);
      }
    }
    e.g1_batch_add(ab, ab, W * m, work);
    for (let j = 0; j < W; j++) h.copyWithin(entry(j, m + 1), ab + j * m * POINT, ab + (j + 1) * m * POINT);
  }
  // The last entry (D - 1) of each window: D/2 - 1 entries were filled by the loop above up to D/2.
  {
    const h = heap();
    const count = D / 2 - 1;
    for (let j = 0; j < W; j++) {
      for (let i = 1; i <= count; i++) {
        const pair = ab + 2 * ((j * count + i - 1) * POINT);
        h.copyWithin(pair, entry(j, i), entry(j, i) + POINT);
        h.copyWithin(pair + POINT, entry(j, D / 2), entry(j, D / 2) + POINT);
      }
    }
    e.g1_batch_add(ab, ab, W * count, work);
    for (let j = 0; j < W; j++) h.copyWithin(entry(j, D / 2 + 1), ab + j * count * POINT, ab + (j + 1) * count * POINT);
  }

  const digits = Buffer.alloc(32);
  /** Points s * G (zkey form) for scalars already reduced below r, BATCH at a time. */
  function mulBatch(scalars, start, n, out, outAt) {
    const h = heap();
    for (let i = 0; i < n; i++) {
      const s = scalars[start + i];
      for (let k = 0; k < 4; k++) digits.writeBigUInt64LE(BigInt.asUintN(64, s >> BigInt(64 * k)), 8 * k);
      for (let j = 0; j < W; j++) {
        const d = c === 16 ? digits.readUInt16LE(2 * j) : digits[j];
        const from = entry(j, d);
        h.copyWithin(ab + (i * W + j) * POINT, from, from + POINT);
      }
    }
    for (let pairs = (n * W) / 2; pairs >= n; pairs /= 2) e.g1_batch_add(ab, ab, pairs, work);
    out.set(heap().subarray(ab, ab + n * POINT), outAt);
  }

  return {
    /**
     * s * G for every scalar (bigints in 0 .. r-1), as one buffer of zkey-form points. Yields to
     * the event loop between batches, so threaded work elsewhere keeps being scheduled.
     */
    async mul(scalars) {
      const out = new Uint8Array(scalars.length * POINT);
      for (let start = 0; start < scalars.length; start += BATCH) {
        mulBatch(scalars, start, Math.min(BATCH, scalars.length - start), out, start * POINT);
        await new Promise((resolve) => setImmediate(resolve));
      }
      return out;
    },
  };
}
