// How a proof uses the machine: adaptive threads (a lone proof on every idle core, a burst one
// core each) and the bn254 WebAssembly backend (checked against snarkjs, the reference).
import { list, NOW, reference, verifyIndependently } from "../fixtures.mjs";
import { timed } from "../report.mjs";
import { makeApi, WORKER_URL } from "./common.mjs";

function ebslInput(ctx, n, salt) {
  const b = ctx.ebsl.buildCircuitInput({ attestations: list(n, salt), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [16, 64], forceCapacity: 16 });
  return ctx.ebsl.toCircuitSignals(b.slots, b.publicInputs);
}

export const adaptiveThreads = {
  name: "adaptive_threads",
  description: "threads: \"adaptive\" (the default) on a 2-core budget: a lone proof runs on helper threads nested in its worker (2 threads) and verifies; a burst of 2 proofs on a 2-worker pool runs one thread each, so the pool never uses more threads than cores.",
  configuration: { circuit: "ebsl-16", cores: 2, poolSize: 2, threads: "adaptive", attestations: 16 },
  conclusion: "A lone proof gets the idle cores; a burst shares them without oversubscription.",
  async run(ctx, item) {
    const circuits = ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), ctx.server.baseUrl);
    const prover = ctx.node.createProver({ circuits, artifacts: ctx.node.workerArtifacts(), workerFactory: ctx.node.createNodeWorkerFactory({ url: WORKER_URL }), poolSize: 2, cores: 2, threads: "adaptive" });
    try {
      await prover.prove("ebsl-16", ebslInput(ctx, 16, 1)); // warm-up: worker start, artifacts, threaded curve
      const { value: lone, ms } = await timed(() => prover.prove("ebsl-16", ebslInput(ctx, 16, 2)));
      item.check("a lone proof ran on 2 threads", lone.threads === 2, { threads: lone.threads });
      item.check("it verifies independently (snarkjs, pinned vkey)", await verifyIndependently("ebsl-16", lone.publicSignals, lone.proof));
      const burst = await Promise.all([3, 4].map((salt) => prover.prove("ebsl-16", ebslInput(ctx, 16, salt))));
      const threads = burst.map((r) => r.threads ?? 1);
      item.check("a burst of 2 ran one thread per proof (threads in use never above the 2 cores)", threads.every((t) => t === 1), { threads });
      for (const [i, r] of burst.entries()) item.check(`burst proof ${i + 1} verifies independently`, await verifyIndependently("ebsl-16", r.publicSignals, r.proof));
      item.record({ loneLatencyMs: ms, loneTimings: lone.timings, burstThreads: threads });
    } finally {
      prover.dispose();
    }
  },
};

export const bn254Backend = {
  name: "bn254_backend",
  description: "proverOptions.backend: \"bn254\": proofline's BN254 WebAssembly prover (same zkey, circom's witness) proves an exact EBSL score over 16 attestations; the library verifies it against the pinned vkey, snarkjs verifies it again independently, and its public signals equal those of the snarkjs backend (the reference) for the same request.",
  configuration: { circuit: "ebsl-16", attestations: 16, proofType: "exact", poolSize: 1, backends: ["bn254", "snarkjs"] },
  conclusion: "The faster core proves the same statements, and snarkjs accepts its proofs.",
  async run(ctx, item) {
    const fast = makeApi(ctx, { proverOptions: { backend: "bn254" } });
    const ref = makeApi(ctx);
    try {
      const attestations = list(16, 9);
      const { value: r, ms } = await timed(() => fast.requestProof(attestations, "exact", { now: NOW }));
      const s = await ref.requestProof(attestations, "exact", { now: NOW });
      const expected = reference(ctx.ebsl, attestations, { capacity: 16, reveal: true });
      item.check("ran on ebsl-16", r.circuitId === "ebsl-16", { circuitId: r.circuitId });
      item.check("score equals the TypeScript reference", r.score === Number(expected.score), { score: r.score });
      item.check("public signals equal the snarkjs backend's for the same request", JSON.stringify(r.publicSignals) === JSON.stringify(s.publicSignals));
      item.check("the proof differs from the snarkjs one (fresh blinding)", JSON.stringify(r.proof) !== JSON.stringify(s.proof));
      item.check("the library verified it (pinned vkey)", r.timings.verifyMs !== undefined, { verifyMs: r.timings.verifyMs });
      item.check("snarkjs verifies it independently", await verifyIndependently(r.circuitId, r.publicSignals, r.proof));
      item.record({ latencyMs: ms, timings: r.timings, snarkjsTimings: s.timings });
    } finally {
      fast.dispose();
      ref.dispose();
    }
  },
};
