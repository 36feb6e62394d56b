// /v1/verify throughput and latency (autocannon, 127.0.0.1) against a bare
// snarkjs.groth16.verify loop on the same machine, and how fast refusals (no API key) are
// answered while the service is loaded; then a ramp (1, 2, 4, 8 connections), a spike (32
// connections) and a short soak (--soak seconds at `connections`, resident memory before and
// after). Bounded: --seconds per phase (default 5), --soak (default 20).
//   npm run bench -- service-verify [--seconds 5] [--connections 4]
import autocannon from "autocannon";
import * as snarkjs from "snarkjs";
import { createService } from "../packages/server/src/index.mjs";
import { loadavg, makeProofs } from "./_service-fixtures.mjs";

const arg = (name, fallback) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const seconds = arg("seconds", 5);
const connections = arg("connections", 4);
const [proof] = await makeProofs(1);
const { createPinnedVkeys } = await import("../packages/server/src/pinned-vkeys.mjs");
const vkey = await (await createPinnedVkeys()).get(proof.circuitId);

// Bare loop: as many verifications as fit in `seconds`, sequentially (what a hand-rolled
// backend does), latencies recorded.
await snarkjs.groth16.verify(vkey, proof.publicSignals, proof.proof);
const bare = [];
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const t = performance.now();
  if (!(await snarkjs.groth16.verify(vkey, proof.publicSignals, proof.proof))) throw new Error("bare verify failed");
  bare.push(performance.now() - t);
}
bare.sort((a, b) => a - b);
const pct = (xs, p) => Number(xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))].toFixed(2));
const bareRps = Number((bare.length / seconds).toFixed(1));

const app = await createService({ apiKeys: { "bench-key": "bench" } });
const base = await app.listen({ port: 0, host: "127.0.0.1" });
const body = JSON.stringify(proof);
const run = (opts) => new Promise((resolve, reject) => autocannon({ url: `${base}/v1/verify`, method: "POST", duration: seconds, connections, body, ...opts }, (err, res) => (err ? reject(err) : resolve(res))));
const http = await run({ headers: { "content-type": "application/json", authorization: "Bearer bench-key" } });
// Refusals while verifications keep the service busy: half the connections without a key.
const [busy, refused] = await Promise.all([
  run({ connections: Math.max(1, connections / 2), headers: { "content-type": "application/json", authorization: "Bearer bench-key" } }),
  run({ connections: Math.max(1, connections / 2), headers: { "content-type": "application/json" } }),
]);
// Ramp, spike, soak: the same request, the service's process memory watched.
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20);
const phase = async (name, conns, duration) => {
  const r = await run({ connections: conns, duration, headers: { "content-type": "application/json", authorization: "Bearer bench-key" } });
  return { name, connections: conns, seconds: duration, rps: Number(r.requests.average.toFixed(1)), p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts };
};
const shape = [];
for (const c of [1, 2, 4, 8]) shape.push(await phase(`ramp ${c}`, c, Math.max(2, Math.round(seconds / 2))));
shape.push(await phase("spike 32", 32, Math.max(2, Math.round(seconds / 2))));
const soakSeconds = arg("soak", 20);
const rssBefore = rss();
const soak = { ...(await phase("soak", connections, soakSeconds)), rssBeforeMiB: rssBefore, rssAfterMiB: rss() };
await app.close();
const load = await loadavg();
const httpRps = Number(http.requests.average.toFixed(1));
const out = {
  bench: "service-verify",
  seconds,
  connections,
  bare: { rps: bareRps, p50: pct(bare, 50), p95: pct(bare, 95), p99: pct(bare, 99), n: bare.length },
  http: { rps: httpRps, p50: http.latency.p50, p95: http.latency.p97_5, p99: http.latency.p99, non2xx: http.non2xx, errors: http.errors },
  httpShareOfBare: Number((httpRps / bareRps).toFixed(3)),
  refusalsUnderLoad: { rps: refused.requests.average, p50: refused.latency.p50, p99: refused.latency.p99, status401: refused.non2xx, verifiedMeanwhile: busy.requests.total },
  shape,
  soak,
  loadavg: load,
};
console.log(`verify, ${seconds} s per phase, loadavg ${load}`);
console.log(`  bare snarkjs loop: ${bareRps} verifies/s, p50 ${out.bare.p50} ms, p99 ${out.bare.p99} ms`);
console.log(`  POST /v1/verify (${connections} connections): ${httpRps} req/s (${(out.httpShareOfBare * 100).toFixed(1)}% of bare), p50 ${out.http.p50} ms, p97.5 ${out.http.p95} ms, p99 ${out.http.p99} ms, non-2xx ${out.http.non2xx}`);
console.log(`  401 refusals under load: p50 ${out.refusalsUnderLoad.p50} ms, p99 ${out.refusalsUnderLoad.p99} ms`);
for (const p of shape) console.log(`  ${p.name}: ${p.rps} req/s, p50 ${p.p50} ms, p99 ${p.p99} ms, non-2xx ${p.non2xx}, errors ${p.errors}, timeouts ${p.timeouts}`);
console.log(`  soak ${soak.seconds} s at ${soak.connections} connections: ${soak.rps} req/s, p99 ${soak.p99} ms, errors ${soak.errors}, RSS of this process (service and autocannon) ${soak.rssBeforeMiB} → ${soak.rssAfterMiB} MiB`);
console.log(JSON.stringify(out));
