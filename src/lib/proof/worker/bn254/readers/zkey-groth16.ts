/**
 * A Groth16 `.zkey` (snarkjs 0.7.x) read for proving: the header values and views of the
 * sections the prover multiplies against. Points stay in the file's byte form (affine,
 * coordinates 32-byte little-endian Montgomery with R = 2^256, infinity all zeros), which is
 * the form bn254.wasm and ffjavascript take, so nothing is converted here.
 *
 * Sections: 1 protocol id, 2 header, 3 IC (verifier only), 4 QAP coefficients, 5 A points,
 * 6 B points in G1, 7 B points in G2, 8 C points (private signals only), 9 H points.
 */
import { leBigInt, openBinFile } from "../../../engine/artifacts/bin-file.js";

/** The base field prime q (coordinates) and the group order r (scalars) of BN254 (`bn128`). */
export const BN254_Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const GROTH16_PROTOCOL = 1;
/**
 * Caps on a zkey's counts. The prover keeps 144 bytes per G1 base and 288 per G2 base (GLV
 * images included) in one wasm32 memory of at most 4 GiB, its largest MSM (C: private signals
 * and H bases) needs about 400 bytes per base, and bn254.wasm computes byte sizes in 32-bit
 * arithmetic. At these caps C has at most 2^23 bases and every size stays below 2^32 (2^26
 * coefficients x 44 = 2.9 GB), so a hostile count is refused here instead of wrapping around
 * inside the module. Counts are JavaScript numbers (exact to 2^53), compared before any
 * product is formed.
 */
export const MAX_ZKEY_SIGNALS = 1 << 22;
export const MAX_ZKEY_DOMAIN = 1 << 22;
export const MAX_ZKEY_COEFS = 1 << 26;
/** Bytes of a section 4 coefficient record: matrix, constraint, signal (u32 each), value (32 bytes). */
export const COEF_BYTES = 44;

export interface Groth16Zkey {
  readonly nVars: number;
  readonly nPublic: number;
  readonly domainSize: number;
  readonly log2Domain: number;
  /** Header points, 64 bytes (G1) or 128 bytes (G2), file form. */
  readonly alpha1: Uint8Array;
  readonly beta1: Uint8Array;
  readonly beta2: Uint8Array;
  /** Only the verifier uses gamma2; it is read so that a load can check it is a G2 point. */
  readonly gamma2: Uint8Array;
  readonly delta1: Uint8Array;
  readonly delta2: Uint8Array;
  /** Section 4 without its leading u32 count. */
  readonly coefs: Uint8Array;
  readonly nCoefs: number;
  readonly pointsA: Uint8Array;
  readonly pointsB1: Uint8Array;
  readonly pointsB2: Uint8Array;
  readonly pointsC: Uint8Array;
  readonly pointsH: Uint8Array;
}

/**
 * A zkey as a prover takes it: `key` names one loaded file (a prover keeps the decoded copy it
 * made under it, for as long as the key lives), `bytes()` gives the file's bytes when a decoded
 * copy has to be made. A prover worker holds a big zkey's bytes only until its decoded copy
 * exists and reads them again (from its checked artifact store) on the rare paths that need them
 * later, so `bytes()` may be slow; plain bytes stand for themselves (`zkeyRef`).
 */
export interface ZkeyRef {
  readonly key: object;
  bytes(): Promise<Uint8Array>;
}

/** The ref of bytes held as they are: the bytes are their own key. */
export function zkeyRef(zkey: Uint8Array | ZkeyRef): ZkeyRef {
  return zkey instanceof Uint8Array ? { key: zkey, bytes: () => Promise.resolve(zkey) } : zkey;
}

/** Reads a BN254 Groth16 zkey; ArtifactInvalidError (details: what, reason) on anything else. */
export function readGroth16Zkey(bytes: Uint8Array): Groth16Zkey {
  const { fail, sectionOf } = openBinFile(bytes, "zkey", "zkey");
  const s1 = sectionOf(1);
  if (s1.byteLength < 4 || new DataView(s1.buffer, s1.byteOffset).getUint32(0, true) !== GROTH16_PROTOCOL) fail("not a groth16 zkey");
  const h = sectionOf(2);
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (h.byteLength < 4 + 32 + 4 + 32 + 12 + 64 * 3 + 128 * 3) fail("header too short");
  if (hv.getUint32(0, true) !== 32 || leBigInt(h.subarray(4, 36)) !== BN254_Q) fail("curve is not bn128");
  if (hv.getUint32(36, true) !== 32 || leBigInt(h.subarray(40, 72)) !== BN254_R) fail("curve is not bn128");
  const nVars = hv.getUint32(72, true);
  const nPublic = hv.getUint32(76, true);
  const domainSize = hv.getUint32(80, true);
  const log2Domain = Math.log2(domainSize);
  if (!Number.isInteger(log2Domain) || domainSize < 2) fail(`domain size ${domainSize} is not a power of two`);
  if (nPublic >= nVars) fail("more public signals than signals");
  if (nVars > MAX_ZKEY_SIGNALS) fail(`${nVars} signals, more than the ${MAX_ZKEY_SIGNALS} a prover's wasm memory can hold`);
  if (domainSize > MAX_ZKEY_DOMAIN) fail(`domain of ${domainSize} points, more than the ${MAX_ZKEY_DOMAIN} a prover's wasm memory can hold`);
  let at = 84;
  const take = (n: number) => h.subarray(at, (at += n));
  const alpha1 = take(64);
  const beta1 = take(64);
  const beta2 = take(128);
  const gamma2 = take(128);
  const delta1 = take(64);
  const delta2 = take(128);

  const s4 = sectionOf(4);
  const nCoefs = s4.byteLength >= 4 ? new DataView(s4.buffer, s4.byteOffset).getUint32(0, true) : -1;
  if (nCoefs > MAX_ZKEY_COEFS) fail(`${nCoefs} coefficients, more than the ${MAX_ZKEY_COEFS} a prover's wasm memory can hold`);
  if (nCoefs < 0 || 4 + nCoefs * COEF_BYTES !== s4.byteLength) fail("coefficient section has the wrong size");
  const sized = (id: number, each: number, count: number) => {
    const s = sectionOf(id);
    if (s.byteLength !== each * count) fail(`section ${id} holds ${s.byteLength} bytes, expected ${each * count}`);
    return s;
  };
  return {
    nVars,
    nPublic,
    domainSize,
    log2Domain,
    alpha1,
    beta1,
    beta2,
    gamma2,
    delta1,
    delta2,
    coefs: s4.subarray(4),
    nCoefs,
    pointsA: sized(5, 64, nVars),
    pointsB1: sized(6, 64, nVars),
    pointsB2: sized(7, 128, nVars),
    pointsC: sized(8, 64, nVars - nPublic - 1),
    pointsH: sized(9, 64, domainSize),
  };
}
