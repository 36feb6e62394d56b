// This tree's bn254 prover against another checkout's (an earlier commit unpacked elsewhere),
// in one process, interleaved round by round so that machine load hits both alike: whole warm
// proofs (createGroth16Prover) on the witnesses bench/core.mjs writes to .tmp/core-<id>.wtns,
// and decoded-base MSMs (G1 random scalars, G1 witness-like scalars, G2 random scalars).
// Prints medians of CPU time (process.cpuUsage: both run on this thread), the ratio this/other,
// the load average, and JSON on the last line.
// Usage: npm run bench -- prover-ab <other checkout root> [rounds=5] [circuits=ebsl-16,ebsl-64] [msm log sizes=14,16]
// (run `BENCH_CONTENDERS=core npm run bench -- core 1` once first for the witnesses).
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

const [otherRoot, roundsArg, circuitsArg, sizesArg] = process.argv.slice(2);
if (!otherRoot) throw new Error("usage: prover-ab <other checkout root> [rounds] [circuits] [msm sizes]");
const ROUNDS = Number(roundsArg ?? 5);
const CIRCUITS = (circuitsArg ?? "ebsl-16,ebsl-64").split(",").filter(Boolean);
const SIZES = (sizesArg ?? "14,16").split(",").filter(Boolean).map(Number);
const root = new URL("../", import.meta.url).pathname;
const load = () => loadavg().map((x) => Number(x.toFixed(2)));
const median = (xs) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const cpu = async (run) => {
  const c = process.cpuUsage();
  await run();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / 1000;
};
const sides = {
  this: { src: join(root, "src/lib/proof/worker/bn254/") },
  other: { src: join(otherRoot, "src/lib/proof/worker/bn254/") },
};
for (const s of Object.values(sides)) {
  s.prover = await import(join(s.src, "prover/groth16-prover.ts"));
  s.wasm = await import(join(s.src, "bn254-wasm.ts"));
  s.bytes = readFileSync(join(s.src, "bn254.wasm"));
}
const loadBefore = load();
console.log(`load average before: ${loadBefore.join(" ")}`);
const rows = [];

async function compare(label, make) {
  const runs = {};
  for (const [name, s] of Object.entries(sides)) runs[name] = await make(s);
  const times = { this: [], other: [] };
  for (const name of Object.keys(runs)) await runs[name](); // warm-up
  for (let r = 0; r < ROUNDS; r++) for (const name of r % 2 ? ["other", "this"] : ["this", "other"]) times[name].push(await cpu(runs[name]));
  const row = { label, this_cpu_ms: Math.round(median(times.this)), other_cpu_ms: Math.round(median(times.other)), load: load() };
  row.ratio = Number((median(times.this) / median(times.other)).toFixed(3));
  rows.push(row);
  console.log(`${label}: this ${row.this_cpu_ms} ms, other ${row.other_cpu_ms} ms CPU, this/other ${row.ratio} (median of ${ROUNDS}; this ${times.this.map(Math.round).join("/")}, other ${times.other.map(Math.round).join("/")}); load ${row.load.join(" ")}`);
}

for (const id of CIRCUITS) {
  const zkey = new Uint8Array(readFileSync(join(root, `circuits/build/${id}/${id}.zkey`)));
  const wtns = new Uint8Array(readFileSync(join(root, `.tmp/core-${id}.wtns`)));
  await compare(`proof ${id}`, async (s) => {
    const p = await s.prover.createGroth16Prover(zkey, { wasm: s.bytes });
    return () => p.prove(wtns);
  });
}

// Decoded-base MSMs on real bases: ebsl-64's G1 sections one after the other (about 120k
// points, a few at infinity), its B2 section for G2.
const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
function rng(seed) {
  let a = seed | 0 || 1, b = 0x9e3779b9, c = 0x85ebca6b, d = 0xc2b2ae35;
  return () => {
    const t = a ^ (a << 11);
    a = b, b = c, c = d;
    return (d = (d ^ (d >>> 19) ^ (t ^ (t >>> 8))) >>> 0);
  };
}
function scalars(n, seed, witness) {
  const next = rng(seed), out = new Uint8Array(32 * n), view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    let k;
    const u = next() / 2 ** 32;
    if (witness && u < 0.4) k = 1n;
    else if (witness && u < 0.6) k = 0n;
    else if (witness && u < 0.8) k = BigInt(next() & 255);
    else do { k = 0n; for (let w = 0; w < 8; w++) k = (k << 32n) | BigInt(next()); k &= (1n << 254n) - 1n; } while (k >= R);
    for (let w = 0; w < 8; w++) view.setUint32(32 * i + 4 * w, Number((k >> BigInt(32 * w)) & 0xffffffffn), true);
  }
  return out;
}
const { readGroth16Zkey } = await import(join(sides.this.src, "readers/zkey-groth16.ts"));
const big = readGroth16Zkey(new Uint8Array(readFileSync(join(root, "circuits/build/ebsl-64/ebsl-64.zkey"))));
const g1Pool = new Uint8Array(Buffer.concat([big.pointsA, big.pointsB1, big.pointsC, big.pointsH]));
for (const lg of SIZES) {
  const n = 1 << lg;
  for (const [group, witness] of [[1, false], [1, true], [2, false]]) {
    const pts = group === 1 ? g1Pool.subarray(0, 64 * n) : big.pointsB2.subarray(0, Math.min(n, big.pointsB2.byteLength / 128) * 128);
    const count = pts.byteLength / (group === 1 ? 64 : 128);
    const sc = scalars(count, lg * 7 + group, witness);
    await compare(`G${group} MSM 2^${Math.log2(count).toFixed(1)} ${witness ? "witness-like" : "random"}`, async (s) => {
      const { exports: e } = await s.wasm.instantiateBn254Wasm(s.bytes);
      const size = group === 1 ? 64 : 128, kept = group === 1 ? 72 : 144;
      const oldAbi = e.g1_decode.length === 6; // decode(pts, total, first, points, count, options) stored GLV images
      e.bn_reset();
      const dst = s.wasm.alloc(e, (oldAbi ? 2 : 1) * count * kept);
      e.bn_keep();
      const src = s.wasm.alloc(e, count * size);
      new Uint8Array(e.memory.buffer).set(pts, src);
      const decode = group === 1 ? e.g1_decode : e.g2_decode;
      if (oldAbi) decode(dst, count, 0, src, count, 0);
      else decode(dst, 0, src, count);
      e.bn_reset();
      const sp = s.wasm.alloc(e, 32 * count), out = s.wasm.alloc(e, size);
      new Uint8Array(e.memory.buffer).set(sc, sp);
      return () => {
        if ((group === 1 ? e.g1_msm_decoded : e.g2_msm_decoded)(out, dst, sp, count, 0, 0) !== 0) throw new Error("MSM out of memory");
      };
    });
  }
}
console.log(`load average after: ${load().join(" ")}`);
console.log(JSON.stringify({ load: loadBefore, loadAfter: load(), rounds: ROUNDS, rows }));
