#!/usr/bin/env node
// Builds native/bn254/*.c into the committed src/lib/proof/worker/bn254/bn254.wasm, the module
// the prover ships, and native/bn254-test.wasm: the same sources with -DBN254_TEST_EXPORTS, which
// also exports the single field and point operations (TEST_EXPORT in native/bn254/base.h) that
// the differential tests and the dev-setup scripts call. The test build lies outside src/, so
// neither the package ("files") nor a bundle ever contains it.
//
// Deterministic: constants.h is regenerated from the primes, sources are compiled in sorted
// order with fixed flags and no debug info, so the same clang gives the same bytes (the sha256
// is printed). `--check` builds to temporary files and fails if either differs from the
// committed one, for CI. Nothing of the build machine reaches the output: no paths (the prefix map),
// no timestamps (wasm-ld writes none), no debug info; the same bytes were built from another
// directory. Toolchain: clang-19 and wasm-ld-19 (Debian packages clang-19, lld-19, pinned
// below); override with CLANG=... and WASM_LD=....
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { constantsHeader } from "./constants.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const srcDir = join(root, "native/bn254");
const check = process.argv.includes("--check");
const clang = process.env.CLANG ?? "clang-19";
const ld = process.env.WASM_LD ?? "/usr/bin/wasm-ld-19";

// The pinned toolchain: the committed bn254.wasm is what these versions build, and another
// compiler version may schedule or inline differently (same behaviour, other bytes). CI
// installs Debian's clang-19 and lld-19 (.ci/run); BN254_ANY_CLANG=1 builds with whatever is
// found, for experiments only.
const PINNED = { clang: "Debian clang version 19.1.7 (3~deb12u1)", ld: "Debian LLD 19.1.7" };
const versionOf = (tool) => {
  const v = spawnSync(tool, ["--version"], { encoding: "utf8" });
  if (v.status !== 0) fail(`${tool} not found: install Debian clang-19 and lld-19 (apt-get install clang-19 lld-19)`);
  return v.stdout.split("\n")[0].trim();
};
const found = { clang: versionOf(clang), ld: versionOf(ld) };
for (const k of /** @type {const} */ (["clang", "ld"])) {
  if (found[k] !== PINNED[k] && process.env.BN254_ANY_CLANG !== "1") {
    fail(`${k} is "${found[k]}", not the pinned "${PINNED[k]}" (set BN254_ANY_CLANG=1 to build anyway)`);
  }
}

const header = constantsHeader();
const headerPath = join(srcDir, "constants.h");
if (!existsSync(headerPath) || readFileSync(headerPath, "utf8") !== header) {
  if (check) fail("native/bn254/constants.h is stale: run npm run native:build");
  writeFileSync(headerPath, header);
}

const sources = readdirSync(srcDir).filter((f) => f.endsWith(".c")).sort().map((f) => join(srcDir, f));
const scratch = check ? mkdtempSync(join(tmpdir(), "bn254-")) : undefined;
const builds = [
  { out: join(root, "src/lib/proof/worker/bn254/bn254.wasm"), defines: [] },
  { out: join(root, "native/bn254-test.wasm"), defines: ["-DBN254_TEST_EXPORTS"] },
];
for (const { out, defines } of builds) build(out, defines);

function build(outFile, defines) {
  const name = outFile.slice(root.length);
  const target = scratch ? join(scratch, basename(outFile)) : outFile;
  const flags = [
    "--target=wasm32", "-nostdlib", "-O3", "-std=c11", "-Wall", "-Wextra", "-Werror", ...defines,
    // Node >= 20 and every current browser run these; bulk memory turns struct copies and
    // zeroing into memory.copy/memory.fill instead of calls to a libc we do not link.
    "-mbulk-memory", "-msign-ext", "-mmutable-globals", "-mnontrapping-fptoint",
    `-ffile-prefix-map=${root}=`, "-g0",
    `-fuse-ld=${ld}`,
    "-Wl,--no-entry", "-Wl,--strip-all", "-Wl,-z,stack-size=262144",
    "-o", target, ...sources,
  ];
  const r = spawnSync(clang, flags, { cwd: root, stdio: "inherit" });
  if (r.status !== 0) fail(`${clang} failed on ${name} (status ${r.status ?? r.error})`);

  const bytes = readFileSync(target);
  const sha = createHash("sha256").update(bytes).digest("hex");
  if (check) {
    const committed = existsSync(outFile) ? readFileSync(outFile) : Buffer.alloc(0);
    if (!committed.equals(bytes)) fail(`${name} differs from a fresh build (fresh sha256 ${sha})`);
    console.log(`${name} matches a fresh build: ${bytes.length} bytes, sha256 ${sha} (${found.clang}, ${found.ld})`);
  } else {
    console.log(`wrote ${name}: ${bytes.length} bytes, sha256 ${sha}`);
  }
}

function fail(msg) {
  console.error(`native:build: ${msg}`);
  process.exit(1);
}
