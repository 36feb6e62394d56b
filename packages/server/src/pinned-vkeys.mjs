/**
 * Verification keys the service trusts: read from the circuits directory and checked against the
 * SHA-256 pinned in the manifest before use. A vkey a client sends is never used; a vkey whose
 * bytes differ from its pin fails with ARTIFACT_INTEGRITY and is not kept.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadProofline } from "./proofline.mjs";

/**
 * @param {{ manifest?: object, circuitsDir?: string }} options the bundled manifest and the
 *   installed `@proofline/circuits` package by default
 */
export async function createPinnedVkeys(options = {}) {
  const lib = await loadProofline();
  const manifest = options.manifest ?? lib.bundledManifest();
  lib.parseManifest(manifest);
  const dir = options.circuitsDir ?? lib.packageCircuitsDir();
  /** @type {Map<string, Promise<object>>} */
  const cache = new Map();

  const entry = (circuitId) => {
    const c = Object.hasOwn(manifest.circuits, circuitId) ? manifest.circuits[circuitId] : undefined;
    if (!c) throw new lib.CircuitNotFoundError(`No circuit "${circuitId.slice(0, 64)}" in the manifest.`, { details: { circuitId: circuitId.slice(0, 64) } });
    return c;
  };

  async function read(circuitId) {
    const pin = entry(circuitId).vkey;
    const bytes = await readFile(join(dir, pin.path));
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    if (bytes.length !== pin.bytes || sha256 !== pin.sha256) {
      throw new lib.IntegrityError(`The vkey of ${circuitId} differs from its pin.`, { details: { circuitId, artifact: "vkey" } });
    }
    return JSON.parse(bytes.toString("utf8"));
  }

  return {
    /** Circuit ids of the manifest. */
    ids: () => Object.keys(manifest.circuits),
    /** The manifest entry (family, nPublic, publicSignals): throws CircuitNotFoundError. */
    entry,
    /** The pinned vkey, parsed; read and checked once. */
    get(circuitId) {
      entry(circuitId);
      let vkey = cache.get(circuitId);
      if (!vkey) {
        vkey = read(circuitId);
        cache.set(circuitId, vkey);
        vkey.catch(() => cache.delete(circuitId));
      }
      return vkey;
    },
  };
}
