/**
 * The two published packages, as `npm pack` makes them (`npm run build` first):
 * - `proofline` is code, types and licence only: under 1 MB unpacked, no circuit artifacts, no
 *   source maps, and the fault-injection files reachable from the `proofline/testing` entry alone;
 * - `@proofline/circuits` ships the manifest and every artifact of the committed circuits, and its
 *   manifest is exactly the pins bundled into the library.
 * Then both tarballs are installed into an app outside the repo, as a dapp installs them: without
 * the circuits package the Node default fails with a typed error naming it (and a
 * bring-your-own-circuit API needs nothing); with it, the default API makes a verified proof.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { installBuiltPackage, packPackages, type Packs } from "../../scripts/install-built-package.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const LIMIT_BYTES = 1_000_000;
const ARTIFACT = /\.(zkey|wasm|r1cs|ptau|sym)$/;
const FAULT_MARKERS = ["proofline-fault-injection", "createFaultInjector", "FaultSchedule", "wasmPageCap"];
const CIRCUITS_MANIFEST = JSON.parse(readFileSync(join(root, "circuits/manifest.json"), "utf8")) as {
  circuits: Record<string, { committed?: boolean } & Record<"wasm" | "zkey" | "vkey", { path: string; bytes: number }>>;
};

let work: string;
let packs: Packs;
let library: string;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

/** A dist/ file and every local file it names (imports, dynamic imports, worker URLs: any "./x.js" string). */
function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(file)) return;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(/["'](\.{1,2}\/[^"'\s]+\.js)["']/g)) visit(join(dirname(file), m[1]!));
  };
  visit(entry);
  return seen;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "proofline-packages-"));
  packs = packPackages(join(work, "packs"));
  library = join(work, "library");
  mkdirSync(library);
  execFileSync("tar", ["-xzf", packs.library, "-C", library, "--strip-components=1"]);
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the proofline tarball", () => {
  it("is code, types and licence only, its dist/ under 1 MB unpacked", () => {
    const files = filesUnder(library).map((f) => relative(library, f));
    // The budget is the code and types a dapp's bundler and type checker read (dist/): the
    // README and the licence ship too, but never reach a page.
    const bytes = filesUnder(join(library, "dist")).reduce((sum, f) => sum + statSync(f).size, 0);
    expect(bytes, `dist/ unpacked ${bytes} bytes`).toBeLessThan(LIMIT_BYTES);
    expect(files.filter((f) => ARTIFACT.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files).toContain("LICENSE");
    expect(files).toContain("dist/index.d.ts");
    expect(files.some((f) => f.startsWith("circuits/") || f.includes("manifest.json"))).toBe(false);
  });

  it("holds fault-injection code only in files the proofline/testing entry reaches", () => {
    const dist = join(library, "dist");
    const js = filesUnder(dist).filter((f) => f.endsWith(".js"));
    const faulty = js.filter((f) => FAULT_MARKERS.some((m) => readFileSync(f, "utf8").includes(m)));
    expect(faulty.length, "the markers must occur somewhere (the check can fail)").toBeGreaterThan(0);
    const testing = closure(join(dist, "testing.js"));
    for (const file of faulty) expect(testing.has(file), `${relative(library, file)} outside proofline/testing`).toBe(true);
    const pkg = JSON.parse(readFileSync(join(library, "package.json"), "utf8")) as { exports: Record<string, { import?: string } | string> };
    const production = Object.entries(pkg.exports).filter(([key]) => key !== "./testing" && key !== "./package.json");
    const reachable = new Set(
      [...production.map(([, v]) => (typeof v === "string" ? v : v.import!)), "./dist/prover.worker.js", "./dist/prover.node-worker.js"].flatMap((p) => [...closure(join(library, p))]),
    );
    for (const file of faulty) expect(reachable.has(file), `${relative(library, file)} reachable from a production entry`).toBe(false);
  });
});

describe("the @proofline/circuits tarball", () => {
  it("ships the manifest and every committed artifact, and its pins are the library's", async () => {
    const listing = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "-w", "circuits"], { cwd: root, encoding: "utf8" })) as { files: { path: string; size: number }[] }[];
    const files = new Map(listing[0]!.files.map((f) => [f.path, f.size]));
    expect(files.has("manifest.json")).toBe(true);
    for (const [id, entry] of Object.entries(CIRCUITS_MANIFEST.circuits)) {
      if (entry.committed === false) continue;
      for (const kind of ["wasm", "zkey", "vkey"] as const) expect(files.get(entry[kind].path), `${id} ${kind}`).toBe(entry[kind].bytes);
    }
    const lib = (await import(/* @vite-ignore */ join(library, "dist/index.js"))) as typeof import("../../src/index.js");
    expect(lib.bundledManifest()).toEqual(CIRCUITS_MANIFEST);
    // The library names exactly the circuits version whose pins it bundles.
    const readPkg = (path: string) => JSON.parse(readFileSync(path, "utf8")) as { version: string; peerDependencies?: Record<string, string> };
    expect(readPkg(join(library, "package.json")).peerDependencies?.["@proofline/circuits"]).toBe(readPkg(join(root, "circuits/package.json")).version);
  });
});

describe("the README's package table", () => {
  /** A tarball's packed size and the sum of its files unpacked, in MB. */
  function sizes(tarball: string): { packed: number; unpacked: number } {
    const listing = execFileSync("tar", ["-tvzf", tarball], { encoding: "utf8" });
    const unpacked = listing
      .split("\n")
      .filter((l) => l.startsWith("-"))
      .reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[2]), 0);
    return { packed: statSync(tarball).size / 1e6, unpacked: unpacked / 1e6 };
  }

  it("states the sizes npm pack gives (within 0.05 MB or 3 %)", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const close = (stated: number, actual: number) => Math.abs(stated - actual) <= Math.max(0.05, 0.03 * actual);
    for (const [name, tarball] of [["proofline", packs.library], ["@proofline/circuits", packs.circuits]] as const) {
      const row = new RegExp(`^\\| \`${name.replace("/", "\\/")}\` \\|.*\\| ([\\d.]+) MB / ([\\d.]+) MB \\|$`, "m").exec(readme);
      expect(row, `README row for ${name}`).not.toBeNull();
      const actual = sizes(tarball);
      const stated = { packed: Number(row![1]), unpacked: Number(row![2]) };
      expect(close(stated.packed, actual.packed) && close(stated.unpacked, actual.unpacked), `${name}: README ${stated.packed} / ${stated.unpacked} MB, npm pack ${actual.packed.toFixed(2)} / ${actual.unpacked.toFixed(2)} MB`).toBe(true);
    }
  });
});

describe("installed into an app outside the repo", () => {
  let app: string;
  // A script file, not `--input-type=module -e`: worker_threads inherit execArgv, and that flag kills a worker.
  const node = (script: string) => {
    writeFileSync(join(app, "script.mjs"), script);
    return spawnSync(process.execPath, [join(app, "script.mjs")], { cwd: app, encoding: "utf8", timeout: 150_000 });
  };

  beforeAll(() => {
    app = join(work, "app");
    mkdirSync(join(app, "node_modules"), { recursive: true });
    // The library's dependencies from the repo (symlinked: their own dependencies resolve there).
    const deps = Object.keys((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies);
    for (const dep of deps) {
      mkdirSync(dirname(join(app, "node_modules", dep)), { recursive: true });
      symlinkSync(join(root, "node_modules", dep), join(app, "node_modules", dep), "dir");
    }
    installBuiltPackage(app, { circuits: false, packs });
  });

  it("without @proofline/circuits: the EBSL default says what to install; own circuits need nothing", () => {
    const r = node(`
      const lib = await import("proofline/node");
      const out = {};
      try { lib.createNodeProofAPI(); } catch (e) { out.error = { code: e.code, name: e.name, message: e.message, details: e.details }; }
      const own = lib.createNodeProofAPI({ circuits: [{ id: "mine", capacity: 1, wasm: { url: "/x.wasm", bytes: 1, sha256: "0".repeat(64) }, zkey: { url: "/x.zkey", bytes: 1, sha256: "0".repeat(64) }, vkey: { url: "/x.json", bytes: 1, sha256: "0".repeat(64) } }] });
      own.dispose();
      out.own = true;
      console.log(JSON.stringify(out));
    `);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { error: { code: string; name: string; message: string; details: Record<string, unknown> }; own: boolean };
    expect(out.error.code).toBe("ARTIFACT_NOT_FOUND");
    expect(out.error.name).toBe("ArtifactNotFoundError");
    expect(out.error.message).toContain("npm i @proofline/circuits");
    expect(out.error.details).toEqual({ package: "@proofline/circuits", fix: "npm i @proofline/circuits" });
    expect(out.own).toBe(true);
  });

  it("with @proofline/circuits: the default Node API proves and verifies", () => {
    installBuiltPackage(app, { circuits: ["ebsl-16"], packs });
    const r = node(`
      import { readFileSync } from "node:fs";
      import { createRequire } from "node:module";
      import { dirname, join } from "node:path";
      const { createNodeProofAPI, packageCircuitsDir } = await import("proofline/node");
      const now = Date.now();
      const attestations = [0, 1, 2].map((i) => ({
        source: "0x" + (0xd000 + i).toString(16).padStart(40, "0"), target: "0x" + "ab".repeat(20),
        opinion: { belief: 0.6, disbelief: 0.1, uncertainty: 0.3, base_rate: 0.5 }, attestation_type: "trust",
        weight: 1, created_at: now - 1000, expires_at: now + 86_400_000,
      }));
      const api = createNodeProofAPI({ proverOptions: { poolSize: 1 } });
      try {
        const result = await api.requestProof(attestations, "exact");
        console.log(JSON.stringify({ dir: packageCircuitsDir(), circuitId: result.circuitId, verified: await api.verify(result) }));
      } finally { api.dispose(); }
    `);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as { dir: string; circuitId: string; verified: boolean };
    expect(out.dir).toBe(join(app, "node_modules/@proofline/circuits"));
    expect(out.circuitId).toBe("ebsl-16");
    expect(out.verified).toBe(true);
  });
});
