// npm run circuits:build -- <small|medium|large|all|circuit id>
// Compiles the EBSL circuits, runs the INSECURE deterministic dev setup, writes
// circuits/build/<id>/{<id>.wasm,<id>.zkey,<id>.vkey.json} and updates circuits/manifest.json.
import * as snarkjs from "snarkjs";
import { spawnSync } from "node:child_process";
import { copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  BEACON_HASH, BEACON_ITERATIONS_EXP, CIRCUITS_DIR, ROOT, INSECURE_BANNER, PUBLIC_SIGNALS,
  artifactPaths, compileCircuit, describeFile, readManifest, seconds, selectCircuits, sha256File, writeManifest,
} from "./circuits.mjs";
import { circuitPower, readR1csHeader } from "./r1cs-header.mjs";
import { writeDevPtau } from "./dev-ptau.mjs";

const WORK_DIR = join(CIRCUITS_DIR, ".work");
const PTAU_DIR = join(CIRCUITS_DIR, ".ptau");

function banner() {
  const line = "!".repeat(INSECURE_BANNER.length + 8);
  console.log(`\n${line}\n!!! ${INSECURE_BANNER} !!!\n${line}\n`);
}

async function buildOne(curve, circuit) {
  const work = join(WORK_DIR, circuit.id);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const paths = artifactPaths(circuit);
  await mkdir(join(CIRCUITS_DIR, circuit.dir), { recursive: true });

  let t0 = performance.now();
  const compiled = await compileCircuit(circuit, work);
  const header = await readR1csHeader(compiled.r1cs);
  const power = circuitPower(header);
  console.log(`[${circuit.id}] compiled in ${seconds(t0)} s: ${header.nConstraints} constraints, power ${power}`);

  t0 = performance.now();
  // The dev ptau depends only on the power and is deterministic: one written earlier is reused.
  await mkdir(PTAU_DIR, { recursive: true });
  const ptau = join(PTAU_DIR, `dev-${power}.ptau`);
  if (!existsSync(ptau)) {
    const partial = `${ptau}.partial`;
    await writeDevPtau(curve, partial, { power, log: (m) => console.log(`[${circuit.id}] ptau ${m}`) });
    await rename(partial, ptau);
  }
  const tPtau = seconds(t0);
  const zkey0 = join(work, `${circuit.id}_0.zkey`);
  const t1 = performance.now();
  const csHash = await snarkjs.zKey.newZKey(compiled.r1cs, ptau, zkey0);
  if (!(csHash instanceof Uint8Array)) throw new Error(`[${circuit.id}] zkey new failed`);
  const zkeyAbs = join(CIRCUITS_DIR, paths.zkey);
  await snarkjs.zKey.beacon(zkey0, zkeyAbs, "proofline insecure dev beacon", BEACON_HASH, BEACON_ITERATIONS_EXP);
  const vkey = await snarkjs.zKey.exportVerificationKey(zkeyAbs);
  await writeFile(join(CIRCUITS_DIR, paths.vkey), `${JSON.stringify(vkey, null, 1)}\n`);
  await copyFile(compiled.wasm, join(CIRCUITS_DIR, paths.wasm));
  console.log(`[${circuit.id}] setup: ptau ${tPtau} s, zkey new + beacon + vkey ${seconds(t1)} s`);
  if (vkey.nPublic !== PUBLIC_SIGNALS.length) {
    throw new Error(`[${circuit.id}] nPublic ${vkey.nPublic}, expected ${PUBLIC_SIGNALS.length}`);
  }

  const entry = {
    id: circuit.id,
    family: "ebsl",
    capacity: circuit.capacity,
    constraints: header.nConstraints,
    power,
    nPublic: vkey.nPublic,
    publicSignals: PUBLIC_SIGNALS,
    committed: circuit.committed,
    r1cs: { sha256: await sha256File(compiled.r1cs) },
    wasm: await describeFile(paths.wasm),
    zkey: await describeFile(paths.zkey),
    vkey: await describeFile(paths.vkey),
  };
  await rm(work, { recursive: true, force: true });
  return entry;
}

async function main() {
  const selected = selectCircuits(process.argv[2]);
  banner();
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  try {
    for (const circuit of selected) {
      const t0 = performance.now();
      const entry = await buildOne(curve, circuit);
      // Re-read so parallel builds of different variants do not drop each other's entries.
      const manifest = await readManifest();
      manifest.circuits[circuit.id] = entry;
      await writeManifest(manifest);
      console.log(`[${circuit.id}] done in ${seconds(t0)} s: zkey ${entry.zkey.bytes} B, wasm ${entry.wasm.bytes} B`);
    }
  } finally {
    await curve.terminate();
  }
  // The Solidity verifiers follow the zkeys (contracts/verifiers/, checked by circuits:check).
  const exported = spawnSync(process.execPath, [join(ROOT, "scripts/circuits/export-verifiers.mjs")], { stdio: "inherit" });
  if (exported.status !== 0) throw new Error("exporting the Solidity verifiers failed");
  banner();
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
