#!/usr/bin/env node
// `npm start`: the README's main command.
//  1. builds the library (dist/) and the demo (demo/dist/) when missing or older than sources;
//  2. makes one real EBSL proof in Node through the BUILT library (proofline/node) and prints
//     the verified result (score, circuit, timings), checked again by snarkjs with the pinned vkey;
//  3. serves the demo on 127.0.0.1 (PORT, default 5173) until Ctrl-C.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const vite = join(root, "node_modules/vite/bin/vite.js");

/** Newest mtime (ms) of the files under `paths` (directories walked, node_modules/dist skipped). */
function newest(paths) {
  let max = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const s = statSync(p);
    if (s.isDirectory()) {
      for (const name of readdirSync(p)) if (name !== "node_modules" && name !== "dist") walk(join(p, name));
    } else max = Math.max(max, s.mtimeMs);
  };
  paths.forEach(walk);
  return max;
}
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);

function build(label, args) {
  console.log(`• building ${label} …`);
  const r = spawnSync(process.execPath, [vite, "build", ...args, "--logLevel", "warn"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`✗ building ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

const libOut = ["dist/index.js", "dist/node.js", "dist/ebsl.js", "dist/prover.worker.js", "dist/prover.node-worker.js"].map((f) => join(root, f));
const libSources = newest(["src", "workers", "circuits/manifest.json", "vite.config.ts", "package.json"].map((f) => join(root, f)));
if (libOut.some((f) => !existsSync(f)) || Math.min(...libOut.map(mtime)) < libSources) build("the library (dist/)", []);
const demoOut = join(root, "demo/dist/index.html");
const demoSources = Math.max(newest(["demo"].map((f) => join(root, f))), mtime(join(root, "dist/index.js")));
if (!existsSync(demoOut) || mtime(demoOut) < demoSources) build("the demo (demo/dist/)", ["--config", "demo/vite.config.ts"]);

// --- one real proof in Node, through the built package entry -------------------------------
const { createNodeProofAPI, ProofPriority } = await import(join(root, "dist/node.js"));
const { SCALE, createRegistry } = await import(join(root, "dist/ebsl.js"));
const snarkjs = await import("snarkjs");

const DAY = 86_400_000;
const now = Date.now();
const subject = "0x00000000000000000000000000000000000000aa";
const sample = [
  [0.6, 0.2, 0.2, 0.5, 1],
  [0.4, 0.2, 0.4, 0.6, 1],
  [0.5, 0.1, 0.4, 0.4, 2],
  [0.7, 0.05, 0.25, 0.5, 1.5],
].map(([belief, disbelief, uncertainty, base_rate, weight], i) => ({
  source: `0x${(0xb000 + i).toString(16).padStart(40, "0")}`,
  target: subject,
  opinion: { belief, disbelief, uncertainty, base_rate },
  attestation_type: "trust",
  weight,
  created_at: now - 10 * DAY,
  expires_at: now + 90 * DAY,
}));

// The operator's registry (here: just these attestations). A proof carries its root; a verifier
// or a claim contract accepts only roots the operator published.
const registry = createRegistry(sample);
console.log(`• proving in Node: ${sample.length} attestations about ${subject.slice(0, 6)}…${subject.slice(-4)}, exact score, registry root ${registry.root.toString(16).slice(0, 10)}…`);
const api = createNodeProofAPI({ proverOptions: { poolSize: 1 } });
let result;
try {
  result = await api.requestProof(sample, "exact", { priority: ProofPriority.HIGH, registry: registry.membership(subject) });
} catch (error) {
  console.error(`✗ proof failed: ${error?.code ?? ""} ${error?.message ?? error}`);
  api.dispose();
  process.exit(1);
} finally {
  api.dispose();
}
// The pinned vkey from the installed circuits package (the npm workspace circuits/).
const circuitsDir = dirname(createRequire(import.meta.url).resolve("@proofline/circuits/manifest.json"));
const manifest = JSON.parse(readFileSync(join(circuitsDir, "manifest.json"), "utf8"));
const vkey = JSON.parse(readFileSync(join(circuitsDir, manifest.circuits[result.circuitId].vkey.path), "utf8"));
const independent = await snarkjs.groth16.verify(vkey, [...result.publicSignals], result.proof);
await globalThis.curve_bn128?.terminate?.();
const t = result.timings;
const ms = (v) => (v === undefined ? "–" : `${Math.round(v)} ms`);
console.log(
  [
    `✓ proof ${independent ? "verified" : "DID NOT VERIFY"} (snarkjs.groth16.verify, pinned vkey of ${result.circuitId})`,
    `  score        ${(result.score / Number(SCALE ?? 1_000_000)).toFixed(6)}  (${result.score} on the 10^6 scale)`,
    `  circuit      ${result.circuitId}  (${result.attestationsUsed} attestations used${result.truncated ? ", truncated" : ""})`,
    `  timings      total ${ms(t.requestMs)} · artifacts ${ms(t.artifactsMs)} · witness ${ms(t.witnessMs)} · prove ${ms(t.proveMs)} · verify ${ms(t.verifyMs)}`,
    `  hash         ${result.hash}`,
    `  root         ${result.publicSignals[7]}  (a claim contract checks it is a published root: contracts/EbslAirdrop.sol)`,
  ].join("\n"),
);
if (!independent) process.exit(1);

// --- the demo ------------------------------------------------------------------------------
const { startDemoServer } = await import("./demo-server.mjs");
const port = Number(process.env.PORT ?? 5173);
let server;
try {
  server = await startDemoServer({ port });
} catch (error) {
  console.error(`✗ cannot listen on 127.0.0.1:${port} (${error?.code ?? error}); set PORT=<free port>`);
  process.exit(1);
}
console.log(`\n  proofline demo: ${server.url}\n  (Ctrl-C to stop)`);
const stop = () => server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
