#!/usr/bin/env node
// Bench dispatcher: `npm run bench -- <name> [args]` runs bench/<name>.mjs under tsx (benches
// import the TypeScript sources) after making sure the built worker exists (`vite build`).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const [name, ...args] = process.argv.slice(2);
const available = readdirSync(here).filter((f) => f.endsWith(".mjs") && !["run.mjs"].includes(f) && !f.startsWith("_")).map((f) => f.slice(0, -4));
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(", ")}`);
  process.exit(2);
}
if (!existsSync(join(root, "dist/prover.node-worker.js"))) {
  console.error("building dist/ (vite build) ...");
  const b = spawnSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) process.exit(b.status ?? 1);
}
const r = spawnSync(process.execPath, ["--import", "tsx", join(here, `${name}.mjs`), ...args], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
