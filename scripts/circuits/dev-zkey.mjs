// INSECURE Groth16 zkey written directly from the known dev secrets (tau, alpha, beta of
// dev-ptau.mjs): anyone can forge proofs for a circuit set up with it. For benchmarks and tests.
//
// `snarkjs zkey new` (zkey_new.js, snarkjs 0.7.6) builds every point as a multiexp over the
// prepared ptau's Lagrange points. With tau known, each of those points is s * generator for a
// scalar s we can evaluate in the field, so the whole key is one fixed-base multiplication per
// point (fixed-base-g1.mjs on this thread, fixed-base-g2.mjs in a worker at the same time), and
// no ptau file is needed. The output is byte-identical to zkey new over the dev ptau
// of power `ptauPower` (tests/integration/dev-zkey.test.ts checks it), because:
//   - L_c = L_c(tau) over the circuit's domain (size n); zkey new adds one A row per public
//     signal and the constant one (rows nConstraints + s), so
//     a_s = sum_A coef * L_c (+ L_{m+s} for s <= nPublic), b_s = sum_B coef * L_c, c_s likewise;
//   - A = a_s G1, B1 = b_s G1, B2 = b_s G2, and with gamma = delta = 1 both IC (s <= nPublic) and
//     C (s > nPublic) are (beta a_s + alpha b_s + c_s) G1;
//   - H holds the odd points of the ptau's Lagrange part for 2n, and the circuit hash covers
//     tau^(n+i) G1 - tau^i G1 = tau^i (tau^n - 1) G1 instead (see hashHPoints for how many);
//   - the coefficient section stores each A/B coefficient times R^2 (R = 2^256 mod r).
// File layout: "zkey", version 1, 10 sections written in zkey new's order 1 2 4 3 9 8 5 6 7 10;
// section 10 is the blake2b-512 circuit hash and a contribution count of 0.
//
// Measured with bench/dev-setup.mjs (full kind, 2 shared cores at load 11-18, so slow in absolute
// terms): 2^16 43 s against 410 s for dev ptau + zkey new, 2^17 78 s against 964 s, 2^18
// 115 s against 1003 s, each byte-identical; direct only, 2^19 545 s (load 15 -> 12) and 2^20
// 183 s (load 9 -> 4: the load moves these figures more than the size does).
import { pow as powMod } from "@noble/curves/abstract/modular.js";
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { deriveSecret, lagrangeScalars } from "./dev-ptau.mjs";
import { createFixedBaseG1, windowBitsFor as g1WindowBits } from "./fixed-base-g1.mjs";
import { windowBitsFor as g2WindowBits } from "./fixed-base-g2.mjs";
import { circuitPower } from "./r1cs-header.mjs";
import { evaluateConstraints, FR_BYTES, readR1cs, writeFr } from "./r1cs-at-tau.mjs";

/**
 * Odd points of the Lagrange part for 2n, as preparePhase2 stores them for a ptau whose part 2n
 * has `available` tau powers: x (tau^(2n) - 1) / (2n (tau - x)) at x = w_2n^(2i+1), less
 * tau^(2n-1) x / 2n when the part is truncated (see lagrangeScalars in dev-ptau.mjs).
 */
function oddLagrangeScalars(Fr, tau, power, available) {
  const all = lagrangeScalars(Fr, tau, power + 1, available);
  const n = 2 ** power;
  const out = new Array(n);
  for (let i = 0; i < n; i++) out[i] = all[2 * i + 1];
  return out;
}

const SLICE = 1 << 16;

/**
 * Write one section of `count` points, taken SLICE at a time from `pointsAt(start, n)`, hashing
 * their uncompressed form as zkey new does (after a big-endian u32 count).
 */
async function writePoints(ctx, id, groupName, count, pointsAt, { hash = true } = {}) {
  const G = ctx.curve[groupName];
  const t0 = performance.now();
  ctx.sectionHeader(id, count * G.F.n8 * 2);
  if (hash) ctx.hashU32(count);
  for (let start = 0; start < count; start += SLICE) {
    const points = await pointsAt(start, Math.min(SLICE, count - start));
    ctx.put(points);
    if (hash) ctx.hasher.update(await G.batchLEMtoU(points));
  }
  ctx.log(`section ${id}: ${count} ${groupName} points, ${((performance.now() - t0) / 1000).toFixed(2)} s`);
}

/**
 * The circuit hash's H part. zkey new hashes tauG1[n+i] - tauG1[i] = tau^i (tau^n - 1) G, read
 * from the ptau in chunks of 2^14 points that it never trims to what is left, so from n = 2^15 on
 * it hashes n points, not the n - 1 it counts; and when the ptau has the circuit's power, the
 * last one reads tauG1[2n-1], one point past section 2: those 64 bytes are section 3's header
 * (id 3, size 2^P * 128) and the first 52 bytes of tauG2[0] = G2, taken as an affine point.
 */
async function hashHPoints(ctx, { tau, n, P, g1, g2Bytes }) {
  const { curve } = ctx;
  const p = curve.Fr.p;
  const CHUNK = 1 << 14;
  const count = Math.ceil((n - 1) / CHUNK) * Math.min(n - 1, CHUNK);
  const pastSection = n + count - 1 > 2 ** (P + 1) - 2;
  const regular = pastSection ? count - 1 : count;
  const scalars = new Array(regular);
  for (let i = 0, t = (powMod(tau, BigInt(n), p) - 1n + p) % p; i < regular; i++, t = (t * tau) % p) scalars[i] = t;
  ctx.hashU32(n - 1);
  for (let start = 0; start < regular; start += SLICE) {
    const points = await g1.mul(scalars.slice(start, start + SLICE));
    ctx.hasher.update(await curve.G1.batchLEMtoU(points));
  }
  if (pastSection) {
    const read = Buffer.alloc(64);
    read.writeUInt32LE(3, 0);
    read.writeBigUInt64LE(BigInt(2 ** P * g2Bytes.length), 4);
    read.set(g2Bytes.subarray(0, 52), 12);
    const tauN1G = await g1.mul([powMod(tau, BigInt(n - 1), p)]);
    const point = curve.G1.toAffine(curve.G1.sub(new Uint8Array(read), tauN1G));
    ctx.hasher.update(await curve.G1.batchLEMtoU(point));
  }
}

/**
 * s * G2 for every scalar in a worker thread of its own, so that the G2 points (the slowest, one
 * a signal) are made while this thread makes the G1 points. `stop()` ends the worker early.
 */
function g2PointsInWorker(generator, scalars, windowBits) {
  const url = new URL("./fixed-base-g2.mjs", import.meta.url).href;
  const code = `const { parentPort, workerData } = require("node:worker_threads");
import(${JSON.stringify(url)}).then(async ({ createFixedBaseG2 }) => {
  const fixedBase = await createFixedBaseG2(workerData.generator, { windowBits: workerData.windowBits });
  const out = await fixedBase.mul(workerData.scalars);
  parentPort.postMessage(out, [out.buffer]);
});`;
  const worker = new Worker(code, { eval: true, workerData: { generator, scalars, windowBits } });
  const points = new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`G2 worker exited (${code}) before its result`)));
  });
  points.catch(() => {}); // awaited later; a failure meanwhile must not go unhandled
  return { points, stop: () => worker.terminate() };
}

/**
 * Write the Groth16 zkey of an r1cs, equal byte for byte to `snarkjs zkey new` over the dev ptau
 * (dev-ptau.mjs) of power `ptauPower`. INSECURE: the secrets are public.
 * @param {object} curve snarkjs/ffjavascript bn128 curve (threaded)
 * @param {{ ptauPower?: number, log?: (msg: string) => void }} [opts] ptauPower defaults to the circuit's power
 * @returns {Promise<Uint8Array>} the circuit hash
 */
export async function writeDevZkey(curve, r1csPath, zkeyPath, { ptauPower, log = () => {} } = {}) {
  const { Fr } = curve;
  const p = Fr.p;
  const r1cs = readR1cs(r1csPath);
  if (r1cs.prime !== p) throw new Error(`${r1csPath}: not a bn128 circuit`);
  const power = circuitPower(r1cs);
  const P = ptauPower ?? power;
  if (P < power) throw new Error(`circuit needs power ${power}, ptau power is ${P}`);
  const n = 2 ** power;
  const nPublic = r1cs.nOutputs + r1cs.nPubInputs;
  const tau = deriveSecret(Fr, "tau");
  const alpha = deriveSecret(Fr, "alpha");
  const beta = deriveSecret(Fr, "beta");
  const R = (1n << BigInt(8 * FR_BYTES)) % p;

  log(`INSECURE dev zkey (known tau: anyone can forge proofs) for ${r1csPath}, power ${power}`);
  let t0 = performance.now();
  const L = lagrangeScalars(Fr, tau, power, n);
  const { a, b, c, coefs } = evaluateConstraints(r1cs, L, p, (R * R) % p);
  for (let s = 0; s < r1cs.nVars; s++) {
    a[s] %= p;
    b[s] %= p;
    c[s] = (beta * a[s] + alpha * b[s] + c[s]) % p;
  }
  log(`field evaluation: ${((performance.now() - t0) / 1000).toFixed(1)} s (${r1cs.nConstraints} constraints, ${r1cs.nVars} signals)`);

  const g2Bytes = new Uint8Array(curve.G2.F.n8 * 2);
  curve.G2.toRprLEM(g2Bytes, 0, curve.G2.g);
  const g2Worker = g2PointsInWorker(g2Bytes, b, g2WindowBits(r1cs.nVars));
  const g1Bytes = new Uint8Array(curve.G1.F.n8 * 2);
  curve.G1.toRprLEM(g1Bytes, 0, curve.G1.g);
  const g1Count = 2 * n + 3 * r1cs.nVars;
  let fd;
  let offset = 0;
  const ctx = {
    curve,
    log,
    hasher: createHash("blake2b512"),
    put(bytes) {
      writeSync(fd, bytes, 0, bytes.length, offset);
      offset += bytes.length;
    },
    sectionHeader(id, size) {
      const h = Buffer.alloc(12);
      h.writeUInt32LE(id, 0);
      h.writeBigUInt64LE(BigInt(size), 4);
      this.put(h);
    },
    hashU32(v) {
      const h = Buffer.alloc(4);
      h.writeUInt32BE(v, 0);
      this.hasher.update(h);
    },
  };
  try {
    const g1 = await createFixedBaseG1(g1Bytes, { windowBits: g1WindowBits(g1Count) });
    fd = openSync(zkeyPath, "w");
    const fileHead = Buffer.alloc(12);
    fileHead.write("zkey", 0, "latin1");
    fileHead.writeUInt32LE(1, 4);
    fileHead.writeUInt32LE(10, 8);
    ctx.put(fileHead);
    ctx.sectionHeader(1, 4);
    ctx.put(Buffer.from([1, 0, 0, 0])); // protocol: Groth16

        const groth = Buffer.alloc(4 + 32 + 4 + 32 + 12);
    groth.writeUInt32LE(32, 0);
    writeFr(groth, 4, curve.q);
    groth.writeUInt32LE(FR_BYTES, 36);
    writeFr(groth, 40, p);
    groth.writeUInt32LE(r1cs.nVars, 72);
    groth.writeUInt32LE(nPublic, 76);
    groth.writeUInt32LE(n, 80);
    const sG2 = g2Bytes.length;
    const beta2 = new Uint8Array(sG2);
    curve.G2.toRprLEM(beta2, 0, curve.G2.toAffine(curve.G2.timesScalar(curve.G2.g, beta)));
    const keyPoints = [await g1.mul([alpha]), await g1.mul([beta]), beta2, g2Bytes, g1Bytes, g2Bytes];
    const groups = ["G1", "G1", "G2", "G2", "G1", "G2"]; // alpha1 beta1 beta2 gamma2 delta1 delta2
    ctx.sectionHeader(2, groth.length + keyPoints.reduce((s, k) => s + k.length, 0));
    ctx.put(groth);
    for (let i = 0; i < keyPoints.length; i++) {
      ctx.put(keyPoints[i]);
      ctx.hasher.update(await curve[groups[i]].batchLEMtoU(keyPoints[i]));
    }

    ctx.sectionHeader(4, coefs.length);
    ctx.put(coefs);

    t0 = performance.now();
    const g1Section = (id, scalars, opts) => writePoints(ctx, id, "G1", scalars.length, (at, k) => g1.mul(scalars.slice(at, at + k)), opts);
    await g1Section(3, c.slice(0, nPublic + 1));
    await g1Section(9, oddLagrangeScalars(Fr, tau, power, Math.min(2 * n, 2 ** (P + 1) - 1)), { hash: false });
    await hashHPoints(ctx, { tau, n, P, g1, g2Bytes });
    await g1Section(8, c.slice(nPublic + 1));
    await g1Section(5, a);
    await g1Section(6, b);
    const t1 = performance.now();
    const B2 = await g2Worker.points;
    log(`G2 worker: waited ${((performance.now() - t1) / 1000).toFixed(2)} s after the G1 points`);
    await writePoints(ctx, 7, "G2", b.length, async (at, k) => B2.subarray(at * sG2, (at + k) * sG2));
    log(`points: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const csHash = ctx.hasher.digest();
    ctx.sectionHeader(10, csHash.length + 4);
    ctx.put(csHash);
    ctx.put(Buffer.alloc(4)); // no contributions
    return new Uint8Array(csHash);
  } finally {
    if (fd !== undefined) closeSync(fd);
    await g2Worker.stop();
  }
}
