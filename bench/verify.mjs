// Groth16 verification of one ebsl-16 proof (8 public signals): snarkjs.groth16.verify (what a
// user calls: its default threaded curve) against proofline's prepared-vkey verifier on a
// single-threaded curve (worker/groth16-verify.ts, what the prover worker runs), in this process,
// interleaved rounds, p50 of each. The LAST line is JSON.
//   npm run bench -- verify [--rounds 5] [--per-round 20]
import { loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { verifyGroth16 } from "../src/lib/proof/worker/groth16-verify.ts";
import { loadBn128 } from "../src/lib/proof/worker/rerandomize.ts";
import { makeProofs } from "./_service-fixtures.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const arg = (name, fallback) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const ROUNDS = arg("rounds", 5);
const PER_ROUND = arg("per-round", 20);
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

const [proof] = await makeProofs(1);
const vkey = JSON.parse(readFileSync(`${root}circuits/build/${proof.circuitId}/${proof.circuitId}.vkey.json`, "utf8"));
const curve = await loadBn128();
const sides = {
  snarkjs: async () => snarkjs.groth16.verify(vkey, proof.publicSignals, proof.proof),
  prepared: async () => verifyGroth16(curve, vkey, proof.publicSignals, proof.proof),
};
for (const run of Object.values(sides)) if ((await run()) !== true) throw new Error("the proof does not verify");
const loadBefore = load();
const times = { snarkjs: [], prepared: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const name of r % 2 ? ["prepared", "snarkjs"] : ["snarkjs", "prepared"]) {
    for (let i = 0; i < PER_ROUND; i++) {
      const t = performance.now();
      await sides[name]();
      times[name].push(performance.now() - t);
    }
  }
}
const p50 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const result = { snarkjsP50: Number(p50(times.snarkjs).toFixed(2)), preparedP50: Number(p50(times.prepared).toFixed(2)) };
console.log(`one ebsl-16 verification, ${ROUNDS} interleaved rounds of ${PER_ROUND}: snarkjs.groth16.verify p50 ${result.snarkjsP50} ms, prepared vkey p50 ${result.preparedP50} ms (${(result.preparedP50 / result.snarkjsP50).toFixed(2)}x); load ${loadBefore.join(" ")} -> ${load().join(" ")}`);
console.log(JSON.stringify({ bench: "verify", circuitId: proof.circuitId, rounds: ROUNDS, perRound: PER_ROUND, ...result, ratio: Number((result.preparedP50 / result.snarkjsP50).toFixed(3)), loadavg: { before: loadBefore, after: load() } }));
await globalThis.curve_bn128?.terminate();
process.exit(0);
