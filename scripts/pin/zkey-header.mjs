// Reads what `proofline pin` needs from a snarkjs zkey without loading the file or building a
// curve: the Groth16 header (field sizes and moduli, nVars, nPublic, domainSize) and the
// verification-key points (alpha1, beta2, gamma2, delta2 and the IC points).
//
// Format (iden3 binfile, as snarkjs 0.7.x writes it): "zkey", version u32, nSections u32, then
// sections of (type u32, size u64, data). Section 1 holds the protocol id (1 = Groth16); section
// 2 the Groth16 header: n8q u32, q, n8r u32, r, nVars u32, nPublic u32, domainSize u32, then
// alpha1, beta1 (G1), beta2, gamma2 (G2), delta1 (G1), delta2 (G2); section 3 the nPublic + 1
// IC points (G1). Points are affine, each coordinate little-endian in Montgomery form (x·R mod q,
// R = 2^(8·n8q)); a G2 coordinate is two such numbers (c0, c1). Reading header fields at
// positions (not the whole file) keeps a 100 MB zkey as cheap as a small one.
import { invert, pow } from "@noble/curves/abstract/modular.js";
import { open } from "node:fs/promises";
import { PinError } from "./pin-error.mjs";

const GROTH16 = 1;
const PROTOCOLS = { 1: "groth16", 2: "plonk", 10: "fflonk" };

/** Base-field moduli of the curves snarkjs knows, by the name a vkey uses. */
export const CURVE_Q = {
  bn128: 21888242871839275222246405745257275088696311157297823662689037894645226208583n,
  bls12381: 0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn,
};

function leToBigInt(bytes) {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]);
  return v;
}

/** Where each section's data starts, by section type (first occurrence). */
async function sectionTable(fh, path) {
  const head = Buffer.alloc(12);
  const { bytesRead } = await fh.read(head, 0, 12, 0);
  if (bytesRead < 12 || head.toString("latin1", 0, 4) !== "zkey") {
    throw new PinError("NOT_A_ZKEY", `${path} is not a zkey file (it does not start with "zkey")`);
  }
  const { size } = await fh.stat();
  const sections = new Map();
  let pos = 12;
  for (let i = 0; i < head.readUInt32LE(8); i++) {
    const sh = Buffer.alloc(12);
    if ((await fh.read(sh, 0, 12, pos)).bytesRead < 12) break;
    const type = sh.readUInt32LE(0);
    const length = Number(sh.readBigUInt64LE(4));
    if (!sections.has(type)) sections.set(type, { start: pos + 12, length });
    pos += 12 + length;
  }
  if (pos > size) throw new PinError("NOT_A_ZKEY", `${path} is truncated (its sections need ${pos} bytes, the file has ${size})`);
  return sections;
}

async function readSection(fh, sections, type, path) {
  const s = sections.get(type);
  if (!s) throw new PinError("NOT_A_ZKEY", `${path} has no section ${type}; is it a complete zkey?`);
  const buf = Buffer.alloc(s.length);
  await fh.read(buf, 0, s.length, s.start);
  return buf;
}

/**
 * The Groth16 header and verification-key points of a zkey, points as a snarkjs vkey writes
 * them (decimal strings, affine with z = 1; the point at infinity as [0, 1, 0]).
 * @returns {Promise<{ protocol: "groth16", curve: string | undefined, q: bigint, r: bigint,
 *   nVars: number, nPublic: number, domainSize: number, power: number,
 *   points: { vk_alpha_1: string[], vk_beta_2: string[][], vk_gamma_2: string[][], vk_delta_2: string[][], IC: string[][] } }>}
 */
export async function readZkey(path) {
  const fh = await open(path, "r");
  try {
    const sections = await sectionTable(fh, path);
    const protocolId = (await readSection(fh, sections, 1, path)).readUInt32LE(0);
    if (protocolId !== GROTH16) {
      const name = PROTOCOLS[protocolId] ?? `protocol id ${protocolId}`;
      throw new PinError("NOT_GROTH16", `${path} is a ${name} zkey; proofline proves Groth16 only (snarkjs groth16 setup)`);
    }
    const h = await readSection(fh, sections, 2, path);
    let o = 0;
    const u32 = () => ((o += 4), h.readUInt32LE(o - 4));
    const bytes = (n) => ((o += n), h.subarray(o - n, o));
    const n8q = u32();
    const q = leToBigInt(bytes(n8q));
    const n8r = u32();
    const r = leToBigInt(bytes(n8r));
    const nVars = u32();
    const nPublic = u32();
    const domainSize = u32();
    const power = Math.log2(domainSize);
    if (!Number.isInteger(power)) throw new PinError("NOT_A_ZKEY", `${path}: domainSize ${domainSize} is not a power of two`);

    const rInv = invert(pow(2n, BigInt(8 * n8q), q), q);
    const fq = (b) => ((leToBigInt(b) * rInv) % q).toString();
    const g1 = (b) => (b.every((x) => x === 0) ? ["0", "1", "0"] : [fq(b.subarray(0, n8q)), fq(b.subarray(n8q, 2 * n8q)), "1"]);
    const g2 = (b) =>
      b.every((x) => x === 0)
        ? [["0", "0"], ["1", "0"], ["0", "0"]]
        : [
            [fq(b.subarray(0, n8q)), fq(b.subarray(n8q, 2 * n8q))],
            [fq(b.subarray(2 * n8q, 3 * n8q)), fq(b.subarray(3 * n8q, 4 * n8q))],
            ["1", "0"],
          ];
    const vk_alpha_1 = g1(bytes(2 * n8q));
    bytes(2 * n8q); // beta1: in the proving key only
    const vk_beta_2 = g2(bytes(4 * n8q));
    const vk_gamma_2 = g2(bytes(4 * n8q));
    bytes(2 * n8q); // delta1: in the proving key only
    const vk_delta_2 = g2(bytes(4 * n8q));

    const ic = await readSection(fh, sections, 3, path);
    if (ic.length < (nPublic + 1) * 2 * n8q) throw new PinError("NOT_A_ZKEY", `${path}: section 3 is too short for ${nPublic + 1} IC points`);
    const IC = Array.from({ length: nPublic + 1 }, (_, i) => g1(ic.subarray(i * 2 * n8q, (i + 1) * 2 * n8q)));

    const curve = Object.keys(CURVE_Q).find((name) => CURVE_Q[name] === q);
    return { protocol: "groth16", curve, q, r, nVars, nPublic, domainSize, power, points: { vk_alpha_1, vk_beta_2, vk_gamma_2, vk_delta_2, IC } };
  } finally {
    await fh.close();
  }
}
