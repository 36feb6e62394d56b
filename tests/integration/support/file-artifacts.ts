/**
 * A minimal artifact source for Node tests: the circuit definition's URLs are file paths, read
 * whole (the real loader, with its integrity checks, has tests of its own).
 */
import { readFileSync } from "node:fs";
import type { ArtifactSource } from "../../../src/lib/proof/engine/types.js";

export const fileArtifacts: ArtifactSource = {
  async load(c) {
    return {
      circuitId: c.id,
      wasm: new Uint8Array(readFileSync(c.wasm.url)),
      zkey: new Uint8Array(readFileSync(c.zkey.url)),
      vkey: JSON.parse(readFileSync(c.vkey.url, "utf8")) as Record<string, unknown>,
      networkBytes: 0,
    };
  },
};
