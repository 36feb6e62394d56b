// Synthetic circuits for scale benches: 2^16 ... 2^21 constraints, two kinds, generated on demand
// into .synthetic/ (git-ignored, never committed) with an INSECURE deterministic dev setup.
//
//   full  a chain of x -> (x + c_i)^7 rounds (MiMC-style; 4 constraints a round): every witness
//         value is a full-width field element, as in Merkle paths and hash chains.
//   bits  64-bit range checks of seed + i (65 constraints each): the witness is almost all 0/1.
//
// Each circuit fills 15/16 of its power's domain. The setup is INSECURE, from known secrets
// (dev-ptau.mjs: anyone can forge proofs): by default dev-zkey.mjs writes the zkey directly from
// the known tau; `--zkey-new` takes the reference path, a dev ptau file and `snarkjs zkey new`,
// whose output is byte-identical and much slower. Cached by the circuit's source hash and setup.
// The zkey is snarkjs's first one (no contribution): it proves and verifies like any other.
//
//   node scripts/circuits/synthetic.mjs <full|bits> <power 10..21> [--zkey-new]
//   prints the artifact paths as JSON, and the setup time with the load average on stderr
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { circuitPower, readR1csHeader } from "./r1cs-header.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SYNTHETIC_DIR = join(ROOT, ".synthetic");
export const KINDS = ["full", "bits"];
const BANNER = "INSECURE synthetic circuit: dev setup with a KNOWN tau (anyone can forge proofs), for benchmarks only";
/** direct: dev-zkey.mjs writes the zkey from the known tau; zkey-new: the slower reference path. */
export const SETUPS = ["direct", "zkey-new"];

/**
 * Rounds (full) or range checks (bits) for a power: 15/16 of the domain, 9/16 at 2^21. circom2
 * is itself wasm32: its compile holds about 2.3 KiB per constraint, so 15/16 of 2^21 would need
 * more than one 4 GiB memory. 9/16 still needs the 2^21 domain (H has 2^21 points).
 */
export function stepsFor(kind, power) {
  const room = power >= 21 ? 2 ** power - 7 * 2 ** (power - 4) : 2 ** power - 2 ** (power - 4);
  return Math.floor(room / (kind === "full" ? 4 : 65));
}

function source(kind, steps) {
  if (kind === "full") {
    return `pragma circom 2.1.0;
// ${BANNER}
template Chain(N) {
  signal input x;
  signal output y;
  signal t[N + 1];
  signal t2[N];
  signal t4[N];
  signal t6[N];
  t[0] <== x;
  for (var i = 0; i < N; i++) {
    var c = (i + 1) * 7919 + 12345;
    t2[i] <== (t[i] + c) * (t[i] + c);
    t4[i] <== t2[i] * t2[i];
    t6[i] <== t4[i] * t2[i];
    t[i + 1] <== t6[i] * (t[i] + c);
  }
  y <== t[N];
}
component main = Chain(${steps});
`;
  }
  return `pragma circom 2.1.0;
// ${BANNER}
template RangeChecks(N) {
  signal input seed;
  signal output out;
  signal bits[N][64];
  for (var i = 0; i < N; i++) {
    var lc = 0;
    var e = 1;
    for (var j = 0; j < 64; j++) {
      bits[i][j] <-- ((seed + i) >> j) & 1;
      bits[i][j] * (bits[i][j] - 1) === 0;
      lc += bits[i][j] * e;
      e = e + e;
    }
    lc === seed + i;
  }
  out <== seed * seed;
}
component main = RangeChecks(${steps});
`;
}

/** A valid input for the kind: a full-width start value, or a seed that keeps every check in 64 bits. */
export function inputFor(kind, salt = 1) {
  if (kind === "full") return { x: (12345678901234567890123456789n * BigInt(salt) + 987654321n).toString() };
  return { seed: (1_000_003n * BigInt(salt) + 77n).toString() };
}

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => (code === 0 ? resolve(output) : reject(new Error(`${cmd} ${args.join(" ")} failed (${code}):\n${output.slice(-2000)}`))));
  });
}

function checkKindAndPower(kind, power) {
  if (!KINDS.includes(kind)) throw new Error(`kind must be one of ${KINDS.join(", ")}`);
  if (!Number.isInteger(power) || power < 10 || power > 21) throw new Error("power must be an integer in 10..21");
}

/** Compile the kind at a power into `dir`: { id, r1cs, wasm, constraints }. Checks the power. */
export async function compileSynthetic(kind, power, dir) {
  checkKindAndPower(kind, power);
  const id = `synthetic-${kind}-${power}`;
  mkdirSync(dir, { recursive: true });
  const circom = join(dir, `${id}.circom`);
  writeFileSync(circom, source(kind, stepsFor(kind, power)));
  await run(process.execPath, [join(ROOT, "node_modules/.bin/circom2"), circom, "--r1cs", "--wasm", "--O1", "-o", dir], ROOT);
  const r1cs = join(dir, `${id}.r1cs`);
  const header = await readR1csHeader(r1cs);
  const p = circuitPower(header);
  if (p !== power) throw new Error(`[${id}] landed at power ${p}, not ${power}`);
  return { id, r1cs, wasm: join(dir, `${id}_js`, `${id}.wasm`), constraints: header.nConstraints };
}

/** A finished compile of this very source in `dir` (its r1cs at the power, its wasm), or null. */
async function compiledEarlier(kind, power, dir, code) {
  const id = `synthetic-${kind}-${power}`;
  const r1cs = join(dir, `${id}.r1cs`);
  const wasm = join(dir, `${id}_js`, `${id}.wasm`);
  const circom = join(dir, `${id}.circom`);
  if (![r1cs, wasm, circom].every((p) => existsSync(p)) || readFileSync(circom, "utf8") !== code) return null;
  const header = await readR1csHeader(r1cs);
  if (circuitPower(header) !== power) return null;
  return { id, r1cs, wasm, constraints: header.nConstraints };
}

const seconds = (t0) => ((performance.now() - t0) / 1000).toFixed(1);
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");

/**
 * The artifacts of one synthetic circuit, built if missing (cached by source hash and setup):
 * { id, kind, power, constraints, setup, setupSeconds, wasm, zkey, vkey } with absolute paths.
 * `setup: "zkey-new"` takes the reference path (dev ptau file, then `snarkjs zkey new`); the
 * default writes the same zkey directly from the known tau (dev-zkey.mjs).
 */
export async function ensureSynthetic(kind, power, { log = () => {}, setup = "direct" } = {}) {
  checkKindAndPower(kind, power);
  if (!SETUPS.includes(setup)) throw new Error(`setup must be one of ${SETUPS.join(", ")}`);
  const id = `synthetic-${kind}-${power}`;
  const dir = join(SYNTHETIC_DIR, id);
  const code = source(kind, stepsFor(kind, power));
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const paths = { wasm: join(dir, `${id}.wasm`), zkey: join(dir, `${id}.zkey`), vkey: join(dir, `${id}.vkey.json`), meta: join(dir, "meta.json") };
  if (existsSync(paths.meta)) {
    const meta = JSON.parse(readFileSync(paths.meta, "utf8"));
    // Circuits made before `setup` was recorded were made directly (the two setups write the same bytes anyway).
    if (meta.hash === hash && (meta.setup ?? "direct") === setup && existsSync(paths.zkey)) return { ...meta, ...paths };
  }
  const work = join(dir, "work");
  log(`[${id}] ${BANNER}`);
  let t0 = performance.now();
  // circom's compile takes most of the time at 2^19 and up (tens of minutes): a compile whose
  // setup was interrupted is taken up again when its source is the same.
  let compiled = await compiledEarlier(kind, power, work, code);
  if (compiled) log(`[${id}] compiled earlier: ${compiled.constraints} constraints`);
  else {
    rmSync(dir, { recursive: true, force: true });
    compiled = await compileSynthetic(kind, power, work);
    log(`[${id}] compiled in ${seconds(t0)} s: ${compiled.constraints} constraints, power ${power}`);
  }
  t0 = performance.now();
  // The setup runs in its own process: snarkjs's threaded curve keeps a process alive.
  await run(process.execPath, [fileURLToPath(import.meta.url), "--setup", setup, compiled.r1cs, String(power), paths.zkey, paths.vkey], ROOT);
  const setupSeconds = Number(seconds(t0));
  log(`[${id}] INSECURE dev setup (${setup}, known tau) at power ${power}: ${setupSeconds} s, load ${load()}`);
  renameSync(compiled.wasm, paths.wasm);
  rmSync(work, { recursive: true, force: true });
  const meta = { id, kind, power, hash, constraints: compiled.constraints, setup, setupSeconds, insecure: BANNER };
  writeFileSync(paths.meta, `${JSON.stringify(meta, null, 1)}\n`);
  return { ...meta, ...paths };
}

async function runSetup(setup, r1cs, power, zkey, vkey) {
  const snarkjs = await import("snarkjs");
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  try {
    if (setup === "direct") {
      const { writeDevZkey } = await import("./dev-zkey.mjs");
      await writeDevZkey(curve, r1cs, zkey);
    } else {
      const { writeDevPtau } = await import("./dev-ptau.mjs");
      const ptau = join(SYNTHETIC_DIR, `dev-${power}.ptau`);
      if (!existsSync(ptau)) {
        await writeDevPtau(curve, `${ptau}.part`, { power });
        renameSync(`${ptau}.part`, ptau);
      }
      const made = await snarkjs.zKey.newZKey(r1cs, ptau, zkey);
      if (!(made instanceof Uint8Array)) throw new Error("zkey new failed");
    }
    writeFileSync(vkey, `${JSON.stringify(await snarkjs.zKey.exportVerificationKey(zkey), null, 1)}\n`);
  } finally {
    await curve.terminate();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [a, b, ...rest] = process.argv.slice(2);
  try {
    if (a === "--setup") {
      await runSetup(b, rest[0], Number(rest[1]), rest[2], rest[3]);
      process.exit(0);
    }
    const setup = rest.includes("--zkey-new") ? "zkey-new" : "direct";
    const made = await ensureSynthetic(a, Number(b), { log: (m) => console.error(m), setup });
    console.log(JSON.stringify(made));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
