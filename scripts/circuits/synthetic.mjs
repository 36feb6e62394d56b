// Synthetic circuits for scale benches: 2^16 ... 2^21 constraints, two kinds, generated on demand
// into .synthetic/ (git-ignored, never committed) with an INSECURE deterministic dev setup.
//
//   full  a chain of x -> (x + c_i)^7 rounds (MiMC-style; 4 constraints a round): every witness
//         value is a full-width field element, as in Merkle paths and hash chains.
//   bits  64-bit range checks of seed + i (65 constraints each): the witness is almost all 0/1.
//
// Each circuit fills 15/16 of its power's domain. The setup is the dev powers of tau
// (dev-ptau.mjs, known tau: anyone can forge proofs) and `snarkjs zkey new`, cached by the
// circuit's source hash. The zkey is snarkjs's first one (no contribution): it proves and
// verifies like any other, and is exactly as insecure as the ptau under it.
//
//   node scripts/circuits/synthetic.mjs <full|bits> <power 10..21>   prints the artifact paths as JSON
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { circuitPower, readR1csHeader } from "./r1cs-header.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const SYNTHETIC_DIR = join(ROOT, ".synthetic");
export const KINDS = ["full", "bits"];
const BANNER = "INSECURE synthetic circuit: dev setup with a known tau, for benchmarks only";

/** Rounds (full) or range checks (bits) for a power: 15/16 of the domain. */
export function stepsFor(kind, power) {
  const room = 2 ** power - 2 ** (power - 4);
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

/**
 * The artifacts of one synthetic circuit, built if missing (cached by source hash):
 * { id, kind, power, constraints, wasm, zkey, vkey } with absolute paths.
 */
export async function ensureSynthetic(kind, power, { log = () => {} } = {}) {
  if (!KINDS.includes(kind)) throw new Error(`kind must be one of ${KINDS.join(", ")}`);
  if (!Number.isInteger(power) || power < 10 || power > 21) throw new Error("power must be an integer in 10..21");
  const id = `synthetic-${kind}-${power}`;
  const dir = join(SYNTHETIC_DIR, id);
  const code = source(kind, stepsFor(kind, power));
  const hash = createHash("sha256").update(code).digest("hex").slice(0, 16);
  const paths = { wasm: join(dir, `${id}.wasm`), zkey: join(dir, `${id}.zkey`), vkey: join(dir, `${id}.vkey.json`), meta: join(dir, "meta.json") };
  if (existsSync(paths.meta)) {
    const meta = JSON.parse(readFileSync(paths.meta, "utf8"));
    if (meta.hash === hash && existsSync(paths.zkey)) return { ...meta, ...paths };
  }
  rmSync(dir, { recursive: true, force: true });
  const work = join(dir, "work");
  mkdirSync(work, { recursive: true });
  log(`[${id}] ${BANNER}`);
  const circom = join(work, `${id}.circom`);
  writeFileSync(circom, code);
  let t0 = performance.now();
  await run(process.execPath, [join(ROOT, "node_modules/.bin/circom2"), circom, "--r1cs", "--wasm", "--O1", "-o", work], ROOT);
  const r1cs = join(work, `${id}.r1cs`);
  const header = await readR1csHeader(r1cs);
  const p = circuitPower(header);
  log(`[${id}] compiled in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${header.nConstraints} constraints, power ${p}`);
  if (p !== power) throw new Error(`[${id}] landed at power ${p}, not ${power}`);
  t0 = performance.now();
  // The setup runs in its own process: snarkjs's threaded curve keeps a process alive.
  await run(process.execPath, [fileURLToPath(import.meta.url), "--setup", r1cs, String(power), paths.zkey, paths.vkey], ROOT);
  log(`[${id}] dev setup in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  renameSync(join(work, `${id}_js`, `${id}.wasm`), paths.wasm);
  rmSync(work, { recursive: true, force: true });
  const meta = { id, kind, power, hash, constraints: header.nConstraints, insecure: BANNER };
  writeFileSync(paths.meta, `${JSON.stringify(meta, null, 1)}\n`);
  return { ...meta, ...paths };
}

async function setup(r1cs, power, zkey, vkey) {
  const snarkjs = await import("snarkjs");
  const { writeDevPtau } = await import("./dev-ptau.mjs");
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  try {
    const ptau = join(SYNTHETIC_DIR, `dev-${power}.ptau`);
    if (!existsSync(ptau)) {
      await writeDevPtau(curve, `${ptau}.part`, { power });
      renameSync(`${ptau}.part`, ptau);
    }
    const made = await snarkjs.zKey.newZKey(r1cs, ptau, zkey);
    if (!(made instanceof Uint8Array)) throw new Error("zkey new failed");
    writeFileSync(vkey, `${JSON.stringify(await snarkjs.zKey.exportVerificationKey(zkey), null, 1)}\n`);
  } finally {
    await curve.terminate();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [a, b, ...rest] = process.argv.slice(2);
  try {
    if (a === "--setup") {
      await setup(b, Number(rest[0]), rest[1], rest[2]);
      process.exit(0);
    }
    const made = await ensureSynthetic(a, Number(b), { log: (m) => console.error(m) });
    console.log(JSON.stringify(made));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
