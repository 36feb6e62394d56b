/**
 * Put the built package into an app's `node_modules/proofline`, as `npm install proofline` would:
 * the files package.json's "files" ships (dist/, circuits/manifest.json, circuits/build/), copied,
 * not linked. A symlink would resolve to the repo, outside node_modules, and bundlers would then
 * treat proofline as the app's own source (no dependency pre-bundling), which no dapp sees.
 * The app's other dependencies (vite, svelte, snarkjs, ...) resolve from the repo's node_modules
 * when the app lives inside the repo.
 *
 *   node scripts/install-built-package.mjs <app-dir> [circuits/build folder ...]   (run `npm run build` first)
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * @param {string} appDir the app whose node_modules/proofline is (re)written
 * @param {{ circuits?: readonly string[] }} [options] folders of circuits/build/ to copy
 *   (ebsl-16, ebsl-64, large); default: every one present, as `npm pack` would ship
 * @returns {string} the package directory
 */
export function installBuiltPackage(appDir, options = {}) {
  if (!existsSync(join(root, "dist/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  const pkg = join(appDir, "node_modules/proofline");
  rmSync(pkg, { recursive: true, force: true });
  mkdirSync(join(pkg, "circuits/build"), { recursive: true });
  cpSync(join(root, "package.json"), join(pkg, "package.json"));
  cpSync(join(root, "dist"), join(pkg, "dist"), { recursive: true });
  cpSync(join(root, "circuits/manifest.json"), join(pkg, "circuits/manifest.json"));
  const built = join(root, "circuits/build");
  const circuits = options.circuits ?? readdirSync(built);
  for (const id of circuits) {
    // Compiler by-products (witness-generator sources, symbol files) are not shipped: .gitignore.
    cpSync(join(built, id), join(pkg, "circuits/build", id), { recursive: true, filter: (src) => !src.endsWith("_js") && !src.endsWith(".sym") });
  }
  return pkg;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [appDir, ...circuits] = process.argv.slice(2);
  if (!appDir) {
    console.error("usage: node scripts/install-built-package.mjs <app-dir> [circuits/build folder ...]");
    process.exit(2);
  }
  const pkg = installBuiltPackage(resolve(appDir), circuits.length > 0 ? { circuits } : {});
  console.log(`proofline (built) installed in ${pkg}`);
}
