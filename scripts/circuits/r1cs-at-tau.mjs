// An r1cs read whole and its three matrices evaluated at tau: for each signal s the sums
// sum coef * L_c(tau) over the constraints c where s appears in A, B and C, plus the coefficient
// section of the zkey that `snarkjs zkey new` writes (zkey_new.js, snarkjs 0.7.6). Used by
// dev-zkey.mjs.
import { readFileSync } from "node:fs";

export const FR_BYTES = 32;

function readFr(buf, at) {
  return buf.readBigUInt64LE(at) | (buf.readBigUInt64LE(at + 8) << 64n) | (buf.readBigUInt64LE(at + 16) << 128n) | (buf.readBigUInt64LE(at + 24) << 192n);
}

export function writeFr(buf, at, v) {
  for (let k = 0; k < 4; k++) buf.writeBigUInt64LE(BigInt.asUintN(64, v >> BigInt(64 * k)), at + 8 * k);
}

/** Header and the constraints section of an iden3 r1cs file. */
export function readR1cs(path) {
  const buf = readFileSync(path);
  if (buf.toString("latin1", 0, 4) !== "r1cs") throw new Error(`${path}: not an r1cs file`);
  let header;
  let constraints;
  let pos = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const type = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    const at = pos + 12;
    if (type === 1) {
      const n8 = buf.readUInt32LE(at);
      if (n8 !== FR_BYTES) throw new Error(`${path}: field elements of ${n8} bytes, expected ${FR_BYTES}`);
      const q = at + 4 + n8;
      header = {
        prime: readFr(buf, at + 4),
        nVars: buf.readUInt32LE(q),
        nOutputs: buf.readUInt32LE(q + 4),
        nPubInputs: buf.readUInt32LE(q + 8),
        nConstraints: buf.readUInt32LE(q + 24),
      };
    } else if (type === 2) {
      constraints = buf.subarray(at, at + size);
    }
    pos = at + size;
  }
  if (!header || !constraints) throw new Error(`${path}: missing header or constraints section`);
  return { ...header, constraints };
}

/**
 * Walk the constraints once: the per-signal sums a, b, c (unreduced) and zkey new's coefficient
 * section (matrix, row, signal, coef * R^2 for every A and B term, then the public rows), given
 * L[c] = L_c(tau) for every row of the domain. zkey new adds one A row per public signal and
 * the constant one (rows nConstraints + s, coefficient 1), and so does this.
 */
export function evaluateConstraints(r1cs, L, p, R2) {
  const { nVars, nConstraints, constraints: cs } = r1cs;
  const nPublic = r1cs.nOutputs + r1cs.nPubInputs;
  const sums = [new Array(nVars).fill(0n), new Array(nVars).fill(0n), new Array(nVars).fill(0n)];
  const maxTerms = Math.floor(cs.length / (4 + FR_BYTES)) + nPublic + 1;
  const coefs = Buffer.alloc(4 + maxTerms * (12 + FR_BYTES));
  let out = 4;
  let count = 0;
  const montCache = new Map();
  const push = (matrix, row, signal, coef) => {
    coefs.writeUInt32LE(matrix, out);
    coefs.writeUInt32LE(row, out + 4);
    coefs.writeUInt32LE(signal, out + 8);
    let mont = montCache.get(coef);
    if (mont === undefined) {
      mont = (coef * R2) % p;
      if (montCache.size < 4096) montCache.set(coef, mont);
    }
    writeFr(coefs, out + 12, mont);
    out += 12 + FR_BYTES;
    count++;
  };
  let pos = 0;
  for (let row = 0; row < nConstraints; row++) {
    const l = L[row];
    for (let matrix = 0; matrix < 3; matrix++) {
      const sum = sums[matrix];
      const terms = cs.readUInt32LE(pos);
      pos += 4;
      for (let t = 0; t < terms; t++) {
        const signal = cs.readUInt32LE(pos);
        const coef = readFr(cs, pos + 4);
        pos += 4 + FR_BYTES;
        sum[signal] += coef * l;
        if (matrix < 2) push(matrix, row, signal, coef);
      }
    }
  }
  for (let s = 0; s <= nPublic; s++) {
    sums[0][s] += L[nConstraints + s];
    push(0, nConstraints + s, s, 1n);
  }
  coefs.writeUInt32LE(count, 0);
  return { a: sums[0], b: sums[1], c: sums[2], coefs: coefs.subarray(0, out) };
}
