// npm run bench -- sound [runs]
// The registry-backed EBSL circuits in Node: for each built variant, a holder whose whole entry
// fills the circuit (`capacity` attestations) in an operator's registry of 1,000 subjects proves
// score >= 0.6 with proofline (Node facade with its defaults, registry membership, cache off)
// and with the naive call (snarkjs.groth16.fullProve with its default threads, own process, the
// same circom input), warm, interleaved rounds, medians of `runs`. Then one claim of the
// proofline proof on the example airdrop contract (in-process EVM) for its gas. The load average
// is printed beside every figure: the machine may be shared. The LAST line is JSON.
// Chromium: `npm run bench -- latency --browser` (BENCH_LONE=1 for one proof per side only).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createNodeProofAPI } from "../src/node.ts";
import { toCircuitSignals } from "../src/lib/proof/ebsl/circuit-input.ts";
import { idToField } from "../src/lib/proof/ebsl/encode.ts";
import { createRegistry } from "../src/lib/proof/ebsl/registry.ts";
import { checkMembership, placeInEntrySteps } from "../src/lib/proof/ebsl/registry-membership.ts";
import { runSteps } from "../src/lib/proof/ebsl/registry-tree.ts";
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

const manifest = JSON.parse(readFileSync(new URL("circuits/manifest.json", root), "utf8"));
const variants = Object.values(manifest.circuits).filter((e) => e.family === "ebsl" && existsSync(new URL(`circuits/${e.zkey.path}`, root)));
const rows = [];
const tmp = mkdtempSync(join(tmpdir(), "proofline-sound-"));
try {
  for (const entry of variants) {
    const mine = Array.from({ length: entry.capacity }, (_, i) => about(holder.hex, i));
    // 999 other subjects with 4 attestations each: the holder's entry sits in the middle.
    const others = Array.from({ length: 999 * 4 }, (_, i) => about(`0x${(0x5000 + (i >> 2)).toString(16)}`, i));
    const t0 = performance.now();
    const registry = createRegistry([...others.slice(0, 2000), ...mine, ...others.slice(2000)]);
    const registryMs = performance.now() - t0;
    const membership = registry.membership(holder.hex);

    // The circom input proofline builds for this request: the entry in the operator's order.
    const subject = idToField(holder.hex);
    const checked = checkMembership(membership, mine, holder.hex);
    const placed = runSteps(placeInEntrySteps(mine, checked, subject, entry.capacity));
    const pub = { now: BigInt(NOW), subject, threshold: 600_000n, reveal: 0n };
    const inputPath = join(tmp, `${entry.id}.json`);
    writeFileSync(inputPath, JSON.stringify(toCircuitSignals(placed.slots, pub, checked)));
    const child = spawn(process.execPath, [new URL("./_naive-child.mjs", import.meta.url).pathname, new URL(`circuits/${entry.wasm.path}`, root).pathname, new URL(`circuits/${entry.zkey.path}`, root).pathname, inputPath], { stdio: ["pipe", "pipe", "inherit"] });
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    await lines.next(); // "ready" (warmed by one proof)

    const api = createNodeProofAPI({ workerUrl: new URL("dist/prover.node-worker.js", root), cache: false, rateLimit: false, ebslCircuits: [entry.id] });
    const ask = (i) => api.requestProof(mine, "threshold", { subject: holder.hex, now: NOW + i, registry: membership });
    let proof = await ask(0); // cold: not measured
    const ours = [];
    const naive = [];
    for (let i = 1; i <= runs; i++) {
      // Interleaved, the order alternating, so a load change hits both sides alike.
      for (const side of i % 2 ? ["proofline", "naive"] : ["naive", "proofline"]) {
        const t = performance.now();
        if (side === "proofline") {
          proof = await ask(i);
          ours.push(performance.now() - t);
        } else {
          child.stdin.write("go\n");
          naive.push(JSON.parse((await lines.next()).value).ms);
        }
      }
      process.stderr.write(`${entry.id} round ${i}/${runs}: proofline ${Math.round(ours.at(-1))} ms, naive ${Math.round(naive.at(-1))} ms\n`);
    }
    api.dispose();
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
      registrySubjects: registry.subjects, registryBuildMs: Math.round(registryMs),
      prooflineMs: Math.round(median(ours)), naiveMs: Math.round(median(naive)), ratio: +(median(ours) / median(naive)).toFixed(2),
      claimOk: claim.ok, claimGas: Number(claim.gasUsed), load: load(),
    };
    rows.push(row);
    console.log(`${row.id}: ${row.constraints} constraints, zkey ${row.zkeyMB} MB | proofline ${row.prooflineMs} ms vs naive fullProve ${row.naiveMs} ms (${row.ratio}x) | claim ${row.claimOk ? "ok" : "FAILED"} ${row.claimGas} gas | registry of ${row.registrySubjects} subjects built in ${row.registryBuildMs} ms | load ${row.load}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(JSON.stringify({ bench: "sound", platform: "node", baseline: "snarkjs.groth16.fullProve, default threads, own process", runs, rows }));
process.exit(0);
