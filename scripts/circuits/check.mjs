// npm run circuits:check [-- --all]
// Recompiles the committed circuits (with --all every circuit: ebsl-64 and ebsl-256 take many
// minutes each with --O2) in a temp dir and checks that the manifest still describes the sources
// (r1cs and wasm SHA-256) and every artifact on disk (byte size and SHA-256), then that the
// exported Solidity verifiers match the zkeys. An on-demand circuit that was never built has no
// manifest entry and is reported, not failed; a present mismatching artifact fails.
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import {
  CIRCUITS, CIRCUITS_DIR, ROOT, artifactPaths, compileCircuit, readManifest, seconds, sha256File,
} from "./circuits.mjs";

async function checkCircuit(circuit, entry, tmp) {
  const problems = [];
  const notes = [];
  if (!entry && !circuit.committed) {
    return { problems, notes: [`${circuit.id}: built on demand, not built here (npm run circuits:build -- ${circuit.size})`] };
  }
  if (!entry) return { problems: [`${circuit.id}: missing from circuits/manifest.json`], notes };
  const expected = artifactPaths(circuit);

  const t0 = performance.now();
  const out = join(tmp, circuit.id);
  await mkdir(out, { recursive: true });
  const compiled = await compileCircuit(circuit, out);
  notes.push(`${circuit.id}: compiled in ${seconds(t0)} s`);
  const r1cs = await sha256File(compiled.r1cs);
  if (r1cs !== entry.r1cs?.sha256) {
    problems.push(`${circuit.id}: r1cs sha256 ${r1cs} differs from the manifest (${entry.r1cs?.sha256}); circuit sources changed without a rebuild`);
  }
  const wasm = await sha256File(compiled.wasm);
  if (wasm !== entry.wasm?.sha256) {
    problems.push(`${circuit.id}: compiled wasm sha256 ${wasm} differs from the manifest (${entry.wasm?.sha256})`);
  }

  for (const kind of ["wasm", "zkey", "vkey"]) {
    const pinned = entry[kind];
    if (!pinned || pinned.path !== expected[kind]) {
      problems.push(`${circuit.id}: manifest ${kind}.path should be ${expected[kind]}`);
      continue;
    }
    const abs = join(CIRCUITS_DIR, pinned.path);
    if (!existsSync(abs)) {
      if (entry.committed) problems.push(`${circuit.id}: ${pinned.path} is missing but marked committed`);
      else notes.push(`${circuit.id}: ${pinned.path} not built, run \`npm run circuits:build -- ${circuit.size}\``);
      continue;
    }
    const { size } = await stat(abs);
    const sha = await sha256File(abs);
    if (size !== pinned.bytes || sha !== pinned.sha256) {
      problems.push(`${circuit.id}: ${pinned.path} is ${size} B sha256 ${sha}, manifest pins ${pinned.bytes} B ${pinned.sha256}`);
    } else {
      notes.push(`${circuit.id}: ${pinned.path} ok (${size} B)`);
    }
  }
  return { problems, notes };
}

async function main() {
  const t0 = performance.now();
  const manifest = await readManifest();
  const problems = [];
  if (manifest.insecureDevSetup !== true) problems.push("manifest must say insecureDevSetup: true for the dev setup");
  const tmp = await mkdtemp(join(tmpdir(), "proofline-circuits-check-"));
  try {
    const all = process.argv.includes("--all");
    for (const circuit of CIRCUITS) {
      if (!all && !circuit.committed) {
        console.log(`  ${circuit.id}: not recompiled (on demand; --all recompiles it)`);
        continue;
      }
      const result = await checkCircuit(circuit, manifest.circuits?.[circuit.id], tmp);
      for (const n of result.notes) console.log(`  ${n}`);
      for (const p of result.problems) console.error(`✗ ${p}`);
      problems.push(...result.problems);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const verifiers = spawnSync(process.execPath, [join(ROOT, "scripts/circuits/export-verifiers.mjs"), "--check"], { encoding: "utf8" });
  process.stdout.write(verifiers.stdout);
  process.stderr.write(verifiers.stderr);
  if (verifiers.status !== 0) problems.push("Solidity verifiers do not match the zkeys");
  if (problems.length > 0) {
    console.error(`circuits:check failed with ${problems.length} problem(s) in ${seconds(t0)} s`);
    process.exitCode = 1;
  } else {
    console.log(`circuits:check ok in ${seconds(t0)} s`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
