// A batch of 32 proofs verified in ONE randomised multi-pairing vs 32 single verifications
// (snarkjs.groth16.verify), in-process and over HTTP (/v1/verify/batch vs 32 × /v1/verify).
// Bounded (a few rounds), 127.0.0.1 only. Prints figures and a JSON line.
//   npm run bench -- service-batch [--rounds 5]
import { createService, verifyBatch, verifyOne } from "../packages/server/src/index.mjs";
import { loadavg, makeProofs } from "./_service-fixtures.mjs";

const rounds = Number(process.argv[process.argv.indexOf("--rounds") + 1]) || 5;
const N = 32;
const distinct = await makeProofs(8);
const items = Array.from({ length: N }, (_, i) => distinct[i % distinct.length]);
const app = await createService({});
const base = await app.listen({ port: 0, host: "127.0.0.1" });
const { createPinnedVkeys } = await import("../packages/server/src/pinned-vkeys.mjs");
const vkey = await (await createPinnedVkeys()).get("ebsl-16");
const post = (path, body) => fetch(base + path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }).then((r) => r.json());

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = async (fn) => {
  const t = performance.now();
  await fn();
  return performance.now() - t;
};
// Warm both paths (curve threads, vkey read).
await verifyBatch(items.slice(0, 2).map((x) => ({ vkey, ...x })));
await post("/v1/verify", items[0]);
const r = { batchFn: [], singlesFn: [], batchHttp: [], singlesHttp: [] };
for (let k = 0; k < rounds; k++) {
  r.batchFn.push(await time(async () => {
    const { valid, method } = await verifyBatch(items.map((x) => ({ vkey, ...x })));
    if (method !== "batch" || !valid.every(Boolean)) throw new Error("batch failed");
  }));
  r.singlesFn.push(await time(async () => {
    for (const x of items) if (!(await verifyOne(vkey, x.publicSignals, x.proof))) throw new Error("single failed");
  }));
  r.batchHttp.push(await time(async () => {
    const out = await post("/v1/verify/batch", { items });
    if (out.method !== "batch" || !out.results.every((x) => x.valid)) throw new Error("HTTP batch failed");
  }));
  r.singlesHttp.push(await time(async () => {
    for (const x of items) if (!(await post("/v1/verify", x)).valid) throw new Error("HTTP single failed");
  }));
}
await app.close();
const m = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(median(v).toFixed(1))]));
const speedupFn = Number((m.singlesFn / m.batchFn).toFixed(2));
const speedupHttp = Number((m.singlesHttp / m.batchHttp).toFixed(2));
const load = await loadavg();
console.log(`batch of ${N} (median of ${rounds}), loadavg ${load}`);
console.log(`  in-process: one multi-pairing ${m.batchFn} ms vs ${N} snarkjs verifies ${m.singlesFn} ms → ${speedupFn}x`);
console.log(`  over HTTP:  /v1/verify/batch ${m.batchHttp} ms vs ${N} × /v1/verify ${m.singlesHttp} ms → ${speedupHttp}x`);
console.log(JSON.stringify({ bench: "service-batch", n: N, rounds, medianMs: m, speedupFn, speedupHttp, loadavg: load }));
