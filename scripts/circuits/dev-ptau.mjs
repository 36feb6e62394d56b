// INSECURE deterministic "powers of tau" for development builds.
//
// tau, alpha and beta are derived from a public seed string, so anyone can forge proofs for
// circuits set up with this file. What it buys: a prepared ptau in seconds instead of the hour
// `snarkjs powersoftau prepare phase2` needs at 2^16 (measured here), and byte-for-byte
// reproducible artifacts in CI.
//
// Because tau is known, every point is a scalar multiple of a generator, so we compute directly
// what `snarkjs zkey new` (zkey_new.js, snarkjs 0.7.6) reads from a prepared ptau of power P:
//   section 1        header
//   section 2        tauG1[0 .. 2^(P+1)-2]      (only hashed into the circuit hash)
//   sections 4, 5, 6 alpha*G1, beta*G1, beta*G2 (index 0 only)
//   sections 12-15   Lagrange parts for power P (L_i(tau)*G1, L_i(tau)*G2, alpha*L_i*G1, beta*L_i*G1)
//   section 12       part P+1 (H query: zkey new uses its odd points)
// Every other section has its exact snarkjs size but stays zero (a sparse file); zkey new never
// reads it. `full: true` fills everything, which the self-test compares byte for byte with
// snarkjs's own preparePhase2 run on our sections 2-7 (scripts/circuits/selftest-ptau.mjs).
import { createHash } from "node:crypto";
import { openSync, writeSync, ftruncateSync, closeSync } from "node:fs";

export const DEV_PTAU_SEED = "proofline insecure dev powers of tau v1";

const SECTION_IDS = [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15];

/** Field element derived from the seed; never zero in practice. */
export function deriveSecret(Fr, label) {
  const digest = createHash("sha256").update(`${DEV_PTAU_SEED}/${label}`).digest("hex");
  return BigInt(`0x${digest}`) % Fr.p;
}

const mod = (x, p) => ((x % p) + p) % p;

function powMod(b, e, p) {
  let r = 1n;
  b = mod(b, p);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % p;
    b = (b * b) % p;
    e >>= 1n;
  }
  return r;
}

function batchInverse(values, p) {
  const prefix = new Array(values.length);
  let acc = 1n;
  for (let i = 0; i < values.length; i++) {
    prefix[i] = acc;
    acc = (acc * values[i]) % p;
  }
  let inv = powMod(acc, p - 2n, p);
  const out = new Array(values.length);
  for (let i = values.length - 1; i >= 0; i--) {
    out[i] = (inv * prefix[i]) % p;
    inv = (inv * values[i]) % p;
  }
  return out;
}

/**
 * Scalars of snarkjs's Lagrange part q: the inverse FFT (ffjavascript convention, root
 * Fr.w[q]) of [tau^0 .. tau^(m-1), 0 ...] with m = min(2^q, available tau powers).
 * For m = 2^q that is L_i(tau) = w^i (tau^n - 1) / (n (tau - w^i)); preparePhase2 builds part
 * P+1 from the 2^(P+1)-1 stored powers, so it lacks the tau^(n-1) term: subtract tau^(n-1) w^i / n.
 */
export function lagrangeScalars(Fr, tau, q, available) {
  const p = Fr.p;
  const n = 1 << q;
  const w = Fr.toObject(Fr.w[q]);
  const nodes = new Array(n);
  let wi = 1n;
  for (let i = 0; i < n; i++) {
    nodes[i] = wi;
    wi = (wi * w) % p;
  }
  const invDiff = batchInverse(nodes.map((x) => mod(tau - x, p)), p);
  const nInv = powMod(BigInt(n), p - 2n, p);
  const c = (mod(powMod(tau, BigInt(n), p) - 1n, p) * nInv) % p;
  const missing = available < n ? (powMod(tau, BigInt(n - 1), p) * nInv) % p : 0n;
  if (available < n - 1) throw new Error("lagrangeScalars: unsupported truncation");
  return nodes.map((x, i) => mod((((c * x) % p) * invDiff[i]) % p - ((missing * x) % p), p));
}

function scalarsToBytes(scalars, offset, count) {
  const buf = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) {
    let v = scalars[offset + i];
    for (let b = 0; b < 32; b++) {
      buf[i * 32 + b] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  return buf;
}

// Fixed-base comb: table[j][d] = d * 2^(8j) * generator (32 windows of 8 bits). A scalar's
// point is the sum of one table entry per window, which we hand to the wasm multiexp with
// scalars of 1 (0 for an empty window): one wasm call per point instead of timesScalar's ~380
// doublings and additions. Measured about 5x faster; the thread manager costs ~4 us per call,
// so one call per point matters as much as the arithmetic.
const WINDOWS = 32;
const WINDOW_SIZE = 256;
const tableCache = new WeakMap();
function windowTable(curve, groupName) {
  let perCurve = tableCache.get(curve);
  if (!perCurve) tableCache.set(curve, (perCurve = {}));
  if (perCurve[groupName]) return perCurve[groupName];
  const G = curve[groupName];
  const sIn = G.F.n8 * 2;
  const table = new Uint8Array(WINDOWS * WINDOW_SIZE * sIn);
  let windowBase = G.g;
  for (let j = 0; j < WINDOWS; j++) {
    let acc = G.zero;
    for (let d = 0; d < WINDOW_SIZE; d++) {
      G.toRprLEM(table, (j * WINDOW_SIZE + d) * sIn, G.toAffine(acc));
      acc = G.add(acc, windowBase);
    }
    windowBase = acc; // 256 * previous base
  }
  perCurve[groupName] = table;
  return table;
}

/** scalar_i * generator for every scalar, as snarkjs LEM affine points, on the curve's threads. */
export async function mulGenerator(curve, groupName, scalars) {
  const G = curve[groupName];
  const sIn = G.F.n8 * 2;
  const sMid = G.F.n8 * 3;
  const fn = groupName === "G1" ? "g1m" : "g2m";
  const table = windowTable(curve, groupName);
  const out = new Uint8Array(scalars.length * sIn);
  const CHUNK = 2048;
  const jobs = [];
  for (let start = 0; start < scalars.length; start += CHUNK) {
    const n = Math.min(CHUNK, scalars.length - start);
    const digits = scalarsToBytes(scalars, start, n);
    const bases = new Uint8Array(n * WINDOWS * sIn);
    const ones = new Uint8Array(n * WINDOWS);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < WINDOWS; j++) {
        const d = digits[i * 32 + j];
        if (d === 0) continue;
        const from = (j * WINDOW_SIZE + d) * sIn;
        bases.set(table.subarray(from, from + sIn), (i * WINDOWS + j) * sIn);
        ones[i * WINDOWS + j] = 1;
      }
    }
    const task = [
      { cmd: "ALLOCSET", var: 0, buff: bases },
      { cmd: "ALLOCSET", var: 1, buff: ones },
      { cmd: "ALLOC", var: 2, len: n * sMid },
    ];
    for (let i = 0; i < n; i++) {
      task.push({
        cmd: "CALL",
        fnName: `${fn}_multiexpAffine`,
        params: [{ var: 0, offset: i * WINDOWS * sIn }, { var: 1, offset: i * WINDOWS }, { val: 1 }, { val: WINDOWS }, { var: 2, offset: i * sMid }],
      });
    }
    task.push({ cmd: "CALL", fnName: `${fn}_batchToAffine`, params: [{ var: 2 }, { val: n }, { var: 2 }] });
    task.push({ cmd: "GET", out: 0, var: 2, len: n * sIn });
    jobs.push(curve.tm.queueAction(task).then((res) => out.set(res[0], start * sIn)));
  }
  await Promise.all(jobs);
  return out;
}

function geometric(first, ratio, count, p) {
  const out = new Array(count);
  let v = first;
  for (let i = 0; i < count; i++) {
    out[i] = v;
    v = (v * ratio) % p;
  }
  return out;
}

/**
 * Write a prepared ptau of the given power to `path`.
 * @param {object} curve snarkjs/ffjavascript bn128 curve (threaded)
 * @param {{ power: number, full?: boolean, log?: (msg: string) => void }} opts
 */
export async function writeDevPtau(curve, path, { power, full = false, log = () => {} }) {
  const { Fr } = curve;
  const p = Fr.p;
  const tau = deriveSecret(Fr, "tau");
  const alpha = deriveSecret(Fr, "alpha");
  const beta = deriveSecret(Fr, "beta");
  const sG1 = curve.G1.F.n8 * 2;
  const sG2 = curve.G2.F.n8 * 2;
  const N = 2 ** power;
  const lagrangePoints = (maxPart) => 2 ** (maxPart + 1) - 1;

  const sizes = {
    1: 4 + curve.F1.n8 + 8,
    2: (2 * N - 1) * sG1,
    3: N * sG2,
    4: N * sG1,
    5: N * sG1,
    6: sG2,
    7: 4,
    12: lagrangePoints(power + 1) * sG1,
    13: lagrangePoints(power) * sG2,
    14: lagrangePoints(power) * sG1,
    15: lagrangePoints(power) * sG1,
  };
  const offsets = {};
  let pos = 12;
  for (const id of SECTION_IDS) {
    offsets[id] = pos + 12;
    pos += 12 + sizes[id];
  }
  const fd = openSync(path, "w");
  try {
    ftruncateSync(fd, pos);
    const put = (bytes, at) => writeSync(fd, bytes, 0, bytes.length, at);
    const head = Buffer.alloc(12);
    head.write("ptau", 0, "latin1");
    head.writeUInt32LE(1, 4);
    head.writeUInt32LE(SECTION_IDS.length, 8);
    put(head, 0);
    for (const id of SECTION_IDS) {
      const h = Buffer.alloc(12);
      h.writeUInt32LE(id, 0);
      h.writeBigUInt64LE(BigInt(sizes[id]), 4);
      put(h, offsets[id] - 12);
    }
    const header = Buffer.alloc(sizes[1]);
    header.writeUInt32LE(curve.F1.n8, 0);
    let q = curve.q;
    for (let i = 0; i < curve.F1.n8; i++) {
      header[4 + i] = Number(q & 0xffn);
      q >>= 8n;
    }
    header.writeUInt32LE(power, 4 + curve.F1.n8);
    header.writeUInt32LE(power, 8 + curve.F1.n8);
    put(header, offsets[1]);
    // Section 7 (contributions): a count of 0, left as zeros by ftruncate.

    const tauPowers = geometric(1n, tau, 2 * N - 1, p);
    log(`tauG1: ${tauPowers.length} points`);
    put(await mulGenerator(curve, "G1", tauPowers), offsets[2]);
    const firstOnly = full ? N : 1;
    put(await mulGenerator(curve, "G2", tauPowers.slice(0, firstOnly)), offsets[3]);
    put(await mulGenerator(curve, "G1", tauPowers.slice(0, firstOnly).map((t) => (t * alpha) % p)), offsets[4]);
    put(await mulGenerator(curve, "G1", tauPowers.slice(0, firstOnly).map((t) => (t * beta) % p)), offsets[5]);
    put(await mulGenerator(curve, "G2", [beta]), offsets[6]);

    const parts = full ? Array.from({ length: power + 2 }, (_, i) => i) : [power, power + 1];
    for (const part of parts) {
      const n = 2 ** part;
      const at = (n - 1);
      const L = lagrangeScalars(Fr, tau, part, Math.min(n, 2 * N - 1));
      log(`lagrange part ${part}: ${n} points${part <= power ? " x4 sections" : ""}`);
      put(await mulGenerator(curve, "G1", L), offsets[12] + at * sG1);
      if (part > power) continue;
      put(await mulGenerator(curve, "G2", L), offsets[13] + at * sG2);
      put(await mulGenerator(curve, "G1", L.map((l) => (l * alpha) % p)), offsets[14] + at * sG1);
      put(await mulGenerator(curve, "G1", L.map((l) => (l * beta) % p)), offsets[15] + at * sG1);
    }
  } finally {
    closeSync(fd);
  }
}
