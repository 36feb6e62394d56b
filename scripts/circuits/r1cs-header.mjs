// Minimal reader of an r1cs header (iden3 binary format, section 1), enough to size the setup.
import { readFile } from "node:fs/promises";

/** @returns {{ nWires: number, nOutputs: number, nPubInputs: number, nPrvInputs: number, nConstraints: number }} */
export async function readR1csHeader(path) {
  const b = await readFile(path);
  if (b.toString("latin1", 0, 4) !== "r1cs") throw new Error(`${path}: not an r1cs file`);
  const nSections = b.readUInt32LE(8);
  let pos = 12;
  for (let i = 0; i < nSections; i++) {
    const type = b.readUInt32LE(pos);
    const size = Number(b.readBigUInt64LE(pos + 4));
    const p = pos + 12;
    if (type === 1) {
      const n8 = b.readUInt32LE(p);
      const q = p + 4 + n8;
      return {
        nWires: b.readUInt32LE(q),
        nOutputs: b.readUInt32LE(q + 4),
        nPubInputs: b.readUInt32LE(q + 8),
        nPrvInputs: b.readUInt32LE(q + 12),
        nConstraints: b.readUInt32LE(q + 24),
      };
    }
    pos = p + size;
  }
  throw new Error(`${path}: no r1cs header section`);
}

/**
 * The domain power snarkjs zkey new uses: floor(log2(nConstraints + nPublic)) + 1, i.e. room for
 * every constraint plus one row per public signal and the constant one (zkey_new.js).
 */
export function circuitPower({ nConstraints, nOutputs, nPubInputs }) {
  const n = nConstraints + nPubInputs + nOutputs;
  let p = 0;
  while (2 ** p <= n) p++;
  return p;
}
