// s * G for many scalars s and one G2 generator: the comb of fixed-base-g1.mjs over Fp2.
//
// bn254.wasm exports batched affine additions for G1 only, but it exports Fp2 arithmetic one
// operation at a time (fp2_op on 72-byte internal elements), so the batch (Montgomery's trick:
// one inversion per chunk, about 6 multiplies an addition) is driven from here. Each operation is
// a wasm call; the call costs far less than the Fp2 multiply behind it.
//
// Points live in wasm memory in internal form (x, y: 144 bytes) with an infinity flag kept in
// JS; they enter from and leave to zkey form (G2.toRprLEM: 128 bytes, infinity all zeros).
import { combShape, combWasm } from "./fixed-base-wasm.mjs";

const EL = 72; // internal Fp2 element
const PT = 2 * EL;
const FF = 128; // zkey-form point
const ADD = 0, SUB = 1, MUL = 2, SQR = 3, INV = 5, CANON = 6;
const CHUNK = 4096; // pairs per shared inversion
const BATCH = 2048; // points per tree

/**
 * The window size for a job of `count` points. Measured at load 11 on 8,000 points: c = 8 (8K
 * table in 0.25 s) 148 us a point, c = 16 (1M table in 8.9 s) 87 us a point; ffjavascript's
 * 32-term multiexp of a table (mulGenerator in dev-ptau.mjs) 774 us a point on two threads.
 */
export function windowBitsFor(count) {
  return count >= 1 << 18 ? 16 : 8;
}

/**
 * @param {Uint8Array} generator the base point in zkey form (128 bytes)
 * @param {{ windowBits?: 8 | 16 }} [opts]
 */
export async function createFixedBaseG2(generator, { windowBits = 8 } = {}) {
  const { e, alloc } = await combWasm();
  const op = e.fp2_op;
  const { c, W, D } = combShape(windowBits);
  const table = alloc(W * D * PT);
  const tableInf = new Uint8Array(W * D).fill(1);
  const slots = Math.max(BATCH * W, W * D);
  const buf = alloc(slots * PT);
  const inf = new Uint8Array(slots);
  const den = alloc(CHUNK * EL);
  const suffix = alloc((CHUNK + 1) * EL);
  const [inv, lam, tmp, x3, zero] = [0, 1, 2, 3, 4].map(() => alloc(EL));
  const one = alloc(EL);
  const ffTmp = alloc(FF);
  // Views after the last allocation: growing memory detaches earlier ArrayBuffers.
  const heap = new Uint8Array(e.memory.buffer);
  const words = new Uint32Array(e.memory.buffer);
  const kind = new Uint8Array(CHUNK); // 0 add, 1 double, 2 take a, 3 take b, 4 infinity
  const isZero = (p) => {
    op(CANON, zero, p, 0);
    for (let i = zero >> 2, end = i + EL / 4; i < end; i++) if (words[i] !== 0) return false;
    return true;
  };
  {
    // 1 in Montgomery form (R mod q) as the real part, zero imaginary part.
    let r = (1n << 256n) % 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47n;
    heap.fill(0, ffTmp, ffTmp + 64);
    for (let i = 0; i < 32; i++, r >>= 8n) heap[ffTmp + i] = Number(r & 0xffn);
    e.fp2_from_ff(one, ffTmp);
  }
  const copy = (to, from, bytes) => heap.copyWithin(to, from, from + bytes);

  /**
   * For k < count: slot out[k] = slot a[k] + slot a[k]+1 (slots of `buf`, flags in `inf`).
   * Requires out[k] <= a[k] and out[k] below every later pair's inputs: the product pass runs
   * backwards (suffix products), so the forward writing pass never overwrites a pending input.
   */
  function batchAdd(a, out, count) {
    for (let start = 0; start < count; start += CHUNK) {
      const n = Math.min(CHUNK, count - start);
      copy(suffix + n * EL, one, EL);
      for (let k = n - 1; k >= 0; k--) {
        const i = a[start + k];
        const p = buf + i * PT;
        const dk = den + k * EL;
        let kd;
        if (inf[i]) kd = inf[i + 1] ? 4 : 3;
        else if (inf[i + 1]) kd = 2;
        else {
          op(SUB, dk, p + PT, p);
          if (!isZero(dk)) kd = 0;
          else {
            op(SUB, dk, p + PT + EL, p + EL);
            if (!isZero(dk)) kd = 4; // q = -p
            else {
              op(ADD, dk, p + EL, p + EL); // doubling: 2y
              kd = 1;
            }
          }
        }
        kind[k] = kd;
        if (kd <= 1) op(MUL, suffix + k * EL, suffix + (k + 1) * EL, dk);
        else copy(suffix + k * EL, suffix + (k + 1) * EL, EL);
      }
      op(INV, inv, suffix, 0);
      for (let k = 0; k < n; k++) {
        const i = a[start + k];
        const o = out[start + k];
        const p = buf + i * PT;
        const q = p + PT;
        const r = buf + o * PT;
        const kd = kind[k];
        if (kd >= 2) {
          if (kd === 4) inf[o] = 1;
          else {
            const keep = kd === 2 ? i : i + 1;
            if (keep !== o) copy(r, buf + keep * PT, PT);
            inf[o] = 0;
          }
          continue;
        }
        op(MUL, tmp, inv, suffix + (k + 1) * EL); // 1 / den_k
        op(MUL, inv, inv, den + k * EL);
        if (kd === 0) {
          op(SUB, lam, q + EL, p + EL);
          op(MUL, lam, lam, tmp); // (y2 - y1) / (x2 - x1)
        } else {
          op(SQR, lam, p, 0);
          op(ADD, x3, lam, lam);
          op(ADD, lam, x3, lam);
          op(MUL, lam, lam, tmp); // 3 x^2 / 2y
        }
        op(SQR, x3, lam, 0);
        op(SUB, x3, x3, p);
        op(SUB, x3, x3, q); // lam^2 - x1 - x2
        op(SUB, tmp, p, x3);
        op(MUL, tmp, tmp, lam);
        op(SUB, r + EL, tmp, p + EL); // lam (x1 - x3) - y1
        copy(r, x3, EL);
        inf[o] = 0;
      }
    }
  }

  const slot = (k) => buf + k * PT;
  const entry = (j, d) => table + (j * D + d) * PT;
  // Adjacent pairs (slots 2k, 2k+1 -> slot k), enough for every call below.
  const adjacent = { a: new Uint32Array(slots / 2), out: new Uint32Array(slots / 2) };
  for (let k = 0; k < slots / 2; k++) (adjacent.a[k] = 2 * k), (adjacent.out[k] = k);
  const addAdjacent = (count) => batchAdd(adjacent.a, adjacent.out, count);
  const toSlots = (k, from, fromInf) => {
    copy(slot(k), from, PT);
    inf[k] = fromInf;
  };

  // Table: window bases 2^(c j) G by c doublings each, then multiples by doubling the filled
  // range (entries m+1 .. 2m = entries 1 .. m plus entry m), the last D/2 - 1 likewise.
  heap.set(generator.subarray(0, 64), ffTmp);
  e.fp2_from_ff(entry(0, 1), ffTmp);
  heap.set(generator.subarray(64, 128), ffTmp);
  e.fp2_from_ff(entry(0, 1) + EL, ffTmp);
  tableInf[1] = 0;
  for (let j = 1; j < W; j++) {
    toSlots(0, entry(j - 1, 1), 0);
    for (let k = 0; k < c; k++) {
      toSlots(1, slot(0), inf[0]);
      addAdjacent(1);
    }
    copy(entry(j, 1), slot(0), PT);
    tableInf[j * D + 1] = inf[0];
  }
  const fill = (m, count) => {
    for (let j = 0; j < W; j++) {
      for (let i = 1; i <= count; i++) {
        const k = 2 * (j * count + i - 1);
        toSlots(k, entry(j, i), tableInf[j * D + i]);
        toSlots(k + 1, entry(j, m), tableInf[j * D + m]);
      }
    }
    addAdjacent(W * count);
    for (let j = 0; j < W; j++) {
      for (let i = 0; i < count; i++) {
        copy(entry(j, m + 1 + i), slot(j * count + i), PT);
        tableInf[j * D + m + 1 + i] = inf[j * count + i];
      }
    }
  };
  for (let m = 1; m < D / 2; m *= 2) fill(m, m);
  fill(D / 2, D / 2 - 1);

  const digits = Buffer.alloc(32);
  const outFf = new Uint8Array(FF);
  return {
    /** s * G for every scalar (bigints in 0 .. r-1), as one buffer of zkey-form points. */
    async mul(scalars) {
      const result = new Uint8Array(scalars.length * FF);
      for (let start = 0; start < scalars.length; start += BATCH) {
        const n = Math.min(BATCH, scalars.length - start);
        for (let i = 0; i < n; i++) {
          const s = scalars[start + i];
          for (let k = 0; k < 4; k++) digits.writeBigUInt64LE(BigInt.asUintN(64, s >> BigInt(64 * k)), 8 * k);
          for (let j = 0; j < W; j++) {
            const d = c === 16 ? digits.readUInt16LE(2 * j) : digits[j];
            toSlots(i * W + j, entry(j, d), tableInf[j * D + d]);
          }
        }
        for (let width = (n * W) / 2; width >= n; width /= 2) addAdjacent(width);
        for (let i = 0; i < n; i++) {
          if (inf[i]) continue; // infinity: zeros
          e.fp2_to_ff(ffTmp, slot(i));
          outFf.set(heap.subarray(ffTmp, ffTmp + 64), 0);
          e.fp2_to_ff(ffTmp, slot(i) + EL);
          outFf.set(heap.subarray(ffTmp, ffTmp + 64), 64);
          result.set(outFf, (start + i) * FF);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return result;
    },
  };
}
