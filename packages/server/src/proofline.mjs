/**
 * The proofline library as the service sees it. Installed from npm, `proofline/node` resolves;
 * inside proofline's own repository (a workspace beside the library it serves, where the name
 * does not resolve) it is the repository's build, `dist/`. Loaded once, on first use.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const load = async (specifier, repoFile) => {
  try {
    return await import(specifier);
  } catch (error) {
    const local = new URL(`../../../dist/${repoFile}`, import.meta.url);
    if (!existsSync(fileURLToPath(local))) throw error;
    return import(local.href);
  }
};

let loaded;
/** `proofline/node`. */
export function loadProofline() {
  loaded ??= load("proofline/node", "node.js");
  return loaded;
}

let loadedEbsl;
/** `proofline/ebsl`. */
export function loadProoflineEbsl() {
  loadedEbsl ??= load("proofline/ebsl", "ebsl.js");
  return loadedEbsl;
}
