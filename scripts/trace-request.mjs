#!/usr/bin/env node
/**
 * Which source files ONE proof request runs: V8 precise coverage of a real request through the
 * public facade, in the main thread and inside the prover worker, both running the TypeScript
 * sources (src/, workers/) through tsx, not dist/.
 *
 * The default path: `createProofAPI` (Node), cache on, bn254 backend, adaptive threads on one core
 * (so the lone proof is whole, not split across helper threads), one worker, 16 attestations on
 * ebsl-16. A first request warms everything up (imports, worker start, artifacts, the warm zkey)
 * and its files are only reported apart; the traced request then proves a different attestation set (so
 * the cache misses and the proof is made).
 *
 * A file counts when some function in it, other than the module's top level, was called during
 * the traced request. Type-only files never count: they have no code at run time. Of the counted
 * files, a LEAF imports (at run time) none of the other counted files; the SPINE is the rest, in
 * an order where a file comes before every counted file it imports: the request's stops, top down.
 *
 * Who calls whom: the functions that ran in the first request note their direct caller (a
 * never-pausing conditional breakpoint that records the stack) during the traced request, and a
 * call goes BACK UP when the callee's file imports the caller's, directly or not: the caller
 * could reach it only through a callback or object handed down from above. A function run by the event loop (a
 * promise reaction, a timer, a message) has no direct caller and is not counted.
 *
 * Usage: node scripts/trace-request.mjs [--mode threshold|exact]
 * Prints the lists and counts, then the same as one line of JSON (the last line).
 */
import { spawnSync } from "node:child_process";
import { Session } from "node:inspector/promises";
import { loadavg } from "node:os";
import { BroadcastChannel } from "node:worker_threads";
import { TRACE_CHANNEL, armCallSites, executedFunctions, runtimeImports, takeCalls } from "./trace-request-coverage.mjs";

// The sources are TypeScript: run again under tsx. The prover worker's entry
// (trace-request-worker.mjs) registers tsx itself: Node 20 does not apply an inherited `--import`.
if (!process.execArgv.some((a) => a.includes("tsx"))) {
  const child = spawnSync(process.execPath, ["--import", "tsx", ...process.execArgv, ...process.argv.slice(1)], { stdio: "inherit" });
  process.exit(child.status ?? 1);
}

const modeAt = process.argv.indexOf("--mode");
const mode = modeAt > 0 ? process.argv[modeAt + 1] : "threshold";
if (mode !== "threshold" && mode !== "exact") throw new Error(`--mode: expected "threshold" or "exact", got ${JSON.stringify(mode)}`);

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });

const channel = new BroadcastChannel(TRACE_CHANNEL);
let nextAsk = 0;
/** Ask the prover worker (scripts/trace-request-worker.mjs) `type`; resolves with its answer. */
function askWorker(type) {
  const id = ++nextAsk;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the prover worker did not answer "${type}"`)), 60_000);
    channel.onmessage = ({ data }) => {
      if (data?.id !== id) return;
      clearTimeout(timer);
      resolve(data);
    };
    channel.postMessage({ type, id });
  });
}
/** The worker's files since its last take (taking resets the counters). */
const takeWorker = async () => (await askWorker("take")).files;
let lastMain = [];
async function takeMain() {
  lastMain = (await session.post("Profiler.takePreciseCoverage")).result;
  return executedFunctions(lastMain);
}
/** Let callbacks queued by the request's end (events, cache writes) run before counting. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

const now = Date.now();
/** 16 attestations (ebsl-16 full) about one subject; `seed` makes a set distinct from another. */
function attestations(seed) {
  return Array.from({ length: 16 }, (_, i) => ({
    source: `0x${(seed * 256 + i + 1).toString(16).padStart(40, "0")}`,
    target: "0x00000000000000000000000000000000000000ab",
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + ((i + seed) % 3),
    created_at: now - 86_400_000 + i,
    expires_at: now + 86_400_000,
  }));
}

const { createProofAPI } = await import("../src/node.ts");
const api = createProofAPI({
  workerUrl: new URL("./trace-request-worker.mjs", import.meta.url),
  proverOptions: { poolSize: 1, cores: 1 },
});
let report;
try {
  const warm = await api.requestProof(attestations(1), mode);
  await settle();
  // Kept for the record only: creating the API and a first request also start the worker, load
  // the artifacts and decode the zkey.
  const coldFiles = new Set([...Object.keys(await takeMain()), ...Object.keys(await takeWorker())]);
  // Who calls whom: every function the first request ran (a superset of what a warm one runs)
  // notes its direct callers during the traced request.
  const armed = (await armCallSites(session, lastMain)) + (await askWorker("arm")).functions;

  const traced = await api.requestProof(attestations(2), mode);
  await settle();
  const main = await takeMain();
  const worker = await takeWorker();
  if (Object.keys(worker).length === 0) throw new Error("the traced request ran nothing in the prover worker: was it proved?");
  const calls = { main: takeCalls(), worker: (await askWorker("calls")).calls };
  // A call goes back up when the callee's file imports the caller's, directly or not: the
  // caller could only reach it through a closure or object handed down to it.
  const backUp = [...new Set([...Object.keys(calls.main), ...Object.keys(calls.worker)])]
    .filter((pair) => {
      const [caller, callee] = pair.split(" → ");
      return reaches(callee, caller);
    })
    .sort();

  const files = [...new Set([...Object.keys(main), ...Object.keys(worker)])].sort();
  const counted = new Set(files);
  const imports = Object.fromEntries(files.map((f) => [f, runtimeImports(f).filter((t) => counted.has(t) && t !== f)]));
  const leaves = files.filter((f) => imports[f].length === 0);
  const spine = topDown(files.filter((f) => imports[f].length > 0), imports);
  report = {
    mode,
    circuitId: traced.circuitId,
    warmCircuitId: warm.circuitId,
    counts: { files: files.length, main: Object.keys(main).length, worker: Object.keys(worker).length, spine: spine.length, leaves: leaves.length, callsBackUp: backUp.length, armed },
    spine,
    leaves,
    backUp,
    main,
    worker,
    imports,
    calls,
    cold: { files: coldFiles.size, beyondWarm: [...coldFiles].filter((f) => !counted.has(f)).sort() },
    loadavg: loadavg(),
  };
} finally {
  api.dispose();
  channel.close();
}

/** Does `from` import `to` at run time, directly or through other project files? */
function reaches(from, to, seen = new Set()) {
  if (from === to) return true;
  if (seen.has(from)) return false;
  seen.add(from);
  return runtimeImports(from).some((next) => reaches(next, to, seen));
}

/** Files ordered so that each comes before the files it imports (ties: by path). */
function topDown(nodes, edges) {
  const inSet = new Set(nodes);
  const importers = new Map(nodes.map((n) => [n, 0]));
  for (const n of nodes) for (const t of edges[n]) if (inSet.has(t)) importers.set(t, importers.get(t) + 1);
  const ready = nodes.filter((n) => importers.get(n) === 0).sort();
  const order = [];
  while (ready.length > 0) {
    const n = ready.shift();
    order.push(n);
    for (const t of edges[n]) {
      if (!inSet.has(t)) continue;
      importers.set(t, importers.get(t) - 1);
      if (importers.get(t) === 0) {
        ready.push(t);
        ready.sort();
      }
    }
  }
  if (order.length !== nodes.length) throw new Error(`import cycle among: ${nodes.filter((n) => !order.includes(n)).join(", ")}`);
  return order;
}

const where = (f) => (f in report.main ? (f in report.worker ? "[main + worker]" : "") : "[worker]");
/** The functions that ran in `f` (a file that ran one only may just pass a call on). */
const ran = (f) => {
  const names = [...new Set([...(report.main[f] ?? []), ...(report.worker[f] ?? [])])];
  return `${names.length} fn: ${names.join(", ")}`;
};
const lines = [
  `one ${mode} request, ${report.circuitId}, cache on, bn254 whole proof: ${report.counts.files} files ran (main thread ${report.counts.main}, worker ${report.counts.worker})`,
  `spine (${report.counts.spine}, top down):`,
  ...report.spine.map((f, i) => `  ${i + 1}. ${f} ${where(f)} (${ran(f)})`),
  `leaves (${report.counts.leaves}, import no other file that ran):`,
  ...report.leaves.map((f) => `  - ${f} ${where(f)} (${ran(f)})`),
  `calls back up (${report.counts.callsBackUp}: the callee's file imports the caller's; direct calls, ${report.counts.armed} functions watched):`,
  ...report.backUp.map((pair) => `  - ${pair} (${report.calls.main[pair] ?? 0} on the caller's thread, ${report.calls.worker[pair] ?? 0} in the worker)`),
  `creating the API and the first (cold) request ran ${report.cold.files} files, ${report.cold.beyondWarm.length} beyond these: ${report.cold.beyondWarm.join(", ")}`,
  `load average ${report.loadavg.map((l) => l.toFixed(2)).join(" ")}`,
];
console.log(lines.join("\n"));
console.log(JSON.stringify(report));
