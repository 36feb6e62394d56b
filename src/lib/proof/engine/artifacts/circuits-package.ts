/**
 * Where the EBSL circuit artifacts come from in Node: the `@proofline/circuits` package, installed
 * next to proofline. The library ships code only; the package ships `manifest.json` and the files
 * it pins (40 MB for ebsl-16 and ebsl-64), so a dapp that proves its own circuit never downloads
 * them. The pins themselves are bundled into the library at build time (`bundledManifest()`), so
 * the bytes are checked against what this version of proofline expects wherever they are read
 * from.
 *
 * Node-only (node:module): imported by the Node entry and the Vite plugin, never by a browser
 * bundle. Resolution happens when a default needs it, never at import time.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { ArtifactNotFoundError } from "../../core/errors.js";

/** The npm package that holds the EBSL manifest and artifacts. */
export const CIRCUITS_PACKAGE = "@proofline/circuits";

/**
 * The directory of the installed circuits package (the folder holding `manifest.json` and
 * `build/`), resolved as `import` would from `from`, or undefined when it is not installed.
 * @param from a file or directory URL/path to resolve from. @default this module (proofline's own node_modules)
 */
export function findCircuitsPackageDir(from: string | URL = import.meta.url): string | undefined {
  try {
    return dirname(createRequire(from).resolve(`${CIRCUITS_PACKAGE}/manifest.json`));
  } catch {
    return undefined;
  }
}

/**
 * {@link findCircuitsPackageDir}, or an `ArtifactNotFoundError` that says what to install.
 * @throws ArtifactNotFoundError (`details: { package, fix }`) when the package is not installed
 */
export function circuitsPackageDir(from?: string | URL): string {
  const dir = findCircuitsPackageDir(from);
  if (dir !== undefined) return dir;
  const fix = `npm i ${CIRCUITS_PACKAGE}`;
  throw new ArtifactNotFoundError(
    `proofline's EBSL circuits are a separate package: ${CIRCUITS_PACKAGE} is not installed. Run \`${fix}\` ` +
      "(the same version as proofline), or pass circuitsDir (a folder holding manifest.json and build/), or your own circuits/manifest.",
    { details: { package: CIRCUITS_PACKAGE, fix } },
  );
}
