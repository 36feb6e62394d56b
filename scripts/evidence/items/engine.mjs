// How a proof uses the machine: adaptive threads (a lone proof on every idle core, a burst one
// core each) and the bn254 WebAssembly backend, the default (checked against snarkjs, the
// reference, on one thread and split across helper threads).
import { list, NOW, reference, verifyIndependently } from "../fixtures.mjs";
import { timed } from "../report.mjs";
import { makeApi, WORKER_URL } from "./common.mjs";

function ebslInput(ctx, n, salt) {
  const b = ctx.ebsl.buildCircuitInput({ attestations: list(n, salt), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [16, 64], forceCapacity: 16 });
  return ctx.ebsl.toCircuitSignals(b.slots, b.publicInputs);
}

export const adaptiveThreads = {
  name: "adaptive_threads",
  description: "threads: \"adaptive\" (the default) on a 2-core budget: a lone proof runs on helper threads nested in its worker (2 threads) and verifies; in a burst of 3 proofs on a 2-worker pool the two running while the third waits run one thread each, so the pool never uses more threads than cores.",
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
      // A burst of 3 on 2 workers: the first two start proving while the third waits for a
      // worker, so they must run on one thread each (the third may widen once one has finished).
      const burst = await Promise.all([3, 4, 5].map((salt) => prover.prove("ebsl-16", ebslInput(ctx, 16, salt))));
      const threads = burst.map((r) => r.threads ?? 1);
      item.check("a burst of 3 on 2 workers: the two proofs running while another waited ran one thread each (never above the 2 cores)", threads[0] === 1 && threads[1] === 1, { threads });
      for (const [i, r] of burst.entries()) item.check(`burst proof ${i + 1} verifies independently`, await verifyIndependently("ebsl-16", r.publicSignals, r.proof));
      item.record({ loneLatencyMs: ms, loneTimings: lone.timings, burstThreads: threads });
    } finally {
      prover.dispose();
    }
  },
};

export const bn254Backend = {
  name: "bn254_backend",
  description: "proverOptions.backend: \"bn254\" (the default): proofline's BN254 WebAssembly prover (same zkey, circom's witness) proves an exact EBSL score over 16 attestations; the library verifies it against the pinned vkey, snarkjs verifies it again independently, and its public signals equal those of the snarkjs backend (the reference) for the same request. Then the parallel path: with the defaults on a 2-core budget, lone ebsl-16 and ebsl-64 proofs are split across the prover worker and a bn254 helper thread nested in it (2 threads) and verify independently; in a burst of 3 on 2 workers the two running while the third waits run one thread each.",
  configuration: { circuits: ["ebsl-16", "ebsl-64"], attestations: [16, 64], proofType: "exact", poolSize: 1, backends: ["bn254", "snarkjs"], parallel: { cores: 2, poolSize: 2, threads: "adaptive" } },
  conclusion: "The faster core proves the same statements on one thread or split across threads, and snarkjs accepts its proofs.",
  async run(ctx, item) {
    const fast = makeApi(ctx, { proverOptions: { backend: "bn254" } });
    const ref = makeApi(ctx, { proverOptions: { backend: "snarkjs" } });
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
    // The parallel path: the defaults (bn254, adaptive threads) on a 2-core budget.
    const circuits = ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), ctx.server.baseUrl);
    const prover = ctx.node.createProver({ circuits, artifacts: ctx.node.workerArtifacts(), workerFactory: ctx.node.createNodeWorkerFactory({ url: WORKER_URL }), poolSize: 2, cores: 2 });
    try {
      const input = (n, salt) => {
        const b = ctx.ebsl.buildCircuitInput({ attestations: list(n, salt), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [n], forceCapacity: n });
        return ctx.ebsl.toCircuitSignals(b.slots, b.publicInputs);
      };
      const parallel = {};
      for (const n of [16, 64]) {
        const id = `ebsl-${n}`;
        await prover.prove(id, input(n, 20 + n)); // warm-up: workers, artifacts, slices
        const { value: lone, ms: loneMs } = await timed(() => prover.prove(id, input(n, 30 + n)));
        item.check(`a lone ${id} proof ran split on 2 threads (bn254 helper nested in the worker)`, lone.threads === 2, { threads: lone.threads });
        item.check(`the split ${id} proof verifies independently (snarkjs, pinned vkey)`, await verifyIndependently(id, lone.publicSignals, lone.proof));
        parallel[id] = { loneMs, timings: lone.timings };
      }
      const burst = await Promise.all([5, 6, 7].map((salt) => prover.prove("ebsl-16", input(16, salt))));
      const threads = burst.map((r) => r.threads ?? 1);
      item.check("a burst of 3 on 2 workers: the two proofs running while another waited ran one thread each", threads[0] === 1 && threads[1] === 1, { threads });
      for (const [i, r] of burst.entries()) item.check(`burst proof ${i + 1} verifies independently`, await verifyIndependently("ebsl-16", r.publicSignals, r.proof));
      item.record({ parallel });
    } finally {
      prover.dispose();
    }
  },
};

export const memoryBudget = {
  name: "memory_budget",
  description: "proverOptions.memoryBudgetMB: a circuit whose pinned sizes alone exceed the budget is refused with RESOURCE_EXHAUSTED before any worker starts or any byte downloads; one whose pins fit but whose zkey header (decoded bases, coefficients, proof scratch) does not is refused by the worker before decoding; under a budget that holds it the same circuit proves. The default budget comes from the platform (os.totalmem in Node).",
  configuration: { circuit: "ebsl-16", budgetsMB: [64, 94, "default"] },
  conclusion: "A circuit too big for the memory it may use fails typed (a fallback case), never by exhausting the process.",
  async run(ctx, item) {
    const circuits = ctx.node.circuitsFromManifest(ctx.node.bundledManifest(), ctx.server.baseUrl);
    const make = (memoryBudgetMB) =>
      ctx.node.createProver({ circuits, artifacts: ctx.node.workerArtifacts(), workerFactory: ctx.node.createNodeWorkerFactory({ url: WORKER_URL }), poolSize: 1, cores: 1, ...(memoryBudgetMB ? { memoryBudgetMB } : {}) });
    const input = () => {
      const b = ctx.ebsl.buildCircuitInput({ attestations: list(16, 3), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [16], forceCapacity: 16 });
      return ctx.ebsl.toCircuitSignals(b.slots, b.publicInputs);
    };
    const outcome = async (budget) => {
      const prover = make(budget);
      const before = ctx.server.requestLog?.length ?? 0;
      try {
        const r = await prover.prove("ebsl-16", input());
        return { ok: true, verified: r.verified, threads: r.threads ?? 1 };
      } catch (e) {
        return { ok: false, code: e?.code, details: e?.details, recoverability: e?.recoverability, requests: (ctx.server.requestLog?.length ?? 0) - before };
      } finally {
        prover.dispose();
      }
    };
    const pins = await outcome(64);
    item.check("64 MB: refused from the pins, RESOURCE_EXHAUSTED (recoverability fallback)", pins.ok === false && pins.code === "RESOURCE_EXHAUSTED" && pins.details?.stage === "pins", pins);
    // The pins say at least 93.4 MB; the header says 94.1 MB with the zkey let go once decoded.
    const header = await outcome(94);
    item.check("94 MB: the pins fit (93.4 MB), the worker refuses from the zkey header (94.1 MB) before decoding, RESOURCE_EXHAUSTED", header.ok === false && header.code === "RESOURCE_EXHAUSTED" && header.details?.stage === "zkey header", header);
    const fits = await outcome(undefined);
    item.check("the default budget (from os.totalmem) holds it: the proof verifies", fits.ok === true && fits.verified === true, fits);
    item.record({ pins, header, fits });
  },
};
