// Artifact integrity (corrupted bytes → ARTIFACT_INTEGRITY), caching (a second visit downloads
// nothing) and storage faults (IndexedDB unavailable or full: loads still succeed).
import { list, manifest, NOW, verifyIndependently } from "../fixtures.mjs";
import { rejectionOf, timed } from "../report.mjs";
import { collectEvents, errorFacts, makeApi, WORKER_URL } from "./common.mjs";

/** Global fetch that counts requests and body bytes (the "network" as the loader sees it). */
function countingFetch() {
  const counts = { requests: 0, bytes: 0 };
  const fetch = async (input, init) => {
    counts.requests++;
    const res = await globalThis.fetch(input, init);
    const buf = new Uint8Array(await res.arrayBuffer());
    counts.bytes += buf.byteLength;
    return new Response(buf, { status: res.status, headers: res.headers });
  };
  return { fetch, counts };
}

const circuitOf = (ctx, id, baseUrl) => ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), baseUrl).find((c) => c.id === id);

export const artifactIntegrity = {
  name: "artifact_integrity",
  description: "Artifacts are checked against the pinned size and SHA-256 before use. One flipped byte in a download is caught; a clean re-download recovers from a one-off corruption; persistent corruption fails the load and the proof request with ARTIFACT_INTEGRITY, before any proving.",
  configuration: { transport: "HTTP on 127.0.0.1 (real files)", fault: "corrupt: one byte flipped (seeded) in the body stream", artifact: "zkey of ebsl-16" },
  conclusion: "Corrupted artifacts never reach the prover.",
  async run(ctx, item) {
    const { createFaultyFetch } = ctx.testing;
    const base = ctx.server.baseUrl;
    const circuit = circuitOf(ctx, "ebsl-16", base);
    // once: the loader's one clean re-download must succeed
    const once = createFaultyFetch({ kind: "corrupt", artifact: "zkey", nth: 1, seed: 11 });
    const loaderOnce = ctx.node.createArtifactLoader({ store: null, fetch: once });
    const loaded = await loaderOnce.load(circuit);
    const s1 = loaderOnce.stats();
    item.check("a one-off corrupted zkey is detected and re-downloaded clean", s1.integrityFailures === 1 && loaded.zkey.byteLength === circuit.zkey.bytes, { integrityFailures: s1.integrityFailures, injected: once.schedule.injected.length });
    // always: the load fails typed
    const always = createFaultyFetch({ kind: "corrupt", artifact: "zkey", seed: 12 });
    const loaderAlways = ctx.node.createArtifactLoader({ store: null, fetch: always });
    const e = await rejectionOf(loaderAlways.load(circuit));
    item.check("persistent corruption rejects the load with ARTIFACT_INTEGRITY", e?.code === "ARTIFACT_INTEGRITY", { error: errorFacts(e), details: e?.details });
    item.check("the error names the artifact and both digests (prefixes), no bytes", e?.details?.artifact === "zkey" && typeof e?.details?.actualSha256 === "string" && e.details.actualSha256 !== e.details.expectedSha256, { details: e?.details });
    // through the facade: fatal, not retried, never proved
    const facadeFetch = createFaultyFetch({ kind: "corrupt", artifact: "wasm", seed: 13 });
    const api = makeApi(ctx, { artifactsBaseUrl: base, artifacts: () => ctx.node.createArtifactLoader({ store: null, fetch: facadeFetch }) });
    try {
      const events = collectEvents(api);
      const fe = await rejectionOf(api.requestProof(list(3, 4), "exact", { now: NOW }));
      item.check("a proof request over a corrupted wasm fails with ARTIFACT_INTEGRITY", fe?.code === "ARTIFACT_INTEGRITY", { error: errorFacts(fe) });
      const stages = new Set(events.filter((x) => x.type === "stage").map((x) => x.stage));
      item.check("it never reached witness or proving, and was not retried (fatal)", !stages.has("witness") && !stages.has("proving") && events.filter((x) => x.type === "attempt-failed").length === 1, { stages: [...stages] });
      item.record({ corruptedDownloads: once.schedule.injected.length + always.schedule.injected.length + facadeFetch.schedule.injected.length });
    } finally {
      api.dispose();
    }
  },
};

export const artifactCaching = {
  name: "artifact_caching",
  description: "First visit downloads each artifact once (IndexedDB store, chunked); a second visit (new loader, empty memory) reads every artifact from the store with ZERO network bytes, and proves with them; in-memory hits within a visit.",
  configuration: { transport: "HTTP on 127.0.0.1", indexedDB: "fake-indexeddb (IndexedDB for Node; the browser suite covers real IndexedDB)", circuit: "ebsl-16" },
  conclusion: "A second visit proves with zero network bytes.",
  async run(ctx, item) {
    await import("fake-indexeddb/auto");
    const base = ctx.server.baseUrl;
    const circuit = circuitOf(ctx, "ebsl-16", base);
    const total = circuit.wasm.bytes + circuit.zkey.bytes + circuit.vkey.bytes;
    const net = countingFetch();
    const first = ctx.node.createArtifactLoader({ fetch: net.fetch });
    const { ms: coldMs } = await timed(() => first.load(circuit));
    await first.flush();
    await first.load(circuit);
    const s1 = first.stats();
    item.check("first visit: each artifact downloaded once (3 requests, exact pinned bytes)", net.counts.requests === 3 && net.counts.bytes === total, { requests: net.counts.requests, bytes: net.counts.bytes, pinnedBytes: total });
    item.check("same visit: the second load is served from memory", s1.memoryHits === 3, { memoryHits: s1.memoryHits });
    const before = { ...net.counts };
    const second = ctx.node.createArtifactLoader({ fetch: net.fetch });
    const handed = [];
    let settled = false;
    const { value: loaded, ms: warmMs } = await timed(() =>
      second.load(circuit, { onVerified: (artifact, bytes) => handed.push({ artifact, bytes, beforeTheLoadSettled: !settled }) }).finally(() => (settled = true)),
    );
    const s2 = second.stats();
    item.check(
      "second visit: each checked artifact is handed over (onVerified) before the load settles, as the very bytes it returns (a prover worker builds the witness calculator from the wasm while the zkey is still read)",
      handed.length === 3 && handed.every((h) => h.beforeTheLoadSettled && (h.artifact === "vkey" ? h.bytes.byteLength === circuit.vkey.bytes : h.bytes === loaded[h.artifact])),
      { handed: handed.map((h) => ({ artifact: h.artifact, bytes: h.bytes.byteLength, beforeTheLoadSettled: h.beforeTheLoadSettled })) },
    );
    item.check("second visit: zero network requests and bytes", net.counts.requests === before.requests && net.counts.bytes === before.bytes && loaded.networkBytes === 0, { requests: net.counts.requests - before.requests, bytes: net.counts.bytes - before.bytes });
    item.check("second visit: all three artifacts from the store, integrity-checked", s2.storageHits === 3 && s2.integrityFailures === 0, { storageHits: s2.storageHits });
    const api = makeApi(ctx, { artifactsBaseUrl: base, artifacts: () => second });
    try {
      const r = await api.requestProof(list(3, 5), "threshold", { now: NOW });
      item.check("a proof with the stored artifacts verifies independently, still zero network bytes", (await verifyIndependently(r.circuitId, r.publicSignals, r.proof)) && net.counts.bytes === before.bytes);
    } finally {
      api.dispose();
    }
    item.record({ firstVisitBytes: before.bytes, secondVisitBytes: net.counts.bytes - before.bytes, coldLoadMs: coldMs, storeLoadMs: warmMs, pinnedBytes: total, manifestCircuits: Object.keys(manifest().circuits).length });
  },
};

export const storageFaults = {
  name: "storage_faults",
  description: "IndexedDB unavailable (every call rejects with InvalidStateError) or full (writes reject with QuotaExceededError): loads still succeed from the network, each failure is reported as a typed STORAGE_ERROR, and nothing is retried against a dead store.",
  configuration: { faults: ["storage-unavailable", "storage-full"], wrapper: "createFaultyStore (proofline/testing)" },
  conclusion: "Storage failures degrade to memory + network, reported, never fatal.",
  async run(ctx, item) {
    const base = ctx.server.baseUrl;
    const circuit = circuitOf(ctx, "ebsl-16", base);
    for (const [kind, expectedName] of [["storage-unavailable", "InvalidStateError"], ["storage-full", "QuotaExceededError"]]) {
      const store = ctx.testing.createFaultyStore({ kind, seed: 1 });
      const reported = [];
      const loader = ctx.node.createArtifactLoader({ store, fetch: globalThis.fetch, onStorageError: (e) => reported.push(e) });
      const loaded = await loader.load(circuit);
      await loader.flush();
      const s = loader.stats();
      item.check(`${kind}: the load succeeds with the pinned bytes`, loaded.zkey.byteLength === circuit.zkey.bytes && loaded.wasm.byteLength === circuit.wasm.bytes);
      item.check(`${kind}: failures reported as STORAGE_ERROR caused by ${expectedName}`, reported.length > 0 && reported.every((e) => e.code === "STORAGE_ERROR" && e.details.name === expectedName), { reported: reported.map((e) => ({ code: e.code, ...e.details })) });
      item.record({ [kind]: { storageErrors: s.storageErrors, networkRequests: s.networkRequests, injected: store.schedule.injected.length } });
    }
  },
};

export const workerSideArtifacts = {
  name: "worker_side_artifacts",
  description: "The prover worker fetches and checks its own artifacts (workerArtifacts()): the caller's thread sends only the pins, receives byte progress and the parsed vkey, and no artifact bytes cross to the worker. preload() starts a worker and loads the circuit into it; a proof asked for meanwhile joins that worker instead of starting a second, cold one, and proves with no further download.",
  configuration: { transport: "HTTP on 127.0.0.1 (real files)", circuit: "ebsl-16", poolSize: 2, artifacts: "workerArtifacts()" },
  conclusion: "Artifacts load where they are used, and a warm-up is joined, not duplicated.",
  async run(ctx, item) {
    const base = ctx.server.baseUrl;
    const circuits = ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), base);
    const input = ctx.ebsl.toCircuitSignals(...(() => {
      const b = ctx.ebsl.buildCircuitInput({ attestations: list(4, 7), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [16, 64], forceCapacity: 16 });
      return [b.slots, b.publicInputs];
    })());
    const make = (onSpawn) => ctx.node.createProver({ circuits, artifacts: ctx.node.workerArtifacts(), workerFactory: ctx.node.createNodeWorkerFactory({ url: WORKER_URL, onSpawn }), poolSize: 2 });
    // 1. A cold proof: the worker downloads, checks and reports bytes.
    const cold = make(() => undefined);
    try {
      const before = ctx.server.stats.requests;
      const events = [];
      const { value: r, ms } = await timed(() => cold.prove("ebsl-16", input, { onProgress: (p) => events.push(p) }));
      item.check("the proof verifies independently (snarkjs, pinned vkey)", await verifyIndependently("ebsl-16", r.publicSignals, r.proof));
      item.check("the worker downloaded each artifact once (3 requests: wasm, zkey, vkey)", ctx.server.stats.requests - before === 3, { requests: ctx.server.stats.requests - before });
      const bytes = events.filter((e) => e.artifact);
      item.check("byte progress came back from the worker (source network, up to the pinned size)", bytes.some((e) => e.artifact.source === "network" && e.artifact.loadedBytes === e.artifact.totalBytes), { events: bytes.length });
      const again = await cold.prove("ebsl-16", input);
      item.check("the next proof on the warm worker loads nothing (artifactsMs 0, no request)", again.timings.artifactsMs === 0 && ctx.server.stats.requests - before === 3, { artifactsMs: again.timings.artifactsMs });
      item.record({ coldLatencyMs: ms, coldTimings: r.timings });
    } finally {
      cold.dispose();
    }
    // 2. preload, and a proof asked for meanwhile: one worker, warmed once.
    let spawned = 0;
    const warm = make(() => spawned++);
    try {
      const before = ctx.server.stats.requests;
      const preload = warm.preload("ebsl-16");
      const r = await warm.prove("ebsl-16", input);
      await preload;
      item.check("the proof joined the preloading worker instead of starting a second one", spawned === 1, { spawned });
      item.check("the circuit was downloaded once for both", ctx.server.stats.requests - before === 3, { requests: ctx.server.stats.requests - before });
      item.check("the joined proof verifies independently", await verifyIndependently("ebsl-16", r.publicSignals, r.proof));
      item.record({ proofs: 3 });
    } finally {
      warm.dispose();
    }
  },
};
