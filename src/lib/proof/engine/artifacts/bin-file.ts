/**
 * The iden3 binary container that `.zkey`, `.wtns`, `.r1cs` and `.ptau` files share: a 4-byte
 * magic, a u32 version, a u32 section count, then sections of (u32 id, u64 byte length, bytes),
 * all little-endian. Sections are returned as views into the caller's bytes, not copies: a
 * prover holds a zkey of tens of megabytes and should not hold it twice.
 */
import { ArtifactInvalidError } from "../../core/errors.js";

export interface BinFile {
  readonly version: number;
  /** Bytes of each section by id; a file that repeats an id is refused, as snarkjs refuses it. */
  readonly sections: ReadonlyMap<number, Uint8Array>;
}

/** Parses the container; throws ArtifactInvalidError (details: what, reason) when malformed. */
export function readBinFile(bytes: Uint8Array, magic: string, what: string): BinFile {
  const fail = (reason: string): never => {
    throw new ArtifactInvalidError(`${what}: ${reason}`, { details: { what, reason } });
  };
  if (bytes.byteLength < 12) fail("shorter than a header");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const got = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (got !== magic) fail(`not a ${magic} file`);
  const version = view.getUint32(4, true);
  const count = view.getUint32(8, true);
  const sections = new Map<number, Uint8Array>();
  let at = 12;
  for (let i = 0; i < count; i++) {
    if (at + 12 > bytes.byteLength) fail(`section ${i} header past the end`);
    const id = view.getUint32(at, true);
    const size = Number(view.getBigUint64(at + 4, true));
    at += 12;
    if (at + size > bytes.byteLength) fail(`section ${id} past the end`);
    // Two sections with one id would let a reader and a verifier each see a different one.
    if (sections.has(id)) fail(`section ${id} appears twice`);
    sections.set(id, bytes.subarray(at, at + size));
    at += size;
  }
  return { version, sections };
}

/** The section, or ArtifactInvalidError naming it. */
export function section(file: BinFile, id: number, what: string): Uint8Array {
  const s = file.sections.get(id);
  if (!s) throw new ArtifactInvalidError(`${what}: section ${id} missing`, { details: { what, reason: `section ${id} missing` } });
  return s;
}

/** A reader's failure: ArtifactInvalidError naming the file kind and the reason (never its bytes). */
export function invalidFile(what: string): (reason: string) => never {
  return (reason) => {
    throw new ArtifactInvalidError(`${what}: ${reason}`, { details: { what, reason } });
  };
}

/** A little-endian unsigned integer of any width. */
export function leBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

/** A file opened for a reader: its sections by id, and the reader's failure. */
export function openBinFile(bytes: Uint8Array, magic: string, what: string): { readonly fail: (reason: string) => never; sectionOf(id: number): Uint8Array } {
  const file = readBinFile(bytes, magic, what);
  return { fail: invalidFile(what), sectionOf: (id) => section(file, id, what) };
}
