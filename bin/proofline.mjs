#!/usr/bin/env node
// The proofline command line: `pin` pins a circom circuit's artifacts in a circuit manifest
// (scripts/pin/pin-manifest.mjs holds the logic); `serve` and `worker` run the service, which
// lives in its own package (@proofline/server) so the library stays small and browser-clean.
// Exit codes: 0 done, 1 the inputs were rejected (the message says why), 2 wrong usage.
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PinError, findArtifacts, pinCircuit } from "../scripts/pin/pin-manifest.mjs";

const USAGE = `Usage:
  proofline pin <wasm> <zkey> <vkey> [options]
  proofline serve [--port 8080] [--host 127.0.0.1] [--api-keys k1,k2]
                                        the verification and remote proving service
                                        (needs @proofline/server; REDIS_URL: jobs on BullMQ)
  proofline worker                      a prover worker process for the service (needs REDIS_URL)
  proofline pin <dir> [options]         finds *.wasm, *.zkey, *.vkey.json | vkey.json |
                                        verification_key.json (and one *.r1cs) in <dir> and its
                                        subdirectories

Checks that the files belong together (zkey header, vkey points, nPublic, witness size) and
writes or updates the circuit's entry in the manifest: path, bytes and SHA-256 per artifact,
power and nPublic from the zkey (and constraints from an r1cs).

Options:
  --id <id>           circuit id (default: the wasm's file name without .wasm)
  --manifest <file>   manifest to write or update (default: circuits/manifest.json)
  --base <dir>        directory the artifact paths are relative to, i.e. what you serve at the
                      URL you pass to circuitsFromManifest (default: the manifest's directory)
  --r1cs <file>       also pin the constraint count and the r1cs SHA-256
  -h, --help          this text
  -v, --version       proofline's version
`;

class UsageError extends Error {}

/** parseManifest of this package's own build, so the CLI accepts exactly what the library does. */
async function libraryValidator() {
  const url = new URL("../dist/index.js", import.meta.url);
  if (!existsSync(fileURLToPath(url))) return undefined;
  const { parseManifest } = await import(url.href);
  return (manifest) => void parseManifest(manifest);
}

const shown = (path) => {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
};
const size = (bytes) => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : bytes >= 1e3 ? `${(bytes / 1e3).toFixed(1)} kB` : `${bytes} B`);

async function pin(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: "string" },
      manifest: { type: "string" },
      base: { type: "string" },
      r1cs: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return void process.stdout.write(USAGE);
  let files;
  const notes = [];
  if (positionals.length === 1) {
    const found = await findArtifacts(positionals[0]);
    notes.push(...found.notes);
    files = { wasm: found.wasm, zkey: found.zkey, vkey: found.vkey, r1cs: values.r1cs ?? found.r1cs };
  } else if (positionals.length === 3) {
    const [wasm, zkey, vkey] = positionals;
    files = { wasm, zkey, vkey, r1cs: values.r1cs };
  } else {
    throw new UsageError(`pin takes <wasm> <zkey> <vkey> or one <dir>, got ${positionals.length} argument(s)`);
  }
  const validate = await libraryValidator();
  if (!validate) notes.push("not checked with parseManifest: this proofline has no dist/ build");
  const result = await pinCircuit({ ...files, id: values.id, manifest: values.manifest, base: values.base, validate });
  const { entry } = result;
  const lines = [`${result.action} "${result.id}" in ${shown(result.manifestPath)}${result.created ? " (new manifest)" : ""}`];
  for (const role of ["wasm", "zkey", "vkey"]) {
    lines.push(`  ${role}  ${entry[role].path}  ${size(entry[role].bytes)}  sha256 ${entry[role].sha256}`);
  }
  const constraints = entry.constraints === undefined ? "constraints not pinned (no --r1cs)" : `${entry.constraints} constraints`;
  lines.push(`  power ${entry.power} (domain ${result.domainSize}), nPublic ${entry.nPublic}, ${constraints}`);
  for (const note of [...notes, ...result.notes]) lines.push(`note: ${note}`);
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** `serve` and `worker` run from @proofline/server, installed beside proofline. */
async function service(command, argv) {
  let cli;
  try {
    cli = await import("@proofline/server/cli");
  } catch (error) {
    if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
    process.stderr.write(`proofline ${command}: the service is a separate package: npm i @proofline/server @proofline/circuits\n`);
    process.exitCode = 1;
    return;
  }
  await (command === "serve" ? cli.serve(argv) : cli.worker(argv));
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") return void process.stdout.write(USAGE);
  if (command === "-v" || command === "--version") {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    return void process.stdout.write(`${pkg.version}\n`);
  }
  if (command === "serve" || command === "worker") return void (await service(command, rest));
  if (command !== "pin") throw new UsageError(`unknown command "${command}"`);
  await pin(rest);
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof PinError && error.code !== "USAGE") {
    process.stderr.write(`proofline pin: ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof UsageError || error?.code === "USAGE" || error?.code?.startsWith?.("ERR_PARSE_ARGS")) {
    process.stderr.write(`proofline: ${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`proofline: unexpected failure: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  }
});
