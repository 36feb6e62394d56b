// Where the bn254 prover's wasm memory goes on a big circuit, per zkey MB: one whole prover
// (createGroth16Prover from the sources, one thread) on a synthetic circuit
// (scripts/circuits/synthetic.mjs), its wasm memory after the zkey is loaded (the kept bases and
// coefficients) and at each step of one proof (wasm memory only grows, so the last figure is
// the proof's peak), and the process's peak RSS (VmHWM). The proof is checked with
// snarkjs.groth16.verify. Each circuit runs in a child process of its own so that its peak is
// its own. Memory figures do not depend on machine load; the proof time does (load printed).
// Prints a table and JSON on the last line.
// Usage: npm run bench -- prover-memory [full:17,bits:17]
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const MiB = 1024 * 1024;
const mib = (bytes) => Number((bytes / MiB).toFixed(1));
const peakMiB = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? 0) / 1024);
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

async function child(kind, power) {
  const { ensureSynthetic, inputFor } = await import("../scripts/circuits/synthetic.mjs");
  const { createGroth16Prover } = await import("../src/lib/proof/worker/bn254/prover/groth16-prover.ts");
  const { zkeyFootprint } = await import("../src/lib/proof/engine/memory-budget.ts");
  const snarkjs = await import("snarkjs");
  const c = await ensureSynthetic(kind, power);
  const wtns = { type: "mem" };
  await snarkjs.wtns.calculate(inputFor(kind), c.wasm, wtns);
  let zkey = new Uint8Array(readFileSync(c.zkey));
  const footprint = zkeyFootprint(zkey);
  const startPeak = peakMiB();
  const prover = await createGroth16Prover(zkey);
  zkey = undefined; // the prover keeps no zkey bytes; let the file's copy go before proving
  const loaded = prover.wasmMemoryBytes;
  const steps = [];
  const t0 = performance.now();
  const { proof, publicSignals } = await prover.prove(wtns.data, (step) => steps.push({ step, wasmMiB: mib(prover.wasmMemoryBytes) }));
  const ms = performance.now() - t0;
  const peak = prover.wasmMemoryBytes;
  const vkey = JSON.parse(readFileSync(c.vkey, "utf8"));
  const verified = await snarkjs.groth16.verify(vkey, publicSignals, proof);
  const zkeyMiB = footprint.zkeyBytes / MiB;
  const row = {
    circuit: c.id,
    domain: footprint.domainSize,
    zkeyMiB: mib(footprint.zkeyBytes),
    pointMiB: mib(footprint.pointBytes),
    coefMiB: mib(footprint.coefBytes),
    keptMiB: mib(loaded),
    wasmPeakMiB: mib(peak),
    scratchMiB: mib(peak - loaded),
    keptPerZkeyMiB: Number((loaded / MiB / zkeyMiB).toFixed(3)),
    wasmPerZkeyMiB: Number((peak / MiB / zkeyMiB).toFixed(3)),
    scratchPerDomainElement: Math.round((peak - loaded) / footprint.domainSize),
    rssPeakMiB: peakMiB(),
    rssBeforeProverMiB: startPeak,
    proofMs: Math.round(ms),
    verified,
    steps,
  };
  console.log(JSON.stringify(row));
  process.exit(0);
}

if (process.argv[2] === "--child") {
  await child(process.argv[3], Number(process.argv[4]));
} else {
  const specs = (process.argv[2] ?? "full:17,bits:17").split(",").map((s) => s.split(":"));
  const rows = [];
  const before = load();
  for (const [kind, power] of specs) {
    const r = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", kind, power], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 });
    const line = r.stdout.trim().split("\n").pop();
    const row = { ...JSON.parse(line), load: load() };
    rows.push(row);
    console.log(
      `${row.circuit} (2^${power}): zkey ${row.zkeyMiB} MiB (points ${row.pointMiB}, coefficients ${row.coefMiB}); wasm kept ${row.keptMiB} MiB ` +
        `(${row.keptPerZkeyMiB}/zkey MiB), peak ${row.wasmPeakMiB} MiB (${row.wasmPerZkeyMiB}/zkey MiB), proof scratch ${row.scratchMiB} MiB ` +
        `(${row.scratchPerDomainElement} B/domain element); process peak RSS ${row.rssPeakMiB} MiB; proof ${row.proofMs} ms, verified ${row.verified}; load ${row.load.join(" ")}`,
    );
    console.log(`  steps: ${row.steps.map((s) => `${s.step} ${s.wasmMiB}`).join(", ")}`);
  }
  console.log(JSON.stringify({ load: before, loadAfter: load(), rows }));
}
