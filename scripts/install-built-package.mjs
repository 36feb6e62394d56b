/**
 * Install the built library and the circuits package into an app, as
 * `npm i proofline @proofline/circuits` would: both are packed with `npm pack` (so exactly what
 * their package.json "files" ships) and unpacked into the app's `node_modules/proofline` and
 * `node_modules/@proofline/circuits`. Copied, not linked: a symlink would resolve to the repo,
 * outside node_modules, and bundlers would then treat proofline as the app's own source (no
 * dependency pre-bundling), which no dapp sees. The app's other dependencies (vite, svelte,
 * snarkjs, ...) resolve from the repo's node_modules when the app lives inside the repo.
 *
 *   node scripts/install-built-package.mjs <app-dir> [circuit id ...]   (run `npm run build` first)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/**
 * `npm pack` the library (the repo root) and the circuits workspace into a fresh folder.
 * @param {string} [dest] @default a new folder under .tmp/
 * @returns {{ library: string, circuits: string }} the two tarballs
 */
export function packPackages(dest) {
  if (!existsSync(join(root, "dist/index.js"))) throw new Error("dist/ is missing: run `npm run build` first");
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const out = dest ?? mkdtempSync(join(root, ".tmp/packs-"));
  mkdirSync(out, { recursive: true });
  const pack = (...args) => {
    const [entry] = JSON.parse(execFileSync(npm, ["pack", "--json", "--pack-destination", out, ...args], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }));
    return join(out, entry.filename);
  };
  return { library: pack(), circuits: pack("-w", "circuits") };
}

/** Unpack an npm tarball (its top folder is `package/`) into `dir`, replacing what was there. */
function unpack(tarball, dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1"]);
}

/**
 * @param {string} appDir the app whose node_modules/proofline and node_modules/@proofline/circuits are (re)written
 * @param {{ circuits?: readonly string[] | false, packs?: { library: string, circuits: string } }} [options]
 *   circuits: the circuit ids of @proofline/circuits to keep (the others' build/ folders are
 *   removed, which only saves copying: the plugin serves what exists); `false` installs the
 *   library alone (a bring-your-own-circuit app). packs: tarballs from `packPackages()` to reuse.
 * @returns {string} the library's package directory
 */
export function installBuiltPackage(appDir, options = {}) {
  const packs = options.packs ?? packPackages();
  const pkg = join(appDir, "node_modules/proofline");
  unpack(packs.library, pkg);
  const circuitsPkg = join(appDir, "node_modules/@proofline/circuits");
  if (options.circuits === false) {
    rmSync(circuitsPkg, { recursive: true, force: true });
    return pkg;
  }
  unpack(packs.circuits, circuitsPkg);
  if (options.circuits) {
    for (const id of readdirSync(join(circuitsPkg, "build"))) {
      if (!options.circuits.includes(id)) rmSync(join(circuitsPkg, "build", id), { recursive: true, force: true });
    }
  }
  if (!options.packs) rmSync(join(packs.library, ".."), { recursive: true, force: true });
  return pkg;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [appDir, ...circuits] = process.argv.slice(2);
  if (!appDir) {
    console.error("usage: node scripts/install-built-package.mjs <app-dir> [circuit id ...]");
    process.exit(2);
  }
  const pkg = installBuiltPackage(resolve(appDir), circuits.length > 0 ? { circuits } : {});
  console.log(`proofline (built) and @proofline/circuits installed in ${join(pkg, "..")}`);
}
