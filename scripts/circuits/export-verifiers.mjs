// npm run circuits:verifiers [-- --check]
// Writes contracts/verifiers/Ebsl<N>Verifier.sol (snarkjs's Groth16 Solidity verifier) for every
// EBSL variant whose zkey is on disk; with --check, fails if a committed verifier differs from
// what the pinned zkey exports (a verifier for stale keys would accept nothing, or the wrong thing).
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { CIRCUITS, CIRCUITS_DIR, ROOT, artifactPaths } from "./circuits.mjs";
import { exportVerifier } from "../../contracts/chain.mjs";

export const verifierName = (circuit) => `Ebsl${circuit.capacity}Verifier`;
export const verifierPath = (circuit) => join(ROOT, "contracts", "verifiers", `${verifierName(circuit)}.sol`);

async function main() {
  const check = process.argv.includes("--check");
  let problems = 0;
  for (const circuit of CIRCUITS) {
    const zkey = join(CIRCUITS_DIR, artifactPaths(circuit).zkey);
    if (!existsSync(zkey)) {
      console.log(`  ${circuit.id}: zkey not built, verifier skipped`);
      continue;
    }
    const source = await exportVerifier(zkey, verifierName(circuit));
    const out = verifierPath(circuit);
    if (check) {
      const committed = existsSync(out) ? await readFile(out, "utf8") : undefined;
      if (committed !== source) {
        console.error(`✗ ${circuit.id}: ${out} does not match the zkey (run npm run circuits:verifiers)`);
        problems++;
      } else console.log(`  ${circuit.id}: verifier matches the zkey`);
    } else {
      await writeFile(out, source);
      console.log(`  ${circuit.id}: wrote ${out}`);
    }
  }
  const curve = globalThis.curve_bn128;
  if (curve) await curve.terminate();
  if (problems > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
