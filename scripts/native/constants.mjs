// Derives every numeric constant the BN254 C sources need from the two primes and writes
// native/bn254/constants.h. Deriving them (instead of pasting hex from elsewhere) means a wrong
// digit cannot hide: the build regenerates the header and a diff would show.
//
// Representation (see native/bn254/DESIGN.md): an element is 9 limbs of 29 bits, little-endian,
// in Montgomery form with R = 2^261. ffjavascript and snarkjs zkeys use Montgomery form with
// R = 2^256 on 32-byte little-endian words, hence the two conversion factors FROM_FF and TO_FF.
import { writeFileSync } from "node:fs";

export const P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const LIMBS = 9;
const BITS = 29;
const MASK = (1n << 29n) - 1n;

const mod = (a, m) => ((a % m) + m) % m;
function pow(b, e, m) {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const inv = (a, m) => pow(a, m - 2n, m); // m prime
// Inverse modulo a power of two (not prime, so not Fermat): Newton iteration x <- x(2 - ax).
function invPow2(a, bits) {
  const m = 1n << BigInt(bits);
  let x = 1n;
  for (let i = 0; i < 6; i++) x = mod(x * (2n - a * x), m);
  if (mod(a * x, m) !== 1n) throw new Error("not invertible");
  return x;
}
const limbs = (x) => Array.from({ length: LIMBS }, (_, i) => (x >> BigInt(BITS * i)) & MASK);
const words32 = (x, n) => Array.from({ length: n }, (_, i) => (x >> BigInt(32 * i)) & 0xffffffffn);
const hex = (v) => `0x${v.toString(16).padStart(8, "0")}`;
const arr = (name, xs) => `#define ${name}_INIT { ${xs.map(hex).join(", ")} }`;

function fieldBlock(tag, m) {
  const rMont = 1n << 261n;
  return [
    `/* ${tag}: modulus ${m} */`,
    arr(`${tag}_MOD`, limbs(m)),
    arr(`${tag}_MOD2`, limbs(2n * m)),
    `#define ${tag}_MU ${hex(mod(-invPow2(m, 29), 1n << 29n))}u /* -m^-1 mod 2^29 */`,
    arr(`${tag}_ONE`, limbs(rMont % m)),
    arr(`${tag}_R2`, limbs((rMont * rMont) % m)),
    arr(`${tag}_FROM_FF`, limbs(pow(2n, 266n, m))),
    arr(`${tag}_TO_FF`, limbs(pow(2n, 256n, m))),
    arr(`${tag}_MOD32`, words32(m, 8)),
    arr(`${tag}_EXP_INV`, words32(m - 2n, 8)),
  ];
}

// Affine arithmetic on y^2 = x^3 + 3 over Fp with bigints: only used here, to pick the cube
// root of unity beta in Fp that matches lambda in Fr on the generator (phi(G) = lambda*G).
function addAff(a, b) {
  if (!a) return b;
  if (!b) return a;
  if (a[0] === b[0] && mod(a[1] + b[1], P) === 0n) return null;
  const l = a[0] === b[0] ? mod(3n * a[0] * a[0] * inv(2n * a[1], P), P) : mod((b[1] - a[1]) * inv(b[0] - a[0], P), P);
  const x = mod(l * l - a[0] - b[0], P);
  return [x, mod(l * (a[0] - x) - a[1], P)];
}
function mulAff(p, k) {
  let acc = null;
  for (let q = p; k > 0n; k >>= 1n, q = addAff(q, q)) if (k & 1n) acc = addAff(acc, q);
  return acc;
}

function glvBlock() {
  // Cube roots of unity: w = g^((m-1)/3) for a non-residue-of-order-3 base.
  const rootOf = (m) => {
    for (let g = 2n; ; g++) {
      const w = pow(g, (m - 1n) / 3n, m);
      if (w !== 1n) return w;
    }
  };
  const G = [1n, 2n];
  let lambda = rootOf(R);
  let beta = rootOf(P);
  const lg = mulAff(G, lambda);
  if (lg[0] !== mod(beta * G[0], P)) beta = (beta * beta) % P;
  if (mulAff(G, lambda)[0] !== mod(beta * G[0], P)) throw new Error("no matching beta");
  // Short lattice basis of {(a, b) : a + b*lambda = 0 mod r} by the extended Euclid stop at
  // sqrt(r) (Gallant-Lambert-Vanstone, section 4).
  let [r0, r1, s0, s1, t0, t1] = [R, lambda, 1n, 0n, 0n, 1n];
  const sq = BigInt(Math.floor(Math.sqrt(Number(R))));
  const rows = [];
  while (r0 >= sq) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
    [t0, t1] = [t1, t0 - q * t1];
    rows.push([r0, t0], [r1, t1]);
  }
  // v = (r_i, -t_i) satisfies r_i - t_i*lambda = s_i*r = 0 mod r; take the two shortest.
  const cand = rows.map(([a, t]) => [a, -t]).filter(([a, b]) => mod(a + b * lambda, R) === 0n);
  const norm = ([a, b]) => a * a + b * b;
  cand.sort((x, y) => (norm(x) < norm(y) ? -1 : 1));
  const [v1] = cand;
  const v2 = cand.find(([a, b]) => a * v1[1] - b * v1[0] !== 0n);
  const [a1, b1] = v1;
  const [a2, b2] = v2;
  const det = a1 * b2 - a2 * b1;
  // k1 = k - c1*a1 - c2*a2, k2 = -c1*b1 - c2*b2 with c1 = round(b2*k/det), c2 = round(-b1*k/det):
  // precomputed as g = round(2^256 * b / det) so c = (k * g) >> 256 with a +-1 error that only
  // loosens the bound on |k1|, |k2| by a little (checked below on extreme scalars).
  const g1 = ((b2 << 256n) + det / 2n) / det;
  const g2 = ((-b1 << 256n) + det / 2n) / det;
  const split = (k) => {
    const c1 = (k * g1) >> 256n;
    const c2 = (k * g2) >> 256n;
    return [k - c1 * a1 - c2 * a2, -c1 * b1 - c2 * b2];
  };
  let worst = 0n;
  for (const k of [0n, 1n, R - 1n, R / 2n, R / 3n, lambda, (1n << 253n) + 12345n]) {
    const [k1, k2] = split(k);
    if (mod(k1 + k2 * lambda - k, R) !== 0n) throw new Error("bad split");
    for (const v of [k1, k2]) if ((v < 0n ? -v : v) > worst) worst = v < 0n ? -v : v;
  }
  if (worst >> 128n) throw new Error(`split too wide: ${worst.toString(2).length} bits`);
  const signed = (v, n) => words32(mod(v, 1n << BigInt(32 * n)), n);
  return [
    `/* GLV: phi(x, y) = (BETA*x, y) equals LAMBDA*P on G1; k = k1 + k2*LAMBDA with |k1|,|k2| < 2^128 */`,
    arr("GLV_BETA", limbs(((1n << 261n) * beta) % P)),
    `/* on G2 (the twist over Fp2, also a = 0) (x, y) -> (BETA_G2*x, y) with BETA_G2 = BETA^2 is the`,
    ` * map that acts as the same LAMBDA (BETA itself gives LAMBDA^2); the G2 MSM tests check it */`,
    arr("GLV_BETA_G2", limbs(((1n << 261n) * ((beta * beta) % P)) % P)),
    arr("GLV_LAMBDA32", words32(lambda, 8)),
    arr("GLV_G1", words32(g1, 5)),
    arr("GLV_G2", words32(g2, 5)),
    `/* lattice basis, as 6-word two's complement: k1 = k - c1*A1 - c2*A2, k2 = -c1*B1 - c2*B2 */`,
    arr("GLV_A1", signed(a1, 6)),
    arr("GLV_B1", signed(b1, 6)),
    arr("GLV_A2", signed(a2, 6)),
    arr("GLV_B2", signed(b2, 6)),
  ];
}

// The FFT domain of snarkjs: ffjavascript takes the smallest quadratic non-residue q of Fr
// (counting up from 2) and w_s = q^t with r - 1 = 2^s * t; the root of order 2^k is w_s squared
// s - k times and snarkjs's coset shift for a domain of 2^k is the root of order 2^(k+1).
// Using the very same roots (not merely roots of the same order) is what makes the H
// evaluations, hence the proof's C, equal to snarkjs's.
function fftBlock() {
  let s = 0;
  let t = R - 1n;
  while (!(t & 1n)) t >>= 1n, s++;
  let q = 2n;
  while (pow(q, (R - 1n) / 2n, R) !== R - 1n) q++;
  const w = pow(q, t, R);
  if (pow(w, 1n << BigInt(s - 1), R) !== R - 1n) throw new Error("root of wrong order");
  return [
    `/* FFT: Fr has 2^${s} roots of unity; ROOT is q^t for the non-residue q = ${q} (internal form) */`,
    `#define FR_TWO_ADICITY ${s}`,
    arr("FR_ROOT", limbs(((1n << 261n) * w) % R)),
    `/* zkey coefficients are stored as c*2^512 (standard form); a witness value w times WTNS_K =`,
    ` * 2^271 (raw limbs, one Montgomery multiply) is w*2^10, and that times the raw coefficient`,
    ` * (one more) is c*w*2^261, c*w in internal form */`,
    arr("FR_WTNS_K", limbs(pow(2n, 271n, R))),
  ];
}

export function constantsHeader() {
  return [
    "/* Generated by scripts/native/constants.mjs: do not edit by hand. */",
    "#ifndef BN254_CONSTANTS_H",
    "#define BN254_CONSTANTS_H",
    "",
    ...fieldBlock("FP", P),
    "",
    ...fieldBlock("FR", R),
    "",
    ...glvBlock(),
    "",
    ...fftBlock(),
    "",
    "/* Fp2 = Fp[u]/(u^2 + 1): one is (1, 0) in internal form */",
    arr("FP2_ONE", [...limbs((1n << 261n) % P), ...limbs(0n)]),
    "",
    "#endif",
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(new URL("../../native/bn254/constants.h", import.meta.url), constantsHeader());
}
