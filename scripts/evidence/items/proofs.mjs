// Real exact and threshold proofs, verified by the library AND independently; tamper detection.
import { list, NOW, reference, verifyIndependently } from "../fixtures.mjs";
import { timed } from "../report.mjs";
import { makeApi } from "./common.mjs";

export const exactProof = {
  name: "exact_proof",
  description: "A real Groth16 proof of an exact EBSL score over 5 attestations (ebsl-16): the library verifies it against the pinned vkey; snarkjs verifies it again independently; the score and commitment equal the TypeScript reference.",
  configuration: { circuit: "ebsl-16", attestations: 5, proofType: "exact", poolSize: 1, threads: "single" },
  conclusion: "Exact proofs are real, verify, and prove the reference score.",
  async run(ctx, item) {
    const api = makeApi(ctx);
    try {
      const attestations = list(5, 1);
      const { value: r, ms } = await timed(() => api.requestProof(attestations, "exact", { now: NOW }));
      const ref = reference(ctx.ebsl, attestations, { capacity: 16, reveal: true });
      item.check("ran on the smallest circuit that fits (ebsl-16)", r.circuitId === "ebsl-16", { circuitId: r.circuitId });
      item.check("score equals the TypeScript reference (10^6 fixed point)", r.score === Number(ref.score), { score: r.score, reference: ref.score });
      item.check("public scoreOut signal equals the score", r.publicSignals[1] === String(r.score), { scoreOut: r.publicSignals[1] });
      item.check("commitment equals the reference Poseidon commitment", r.publicSignals[0] === String(ref.commitment), { commitment: r.publicSignals[0].slice(0, 16) });
      item.check("the library verified the proof (pinned vkey)", r.timings.verifyMs !== undefined, { verifyMs: r.timings.verifyMs });
      item.check("snarkjs verifies it independently against circuits/ vkey", await verifyIndependently(r.circuitId, r.publicSignals, r.proof));
      item.check("result hash recomputes from (circuit, proof, signals)", ctx.node.resultHash(r.circuitId, r.proof, r.publicSignals) === r.hash, { hash: r.hash.slice(0, 16) });
      item.record({ latencyMs: ms, timings: r.timings, attempts: r.attempts, proofs: 1 });
    } finally {
      api.dispose();
    }
  },
};

export const thresholdProof = {
  name: "threshold_proof",
  description: "Real threshold proofs (score >= threshold) that hide the score: one threshold the score meets, one it does not; both verify independently and the comparison bit equals the reference.",
  configuration: { circuit: "ebsl-16", attestations: 5, thresholds: [300000, 950000] },
  conclusion: "Threshold proofs prove the comparison and reveal no score.",
  async run(ctx, item) {
    const api = makeApi(ctx);
    try {
      const attestations = list(5, 2);
      const latencies = [];
      for (const threshold of [300_000, 950_000]) {
        const { value: r, ms } = await timed(() => api.requestProof(attestations, "threshold", { now: NOW, threshold }));
        latencies.push(ms);
        const ref = reference(ctx.ebsl, attestations, { capacity: 16, reveal: false, threshold: BigInt(threshold) });
        item.check(`threshold ${threshold}: score hidden (undefined, scoreOut = 0)`, r.score === undefined && r.publicSignals[1] === "0", { scoreOut: r.publicSignals[1] });
        item.check(`threshold ${threshold}: meets bit equals the reference (${ref.meets})`, r.publicSignals[2] === String(ref.meets) && r.meetsThreshold === (ref.meets === 1n), { meets: r.publicSignals[2] });
        item.check(`threshold ${threshold}: public threshold signal is ${threshold}`, r.publicSignals[5] === String(threshold));
        item.check(`threshold ${threshold}: snarkjs verifies independently`, await verifyIndependently(r.circuitId, r.publicSignals, r.proof));
      }
      item.record({ latenciesMs: latencies, proofs: 2 });
    } finally {
      api.dispose();
    }
  },
};

export const tamperDetection = {
  name: "tamper_detection",
  description: "A real proof whose public signal or proof point is edited is rejected by verification (the library's prover.verify and snarkjs), and its result hash no longer matches. A persisted proof-cache entry edited at rest is detected on read and re-proved.",
  configuration: { circuit: "ebsl-16", tamperings: ["meets bit flipped", "score changed", "pi_a[0] changed", "signals reordered", "persisted cache entry edited"] },
  conclusion: "Tampered proofs and public signals are detected.",
  async run(ctx, item) {
    const api = makeApi(ctx);
    const prover = ctx.node.createProver({
      circuits: ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), `${ctx.node.packageCircuitsDir()}`),
      artifacts: ctx.node.createArtifactLoader({ store: null, readFile: ctx.node.createNodeArtifactReader() }),
      workerFactory: ctx.node.createNodeWorkerFactory({ url: new URL("../../../dist/prover.node-worker.js", import.meta.url) }),
      poolSize: 1,
    });
    try {
      const r = await api.requestProof(list(4, 3), "exact", { now: NOW });
      const genuine = await prover.verify(r.circuitId, r.proof, [...r.publicSignals]);
      item.check("the genuine proof verifies (library prover.verify)", genuine === true);
      const forgeries = {
        "meets bit flipped": { signals: r.publicSignals.map((s, i) => (i === 2 ? (s === "1" ? "0" : "1") : s)), proof: r.proof },
        "score changed": { signals: r.publicSignals.map((s, i) => (i === 1 ? String(Number(s) + 1) : s)), proof: r.proof },
        "pi_a[0] changed": { signals: [...r.publicSignals], proof: { ...r.proof, pi_a: [String(BigInt(r.proof.pi_a[0]) + 1n), ...r.proof.pi_a.slice(1)] } },
        "signals reordered": { signals: [r.publicSignals[1], r.publicSignals[0], ...r.publicSignals.slice(2)], proof: r.proof },
      };
      let rejected = 0;
      for (const [name, f] of Object.entries(forgeries)) {
        let libraryValid;
        try {
          libraryValid = await prover.verify(r.circuitId, f.proof, f.signals);
        } catch (error) {
          libraryValid = false; // an off-curve point is rejected by throwing: also a rejection
          item.record({ [`${name}_error`]: error?.code ?? error?.name });
        }
        const independent = await verifyIndependently(r.circuitId, f.signals, f.proof);
        const hashDiffers = ctx.node.resultHash(r.circuitId, f.proof, f.signals) !== r.hash;
        if (!libraryValid && !independent) rejected++;
        item.check(`${name}: rejected by the library and by snarkjs; hash differs`, libraryValid === false && independent === false && hashDiffers, { libraryValid, independent, hashDiffers });
      }
      item.record({ forgeries: Object.keys(forgeries).length, rejected });
      if (typeof ctx.testing.createMemoryCacheBackend === "function") {
        // A proof cache persisted outside the process (IndexedDB in browsers) is re-checked on read.
        const backend = ctx.testing.createMemoryCacheBackend();
        const cache = { persist: backend, salt: "00112233445566778899aabbccddeeff" };
        const request = list(3, 5);
        const first = makeApi(ctx, { cache });
        const original = await first.requestProof(request, "exact", { now: NOW });
        first.dispose();
        const keys = [...backend.data.keys()];
        for (const key of keys) {
          const entry = backend.data.get(key);
          backend.data.set(key, { ...entry, publicSignals: entry.publicSignals.map((v, i) => (i === 1 ? String(Number(v) + 100000) : v)) });
        }
        const second = makeApi(ctx, { cache });
        try {
          const again = await second.requestProof(request, "exact", { now: NOW });
          const stats = second.getCacheStats();
          item.check("a tampered persisted cache entry is detected on read and never returned", keys.length > 0 && again.cached === false && stats.tampered >= 1 && again.publicSignals[1] === original.publicSignals[1], { entries: keys.length, cached: again.cached, tampered: stats.tampered });
        } finally {
          second.dispose();
        }
      }
    } finally {
      prover.dispose();
      api.dispose();
    }
  },
};
