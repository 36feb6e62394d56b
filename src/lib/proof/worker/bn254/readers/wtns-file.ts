/**
 * A circom witness (`.wtns`, as snarkjs `wtns.calculate` writes it): section 1 holds the field
 * element size, the prime and the count; section 2 the values, 32-byte little-endian standard
 * form, signal 0 being the constant 1. Values are returned as a view, in the byte form the MSMs
 * take as scalars.
 */
import { leBigInt, openBinFile } from "../../../engine/artifacts/bin-file.js";
import { BN254_R } from "./zkey-groth16.js";

export interface Witness {
  readonly count: number;
  /** count * 32 bytes. */
  readonly values: Uint8Array;
}

/** Reads a BN254 circom witness; ArtifactInvalidError (details: what, reason) on anything else. */
export function readWitness(bytes: Uint8Array): Witness {
  const { fail, sectionOf } = openBinFile(bytes, "wtns", "witness");
  const h = sectionOf(1);
  if (h.byteLength < 40) fail("header too short");
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  if (hv.getUint32(0, true) !== 32) fail("field elements are not 32 bytes");
  if (leBigInt(h.subarray(4, 36)) !== BN254_R) fail("field is not the bn128 scalar field");
  const count = hv.getUint32(36, true);
  const values = sectionOf(2);
  if (values.byteLength !== count * 32) fail(`values section holds ${values.byteLength} bytes for ${count} values`);
  return { count, values };
}
