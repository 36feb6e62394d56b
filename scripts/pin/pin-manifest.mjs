// `proofline pin`: check a circuit's wasm, zkey and vkey belong together, then write or update
// its entry in a circuit manifest (the format `parseManifest` reads): path, byte size and
// SHA-256 per artifact, plus power and nPublic from the zkey header, and constraints when an
// r1cs is given. Other entries, their order and the manifest's own fields are kept.
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { checkArtifacts, describeFile, requireFile } from "./artifact-checks.mjs";
import { PinError } from "./pin-error.mjs";

export { PinError } from "./pin-error.mjs";

/** Fields `pin` computes; on update they are replaced, every other field of the entry is kept. */
const OWNED = ["id", "constraints", "power", "nPublic", "r1cs", "wasm", "zkey", "vkey"];
/** Ids become URL and file-name parts: keep them to characters that need no escaping. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

const isVkeyName = (name) => name === "verification_key.json" || name === "vkey.json" || name.endsWith(".vkey.json");
const ROLES = [
  { role: "wasm", test: (n) => n.endsWith(".wasm") },
  { role: "zkey", test: (n) => n.endsWith(".zkey") },
  { role: "vkey", test: isVkeyName },
  { role: "r1cs", test: (n) => n.endsWith(".r1cs") },
];

/**
 * The artifacts in `dir` and its immediate subdirectories (circom writes the wasm to
 * `<name>_js/`). Each of wasm, zkey and vkey must be found exactly once; an r1cs is used when
 * exactly one is found.
 * @returns {Promise<{ wasm: string, zkey: string, vkey: string, r1cs?: string, notes: string[] }>}
 */
export async function findArtifacts(dir) {
  let top;
  try {
    top = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error?.code === "ENOTDIR") throw new PinError("USAGE", `${dir} is a file: pass <wasm> <zkey> <vkey>, or one directory holding them`);
    throw new PinError("MISSING_FILE", `directory not found: ${dir}`);
  }
  const files = top.filter((e) => e.isFile()).map((e) => join(dir, e.name));
  for (const sub of top.filter((e) => e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith("."))) {
    const inner = await readdir(join(dir, sub.name), { withFileTypes: true });
    files.push(...inner.filter((e) => e.isFile()).map((e) => join(dir, sub.name, e.name)));
  }
  const found = { notes: [] };
  for (const { role, test } of ROLES) {
    const matches = files.filter((f) => test(basename(f))).sort();
    if (matches.length === 1) found[role] = matches[0];
    else if (role === "r1cs") {
      if (matches.length > 1) found.notes.push(`several .r1cs files in ${dir}, none used (pass one with --r1cs): ${matches.join(", ")}`);
    } else if (matches.length === 0) {
      const wanted = role === "vkey" ? "*.vkey.json, vkey.json or verification_key.json" : `*.${role}`;
      throw new PinError("MISSING_FILE", `no ${role} file (${wanted}) in ${dir} or its subdirectories`);
    } else {
      throw new PinError("AMBIGUOUS_FILES", `${matches.length} ${role} files in ${dir}: ${matches.join(", ")}; name the files instead: proofline pin <wasm> <zkey> <vkey>`);
    }
  }
  return found;
}

async function readManifestFile(path) {
  if (!existsSync(path)) return { manifest: { version: 1, circuits: {} }, created: true };
  let manifest;
  try {
    manifest = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new PinError("BAD_MANIFEST", `${path} is not JSON (${error.message}); fix or remove it`);
  }
  if (typeof manifest !== "object" || manifest === null || Array.isArray(manifest)) {
    throw new PinError("BAD_MANIFEST", `${path} is not a circuit manifest (not an object)`);
  }
  if (manifest.version !== 1) {
    throw new PinError("BAD_MANIFEST", `${path} has version ${JSON.stringify(manifest.version)}; this proofline writes version 1`);
  }
  const c = manifest.circuits;
  if (c !== undefined && (typeof c !== "object" || c === null || Array.isArray(c))) {
    throw new PinError("BAD_MANIFEST", `${path}: "circuits" must be an object keyed by circuit id`);
  }
  return { manifest: { ...manifest, circuits: c ?? {} }, created: false };
}

/** Write through a temporary file and a rename, so a reader never sees half a manifest. */
async function writeManifestFile(path, manifest) {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(manifest, null, 2)}\n`);
  await rename(tmp, path);
}

function manifestPathOf(abs, baseDir) {
  const rel = relative(baseDir, abs);
  return { path: rel.split(sep).join("/"), outside: rel.startsWith("..") || isAbsolute(rel) };
}

/**
 * Check the artifacts and pin them in the manifest.
 * @param {object} options
 * @param {string} options.wasm
 * @param {string} options.zkey
 * @param {string} options.vkey
 * @param {string} [options.r1cs] adds `constraints` and `r1cs.sha256`, and checks it against the zkey
 * @param {string} [options.id] @default the wasm's file name without `.wasm`
 * @param {string} [options.manifest] @default "circuits/manifest.json" (created when missing)
 * @param {string} [options.base] directory the artifact paths are relative to @default the manifest's directory
 * @param {(manifest: object) => void} [options.validate] throws on a manifest the library would reject
 * @returns {Promise<{ manifestPath: string, id: string, action: "added" | "updated", created: boolean,
 *   entry: object, domainSize: number, notes: string[] }>}
 */
export async function pinCircuit(options) {
  const notes = [];
  const files = { wasm: options.wasm, zkey: options.zkey, vkey: options.vkey };
  for (const [role, path] of Object.entries(files)) await requireFile(role, path);
  if (options.r1cs !== undefined) await requireFile("r1cs", options.r1cs);
  const id = options.id ?? basename(options.wasm).replace(/\.wasm$/, "");
  if (!ID.test(id)) throw new PinError("BAD_ID", `circuit id ${JSON.stringify(id)} must start with a letter or digit and use only letters, digits, ".", "_" and "-"`);

  const { header, r1csHeader } = await checkArtifacts({ ...files, r1cs: options.r1cs });
  if (header.curve !== "bn128") notes.push(`the zkey is on ${header.curve ?? "an unknown curve"}; proofline's workers keep a warm bn128 curve and are tested on bn128 only`);

  const manifestPath = resolve(options.manifest ?? "circuits/manifest.json");
  const baseDir = resolve(options.base ?? dirname(manifestPath));
  const { manifest, created } = await readManifestFile(manifestPath);

  const pinned = {};
  const outside = [];
  for (const [role, path] of Object.entries(files)) {
    const where = manifestPathOf(resolve(path), baseDir);
    if (where.outside) outside.push(role);
    pinned[role] = { path: where.path, ...(await describeFile(path)) };
  }
  if (outside.length > 0) {
    notes.push(`the ${outside.join(", ")} ${outside.length > 1 ? "lie" : "lies"} outside ${baseDir} (paths start with ..): pass --base <the directory you serve>`);
  }

  const previous = manifest.circuits[id];
  const kept = Object.fromEntries(Object.entries(previous ?? {}).filter(([k]) => !OWNED.includes(k)));
  if (previous?.constraints !== undefined && r1csHeader === undefined) {
    notes.push(`dropped the old constraints count (${previous.constraints}): pass --r1cs to pin it again`);
  }
  if (Array.isArray(kept.publicSignals) && kept.publicSignals.length !== header.nPublic) {
    notes.push(`publicSignals lists ${kept.publicSignals.length} names but the circuit has ${header.nPublic} public signals`);
  }
  const entry = {
    id,
    ...kept,
    ...(r1csHeader ? { constraints: r1csHeader.nConstraints } : {}),
    power: header.power,
    nPublic: header.nPublic,
    ...(r1csHeader ? { r1cs: { sha256: (await describeFile(options.r1cs)).sha256 } } : {}),
    ...pinned,
  };
  const next = { ...manifest, circuits: { ...manifest.circuits, [id]: entry } };
  if (options.validate) {
    try {
      options.validate(next);
    } catch (error) {
      throw new PinError("BAD_MANIFEST", `the updated manifest would be rejected by proofline: ${error.message}`);
    }
  }
  await writeManifestFile(manifestPath, next);
  return { manifestPath, id, action: previous ? "updated" : "added", created, entry, domainSize: header.domainSize, notes };
}
