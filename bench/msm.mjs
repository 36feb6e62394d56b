// G1 multi-scalar multiplication: bn254.wasm (native/bn254) against ffjavascript, one thread each.
//
// Bases are random multiples of the generator (made once with ffjavascript, cached in
// .tmp/msm-bases-<n>.bin), scalars uniform below r from a seeded generator, both in the byte
// forms snarkjs passes to G1.multiExpAffine. Each size runs N rounds, ours and ffjavascript's
// interleaved within a round so a change of machine load hits both; the results are compared
// once per size. Prints the load average before and after, the medians, and JSON on the last
// line: {"load":[before],"loadAfter":[after],"rows":[{"n","ours_ms","ff_ms","speedup","ours_cpu_ms",
// "ff_cpu_ms","rounds"}]}.
// group=g2 measures the G2 MSM instead (bases: consecutive multiples, made with additions).
// Usage: npm run bench -- msm [N=5] [sizes=12,14,16] [window=auto] [glv=1] [group=g1]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { buildBn128 } from "ffjavascript";
import { instantiateBn254Wasm } from "../src/lib/proof/worker/bn254/bn254-wasm.ts";

const [roundsArg, sizesArg, windowArg, glvArg, groupArg] = process.argv.slice(2);
const GROUP = groupArg === "g2" ? "G2" : "G1";
const ROUNDS = Number(roundsArg ?? 5);
const LOGS = (sizesArg ?? "12,14,16").split(",").map(Number);
const WINDOW = windowArg && windowArg !== "auto" ? Number(windowArg) : undefined;
const GLV = glvArg !== "0";
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
const root = new URL("../", import.meta.url);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const load = () => os.loadavg().map((x) => Number(x.toFixed(2)));
// CPU time next to wall time: on a shared machine it shows how much of a slow round was waiting.
// Both sides run on this thread (ffjavascript's single-threaded curve has no workers).
const cpuMs = (u) => (u.user + u.system) / 1000;

// xorshift128+ on BigInt-free 32-bit halves: reproducible scalars without a dependency.
function rng(seed) {
  let a = seed | 0 || 1, b = 0x9e3779b9, c = 0x85ebca6b, d = 0xc2b2ae35;
  return () => {
    const t = a ^ (a << 11);
    a = b, b = c, c = d;
    d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return d;
  };
}

function scalars(n, seed) {
  const next = rng(seed);
  const out = new Uint8Array(32 * n);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    let k;
    do {
      k = 0n;
      for (let w = 0; w < 8; w++) k = (k << 32n) | BigInt(next());
      k &= (1n << 254n) - 1n;
    } while (k >= R);
    for (let w = 0; w < 8; w++) view.setUint32(32 * i + 4 * w, Number((k >> BigInt(32 * w)) & 0xffffffffn), true);
  }
  return out;
}

// At least 2^16 bases are made so that runs with other sizes reuse the same cache file.
async function bases(curve, needed) {
  const n = Math.max(needed, 1 << 16);
  const dir = new URL(".tmp/", root);
  const file = new URL(`msm-bases-${n}.bin`, dir);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  console.error(`making ${n} bases with ffjavascript (once; cached in .tmp/) ...`);
  const { G1, Fr } = curve;
  const out = new Uint8Array(64 * n);
  const ks = scalars(n, 7);
  for (let i = 0; i < n; i++) {
    G1.toRprLEM(out, 64 * i, G1.timesFr(G1.g, Fr.fromRprLE(ks, 32 * i)));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, out);
  return out;
}

// G2 bases: a random start plus i times a random step, each made affine (timesFr per point
// would take minutes at 2^16); the MSM does not care how the bases are related.
async function basesG2(curve, n) {
  const dir = new URL(".tmp/", root);
  const file = new URL(`msm-g2-bases-${n}.bin`, dir);
  if (existsSync(file)) return new Uint8Array(readFileSync(file));
  console.error(`making ${n} G2 bases with ffjavascript (once; cached in .tmp/) ...`);
  const { G2, Fr } = curve;
  const ks = scalars(2, 9);
  const step = G2.timesFr(G2.g, Fr.fromRprLE(ks, 0));
  let p = G2.timesFr(G2.g, Fr.fromRprLE(ks, 32));
  const out = new Uint8Array(128 * n);
  for (let i = 0; i < n; i++, p = G2.add(p, step)) G2.toRprLEM(out, 128 * i, G2.toAffine(p));
  mkdirSync(dir, { recursive: true });
  writeFileSync(file, out);
  return out;
}

const curve = await buildBn128(true);
const wasm = await instantiateBn254Wasm(readFileSync(new URL("src/lib/proof/worker/bn254/bn254.wasm", root)));
const loadBefore = load();
console.log(`load average before: ${loadBefore.join(" ")} (2 cores; other processes slow both sides)`);
const maxN = 1 << Math.max(...LOGS);
const allBases = GROUP === "G2" ? await basesG2(curve, maxN) : await bases(curve, maxN);
const PB = GROUP === "G2" ? 128 : 64;
const ourMsm = (pts, sc, n, options) => (GROUP === "G2" ? wasm.g2Msm(pts, sc, n, options) : wasm.g1Msm(pts, sc, n, options));
const rows = [];
for (const lg of LOGS) {
  const n = 1 << lg;
  const pts = allBases.subarray(0, PB * n);
  const sc = scalars(n, 1000 + lg);
  const options = { glv: GLV, ...(WINDOW ? { window: WINDOW } : {}) };
  const ref = await curve[GROUP].multiExpAffine(pts, sc);
  if (!curve[GROUP].eq(ref, ourMsm(pts, sc, n, options))) throw new Error(`MSM mismatch at n = ${n}`);
  const [ours, ff, oursCpu, ffCpu] = [[], [], [], []];
  for (let r = 0; r < ROUNDS; r++) {
    let [t, c] = [performance.now(), process.cpuUsage()];
    ourMsm(pts, sc, n, options);
    ours.push(performance.now() - t), oursCpu.push(cpuMs(process.cpuUsage(c)));
    [t, c] = [performance.now(), process.cpuUsage()];
    await curve[GROUP].multiExpAffine(pts, sc);
    ff.push(performance.now() - t), ffCpu.push(cpuMs(process.cpuUsage(c)));
  }
  const row = { n, ours_ms: Math.round(median(ours)), ff_ms: Math.round(median(ff)), rounds: ROUNDS };
  row.speedup = Number((median(ff) / median(ours)).toFixed(2));
  Object.assign(row, { ours_cpu_ms: Math.round(median(oursCpu)), ff_cpu_ms: Math.round(median(ffCpu)) });
  rows.push(row);
  console.log(
    `2^${lg}: ours ${row.ours_ms} ms, ffjavascript ${row.ff_ms} ms, ${row.speedup}x ` +
      `(median of ${ROUNDS}; CPU ${row.ours_cpu_ms} vs ${row.ff_cpu_ms} ms; ours ${ours.map(Math.round).join("/")})`,
  );
}
await curve.terminate();
const loadAfter = load();
console.log(`load average after: ${loadAfter.join(" ")}`);
console.log(JSON.stringify({ group: GROUP, load: loadBefore, loadAfter, glv: GLV, window: WINDOW ?? "auto", rows }));
