#!/usr/bin/env node
// `npm run evidence`: prove every capability at run time against the BUILT library (dist/, from
// `npm run build`; this command builds nothing). Writes evidence/<timestamp>/<NN>_<name>.json
// per capability and summary.json; prints a line per capability and, last, the summary as one
// JSON line. Any failed check → exit code 1; dist missing → exit code 2.
//
//   npm run evidence [-- --only <name,...>] [--out <dir>]
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { color, EvidenceItem } from "./report.mjs";
import { loadLibrary, missingDist, root, shutdownCurve, startArtifactServer } from "./fixtures.mjs";
import { ITEMS } from "./items/index.mjs";

const ITEM_TIMEOUT_MS = 150_000;

function arg(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function gitCommit() {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return { commit, dirty };
  } catch {
    return { commit: "unknown", dirty: null };
  }
}

const missing = missingDist();
if (missing.length > 0) {
  console.error(color.red(`evidence: the built library is missing (${missing.join(", ")}). Run \`npm run build\` first.`));
  process.exit(2);
}

const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const { commit, dirty } = gitCommit();
const meta = { name: pkg.name, version: pkg.version, commit, dirty, node: process.version };
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const outDir = arg("out") ?? join(root, "evidence", stamp);
mkdirSync(outDir, { recursive: true });
const only = arg("only")?.split(",");

const lib = await loadLibrary();
const server = await startArtifactServer();
const ctx = { ...lib, server };

console.log(color.bold(`proofline ${meta.version} (${commit.slice(0, 12)}${dirty ? ", dirty" : ""}) evidence → ${outDir}`));
const rows = [];
const started = performance.now();
let index = 0;
for (const spec of ITEMS) {
  index++;
  if (only && !only.includes(spec.name)) continue;
  const item = new EvidenceItem(index, spec);
  const t0 = performance.now();
  let timer;
  try {
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`item exceeded ${ITEM_TIMEOUT_MS} ms`)), ITEM_TIMEOUT_MS);
    });
    await Promise.race([spec.run(ctx, item), timeout]);
  } catch (error) {
    item.check("the item ran to completion without an unexpected exception", false, { error: { name: error?.name, code: error?.code, message: error?.message } });
  } finally {
    clearTimeout(timer);
  }
  const ms = Math.round(performance.now() - t0);
  item.record({ itemWallMs: ms });
  const failed = item.results.filter((r) => !r.success);
  const conclusion = item.passed
    ? `PASS: ${item.results.length}/${item.results.length} checks hold. ${spec.conclusion ?? ""}`.trim()
    : `FAIL: ${failed.length} of ${item.results.length} checks failed: ${failed.map((r) => r.tested).join("; ")}`;
  const file = item.write(outDir, meta, conclusion);
  rows.push({ index, name: spec.name, passed: item.passed, checks: item.results.length, failedChecks: failed.length, ms, file: file.slice(root.length) });
  const mark = item.passed ? color.green("PASS") : color.red("FAIL");
  console.log(`${mark} ${String(index).padStart(2, "0")} ${spec.name.padEnd(26)} ${String(item.results.length - failed.length).padStart(2)}/${item.results.length} checks ${color.dim(`${(ms / 1000).toFixed(1)} s`)}`);
  for (const r of failed) console.log(color.red(`     ✗ ${r.tested} ${JSON.stringify(r.details)}`));
}
await server.close();
await shutdownCurve();

const summary = {
  ...meta,
  timestamp: new Date().toISOString(),
  outDir,
  total: rows.length,
  passed: rows.filter((r) => r.passed).length,
  failed: rows.filter((r) => !r.passed).length,
  wallMs: Math.round(performance.now() - started),
  items: rows,
};
writeFileSync(join(outDir, "summary.json"), `${JSON.stringify(summary, null, 2)}\n`);
const line = summary.failed === 0 ? color.green(`all ${summary.total} capabilities proven`) : color.red(`${summary.failed} of ${summary.total} capabilities FAILED`);
console.log(`${line} ${color.dim(`in ${(summary.wallMs / 1000).toFixed(0)} s`)}`);
console.log(JSON.stringify({ evidence: "proofline", passed: summary.passed, failed: summary.failed, total: summary.total, outDir, commit, version: meta.version }));
// Workers are disposed by each item; exit explicitly so a stray handle cannot hang CI.
process.exit(summary.failed === 0 && summary.total > 0 ? 0 : 1);
