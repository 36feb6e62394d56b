// Shared facts and helpers for the circuit build (build.mjs) and its CI check (check.mjs).
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readFile, writeFile, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CIRCUITS_DIR = join(ROOT, "circuits");
export const MANIFEST_PATH = join(CIRCUITS_DIR, "manifest.json");

export const INSECURE_BANNER =
  "INSECURE DEV SETUP — tau is public, anyone can forge proofs; never use in production";
export const MANIFEST_WARNING =
  "INSECURE DEV SETUP: these zkeys come from a deterministic powers of tau whose secrets (tau, alpha, beta) " +
  "are derived from a public seed (scripts/circuits/dev-ptau.mjs) and a public beacon. Anyone can forge proofs " +
  "that verify against these keys. Never use them in production; run a real ceremony instead.";

/** Beacon of the single phase-2 contribution: fixed, so builds are reproducible (and insecure). */
export const BEACON_HASH = createHash("sha256").update("proofline insecure dev beacon v1").digest("hex");
export const BEACON_ITERATIONS_EXP = 10;

export const PUBLIC_SIGNALS = ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"];

/**
 * The circuit family. Large artifacts live under build/large/, which .gitignore excludes: only
 * their hashes are committed, in the manifest.
 */
export const CIRCUITS = [
  { id: "ebsl-16", size: "small", capacity: 16, source: "ebsl_16.circom", committed: true, dir: "build/ebsl-16" },
  { id: "ebsl-64", size: "medium", capacity: 64, source: "ebsl_64.circom", committed: true, dir: "build/ebsl-64" },
  { id: "ebsl-256", size: "large", capacity: 256, source: "ebsl_256.circom", committed: false, dir: "build/large/ebsl-256" },
];

export function artifactPaths(circuit) {
  const rel = (ext) => `${circuit.dir}/${circuit.id}.${ext}`;
  return { wasm: rel("wasm"), zkey: rel("zkey"), vkey: rel("vkey.json") };
}

export async function sha256File(path) {
  return createHash("sha256").update(await readFile(path)).digest("hex");
}

export async function describeFile(relPath) {
  const abs = join(CIRCUITS_DIR, relPath);
  const { size } = await stat(abs);
  return { path: relPath, bytes: size, sha256: await sha256File(abs) };
}

/**
 * Compile one circuit with the pinned flags into outDir (which must exist).
 * Returns absolute paths of the r1cs and wasm.
 */
export function compileCircuit(circuit, outDir) {
  const base = circuit.source.replace(/\.circom$/, "");
  const args = ["circom2", join(CIRCUITS_DIR, circuit.source), "--r1cs", "--wasm", "--sym", "--O2", "-l", join(ROOT, "node_modules"), "-o", outDir];
  return new Promise((resolvePromise, reject) => {
    const child = spawn("npx", args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`circom2 failed for ${circuit.id} (exit ${code}):\n${output}`));
      const constraints = Number(/non-linear constraints: (\d+)/.exec(output)?.[1] ?? NaN)
        + Number(/(?<!non-)linear constraints: (\d+)/.exec(output)?.[1] ?? 0);
      resolvePromise({
        r1cs: join(outDir, `${base}.r1cs`),
        wasm: join(outDir, `${base}_js`, `${base}.wasm`),
        constraints,
      });
    });
  });
}

export async function readManifest() {
  if (!existsSync(MANIFEST_PATH)) {
    return { version: 1, insecureDevSetup: true, warning: MANIFEST_WARNING, circuits: {} };
  }
  return JSON.parse(await readFile(MANIFEST_PATH, "utf8"));
}

export async function writeManifest(manifest) {
  const ordered = {};
  for (const c of CIRCUITS) if (manifest.circuits[c.id]) ordered[c.id] = manifest.circuits[c.id];
  const out = { version: 1, insecureDevSetup: true, warning: MANIFEST_WARNING, circuits: ordered };
  await writeFile(MANIFEST_PATH, `${JSON.stringify(out, null, 2)}\n`);
}

export function selectCircuits(arg) {
  if (!arg || arg === "all") return CIRCUITS;
  const chosen = CIRCUITS.filter((c) => c.size === arg || c.id === arg);
  if (chosen.length === 0) {
    throw new Error(`unknown circuit selection "${arg}": use small, medium, large, all or a circuit id`);
  }
  return chosen;
}

export const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);
