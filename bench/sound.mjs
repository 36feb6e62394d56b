// npm run bench -- sound [runs]
// The registry-backed EBSL circuits: for each built variant, a holder with `capacity`
// attestations in an operator's registry of 1,000 leaves proves score >= 0.6 with proofline
// (Node facade, one worker, cache off) and with the naive call (snarkjs.groth16.fullProve with
// its default threads, own process, same circom input), warm, median of `runs`. Then one claim of
// the proofline proof on the example airdrop contract (in-process EVM) for its gas. Prints the
// load average beside every figure: the machine may be shared.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createNodeProofAPI } from "../src/node.ts";
import { buildCircuitInput } from "../src/lib/proof/ebsl/circuit-input.ts";
import { toCircuitSignals } from "../src/lib/proof/ebsl/circuit-signals.ts";
import { createRegistry } from "../src/lib/proof/ebsl/registry.ts";
import { account, claimCalldata, compileContracts, createChain, encodeWords, selector } from "../contracts/chain.mjs";

const root = new URL("../", import.meta.url);
const runs = Number(process.argv[2] ?? 3);
const NOW = 1_765_000_000_000;
const load = () => loadavg().map((x) => x.toFixed(2)).join(" ");
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const holder = account(2);
const about = (target, i) => ({
  source: `0x${(0x1000 + i).toString(16)}`,
  target,
  opinion: { belief: 0.5 + (i % 5) * 0.08, disbelief: 0.05, uncertainty: 0.45 - (i % 5) * 0.08, base_rate: 0.5 },
  attestation_type: "trust",
  weight: 1 + (i % 3),
  created_at: NOW - 86_400_000 + i,
  expires_at: NOW + 86_400_000,
});

const manifest = JSON.parse(readFileSync(new URL("packages/circuits/manifest.json", root), "utf8"));
const variants = Object.values(manifest.circuits).filter((e) => e.family === "ebsl" && existsSync(new URL(`packages/circuits/${e.zkey.path}`, root)));
const rows = [];
const tmp = mkdtempSync(join(tmpdir(), "proofline-sound-"));
try {
  for (const entry of variants) {
    const mine = Array.from({ length: entry.capacity }, (_, i) => about(holder.hex, i));
    const others = Array.from({ length: 1000 - entry.capacity }, (_, i) => about(`0x${(0x5000 + i).toString(16)}`, i));
    const t0 = performance.now();
    const registry = createRegistry([...others.slice(0, 500), ...mine, ...others.slice(500)]);
    const registryMs = performance.now() - t0;
    const membership = registry.membership(mine);

    const api = createNodeProofAPI({ workerUrl: new URL("dist/prover.node-worker.js", root), proverOptions: { poolSize: 1 }, cache: false, rateLimit: false });
    const ours = [];
    let proof;
    for (let i = 0; i <= runs; i++) {
      const t = performance.now();
      proof = await api.requestProof(mine, "threshold", { subject: holder.hex, now: NOW + i, registry: membership });
      if (i > 0) ours.push(performance.now() - t); // the first run is the cold one
    }
    api.dispose();

    const built = buildCircuitInput({ attestations: mine, subject: holder.hex, now: NOW, threshold: 600_000n, reveal: false, capacities: [entry.capacity], membership: { root: registry.root, paths: membership.paths } });
    const inputPath = join(tmp, `${entry.id}.json`);
    writeFileSync(inputPath, JSON.stringify(toCircuitSignals(built.slots, built.publicInputs, built.paths)));
    const child = spawn(process.execPath, [new URL("./_naive-child.mjs", import.meta.url).pathname, new URL(`packages/circuits/${entry.wasm.path}`, root).pathname, new URL(`packages/circuits/${entry.zkey.path}`, root).pathname, inputPath], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    await lines.next(); // "ready"
    const naive = [];
    for (let i = 0; i < runs; i++) {
      child.stdin.write("go\n");
      naive.push(JSON.parse((await lines.next()).value).ms);
    }
    child.stdin.write("exit\n");

    const compiled = await compileContracts(`Ebsl${entry.capacity}Verifier`);
    const operator = account(1);
    const chain = await createChain([operator, holder], [compiled.airdrop.abi]);
    const at = NOW / 1000 + 60;
    const verifier = await chain.deploy(operator, compiled.verifier.bytecode, "", at);
    const airdrop = await chain.deploy(operator, compiled.airdrop.bytecode, encodeWords([verifier.toString(), 600_000n, 3_600_000n, 300_000n]), at);
    await chain.send(operator, { to: airdrop, data: selector("addRoot(uint256)") + encodeWords([registry.root]), timestampSeconds: at });
    const claim = await chain.send(holder, { to: airdrop, data: claimCalldata(proof.proof, proof.publicSignals), timestampSeconds: at });

    const row = {
      id: entry.id, constraints: entry.constraints, zkeyMB: +(entry.zkey.bytes / 1e6).toFixed(1),
      registryLeaves: registry.size, registryBuildMs: Math.round(registryMs),
      prooflineMs: Math.round(median(ours)), naiveMs: Math.round(median(naive)), ratio: +(median(ours) / median(naive)).toFixed(2),
      claimOk: claim.ok, claimGas: Number(claim.gasUsed), load: load(),
    };
    rows.push(row);
    console.log(`${row.id}: ${row.constraints} constraints, zkey ${row.zkeyMB} MB | proofline ${row.prooflineMs} ms vs naive fullProve ${row.naiveMs} ms (${row.ratio}x) | claim ${row.claimOk ? "ok" : "FAILED"} ${row.claimGas} gas | registry of ${row.registryLeaves} built in ${row.registryBuildMs} ms | load ${row.load}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: "sound", runs, rows }));
process.exit(0);
