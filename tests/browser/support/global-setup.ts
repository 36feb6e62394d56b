/**
 * Build what the browser suite serves: the library (dist/, if missing) and the demo
 * (demo/dist/, always: it is cheap and must match the current library build).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const vite = `${root}node_modules/vite/bin/vite.js`;

function run(args: string[]): void {
  // vitest sets NODE_ENV=test, and a Vite build that inherits it resolves Svelte's development
  // condition: the demo would render with Svelte's dev-mode tracing (stack captures on every
  // signal), several times the main-thread work of the production build a dapp ships.
  const env = { ...process.env, NODE_ENV: "production" };
  const r = spawnSync(process.execPath, [vite, ...args, "--logLevel", "warn"], { cwd: root, stdio: "inherit", env });
  if (r.status !== 0) throw new Error(`vite ${args.join(" ")} failed (${r.status})`);
}

export default function setup(): void {
  if (!existsSync(`${root}dist/index.js`) || !existsSync(`${root}dist/prover.worker.js`)) run(["build"]);
  run(["build", "--config", "demo/vite.config.ts"]);
}
