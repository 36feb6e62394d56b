/**
 * Groth16 verification on bn254, one proof or many. A batch is checked with ONE randomised
 * multi-pairing: each proof's equation
 *   e(-A, B) · e(vk_x, γ) · e(C, δ) · e(α, β) = 1
 * is raised to a fresh random 128-bit scalar r_j and the equations are multiplied, so that the
 * γ, δ and α·β pairings of a circuit merge into one each:
 *   Π_j e(-r_j·A_j, B_j) · e(Σ r_j·vk_x_j, γ) · e(Σ r_j·C_j, δ) · e((Σ r_j)·α, β) = 1
 * N + 3 Miller loops (per circuit in the batch) and one final exponentiation instead of 4N and N.
 * A batch holding a bad proof passes with probability at most 2^-128; when the product is not 1,
 * each proof is checked alone to name the bad ones. Σ r_j·vk_x_j is one multi-exponentiation:
 * (Σ r_j)·IC_0 + Σ_i (Σ_j r_j·s_ji)·IC_i.
 */
import { randomBytes } from "node:crypto";
import { buildBn128, Scalar, utils } from "ffjavascript";
import * as snarkjs from "snarkjs";

const { unstringifyBigInts } = utils;

let curvePromise;
/** The bn254 curve ffjavascript (and snarkjs) share in this process. */
export function bn254() {
  curvePromise ??= buildBn128();
  return curvePromise;
}

/**
 * Stop the process's bn254 curve helper threads (snarkjs's verify and the batch share one
 * curve), so the process can exit; the next verification builds it again.
 */
export async function releaseBn254() {
  if (curvePromise) await curvePromise.catch(() => undefined);
  curvePromise = undefined;
  await globalThis.curve_bn128?.terminate();
}

const randomScalar = () => {
  for (;;) {
    const r = BigInt(`0x${randomBytes(16).toString("hex")}`);
    if (r !== 0n) return r;
  }
};

/** One proof, exactly as snarkjs verifies it (malformed input is "not valid", never a throw). */
export async function verifyOne(vkey, publicSignals, proof) {
  try {
    return await snarkjs.groth16.verify(vkey, publicSignals, proof);
  } catch {
    return false;
  }
}

/** Parse one item's points and signals; undefined when it cannot be a valid proof. */
function prepare(curve, vkey, item) {
  try {
    const signals = unstringifyBigInts(item.publicSignals);
    if (signals.length !== vkey.nPublic) return undefined;
    if (!signals.every((s) => typeof s === "bigint" && s >= 0n && s < curve.r)) return undefined;
    const proof = unstringifyBigInts(item.proof);
    const A = curve.G1.fromObject(proof.pi_a);
    const B = curve.G2.fromObject(proof.pi_b);
    const C = curve.G1.fromObject(proof.pi_c);
    if (!curve.G1.isValid(A) || !curve.G2.isValid(B) || !curve.G1.isValid(C)) return undefined;
    return { A, B, C, signals };
  } catch {
    return undefined;
  }
}

const scalarBytes = (curve, values) => {
  const out = new Uint8Array(curve.Fr.n8 * values.length);
  values.forEach((v, i) => Scalar.toRprLE(out, curve.Fr.n8 * i, v, curve.Fr.n8));
  return out;
};

/** The product of one circuit's randomised equations: pairs to feed the multi-pairing. */
async function combinedPairs(curve, vkey, prepared) {
  const vk = unstringifyBigInts(vkey);
  const r = curve.r;
  const rs = prepared.map(randomScalar);
  const rSum = rs.reduce((a, b) => (a + b) % r, 0n);
  const coefficients = Array.from({ length: vk.nPublic }, (_, i) => prepared.reduce((acc, p, j) => (acc + rs[j] * p.signals[i]) % r, 0n));
  const n8 = curve.G1.F.n8 * 2;
  const ic = new Uint8Array(n8 * vk.nPublic);
  for (let i = 0; i < vk.nPublic; i++) ic.set(curve.G1.toAffine(curve.G1.fromObject(vk.IC[i + 1])), i * n8);
  let vkx = await curve.G1.multiExpAffine(ic, scalarBytes(curve, coefficients));
  vkx = curve.G1.add(vkx, curve.G1.timesScalar(curve.G1.fromObject(vk.IC[0]), rSum));
  const cs = new Uint8Array(n8 * prepared.length);
  prepared.forEach((p, j) => cs.set(curve.G1.toAffine(p.C), j * n8));
  const cSum = await curve.G1.multiExpAffine(cs, scalarBytes(curve, rs));
  const pairs = prepared.flatMap((p, j) => [curve.G1.neg(curve.G1.timesScalar(p.A, rs[j])), p.B]);
  pairs.push(vkx, curve.G2.fromObject(vk.vk_gamma_2));
  pairs.push(cSum, curve.G2.fromObject(vk.vk_delta_2));
  pairs.push(curve.G1.timesScalar(curve.G1.fromObject(vk.vk_alpha_1), rSum), curve.G2.fromObject(vk.vk_beta_2));
  return pairs;
}

/**
 * Verify `items` ({ vkey, proof, publicSignals }) together. Returns one boolean per item and
 * how the answer was reached: "batch" (one multi-pairing), or "fallback" (the product was not 1,
 * each remaining item was checked alone).
 */
export async function verifyBatch(items) {
  const curve = await bn254();
  const valid = items.map(() => false);
  const groups = new Map();
  items.forEach((item, index) => {
    const p = prepare(curve, item.vkey, item);
    if (!p) return;
    const group = groups.get(item.vkey) ?? [];
    group.push({ ...p, index });
    groups.set(item.vkey, group);
  });
  if (groups.size === 0) return { valid, method: "batch" };
  const pairs = [];
  for (const [vkey, prepared] of groups) pairs.push(...(await combinedPairs(curve, vkey, prepared)));
  if (await curve.pairingEq(...pairs)) {
    for (const prepared of groups.values()) for (const p of prepared) valid[p.index] = true;
    return { valid, method: "batch" };
  }
  for (const prepared of groups.values()) {
    for (const p of prepared) valid[p.index] = await verifyOne(items[p.index].vkey, items[p.index].publicSignals, items[p.index].proof);
  }
  return { valid, method: "fallback" };
}
