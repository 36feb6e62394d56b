// Recovery from injected faults (proofline/testing): retry after a transient network drop,
// circuit-size fallback after a REAL out-of-memory, worker crash / stall / memory recovery.
import { list, NOW, reference, SUBJECT, verifyIndependently } from "../fixtures.mjs";
import { rejectionOf, timed } from "../report.mjs";
import { collectEvents, errorFacts, faultFactory, makeApi } from "./common.mjs";

export const retryTransient = {
  name: "retry_transient_fault",
  description: "The first zkey download drops mid-body (the stream errors after half the bytes): the attempt fails with NETWORK_ERROR (retryable), the pipeline retries with backoff, and the second attempt proves and verifies (attempts = 2).",
  configuration: { fault: { kind: "network-drop", artifact: "zkey", nth: 1, seed: 21 }, retry: { attempts: 3, baseMs: 100, capMs: 1000 }, transport: "HTTP on 127.0.0.1" },
  conclusion: "Transient network failures are retried to success.",
  async run(ctx, item) {
    const fetch = ctx.testing.createFaultyFetch({ kind: "network-drop", artifact: "zkey", nth: 1, seed: 21 });
    const api = makeApi(ctx, { artifactsBaseUrl: ctx.server.baseUrl, retry: { attempts: 3, baseMs: 100, capMs: 1000 }, artifacts: () => ctx.node.createArtifactLoader({ store: null, fetch }) });
    try {
      const events = collectEvents(api);
      let maxZkeyBytesAttempt1 = 0;
      const { value: r, ms } = await timed(() =>
        api.requestProof(list(3, 30), "exact", {
          now: NOW,
          onProgress: (e) => {
            if (e.stage === "artifacts" && !e.attempt && e.bytes) maxZkeyBytesAttempt1 = Math.max(maxZkeyBytesAttempt1, e.bytes.loaded);
          },
        }),
      );
      const failed = events.filter((e) => e.type === "attempt-failed");
      item.check("exactly one network drop was injected (mid-body)", fetch.schedule.injected.length === 1, { injected: fetch.schedule.injected });
      item.check("attempt 1 failed with NETWORK_ERROR and was retried", failed.length === 1 && failed[0].code === "NETWORK_ERROR" && failed[0].willRetry === true, { attemptFailed: failed });
      item.check("the request succeeded with attempts = 2", r.attempts === 2, { attempts: r.attempts });
      item.check("the proof verifies independently", await verifyIndependently(r.circuitId, r.publicSignals, r.proof));
      item.record({ latencyMs: ms, retryDelayMs: failed[0]?.delayMs, bytesBeforeDrop: maxZkeyBytesAttempt1 });
    } finally {
      api.dispose();
    }
  },
};

/** Is ebsl-64 a committed variant the facade may use? */
function hasCommittedMedium(ctx) {
  return ctx.node.bundledManifest().circuits["ebsl-64"]?.committed === true;
}

export const circuitFallback = {
  name: "circuit_fallback",
  description: "20 attestations need ebsl-64. On a small-memory device (every growable WebAssembly memory capped at 64 pages = 4 MiB; snarkjs really runs out of memory proving ebsl-64 and not ebsl-16) the request falls back to ebsl-16 with the documented subset rule: truncated, 16 attestations, the reference subset's score and commitment. With fallback forbidden it fails with RESOURCE_EXHAUSTED.",
  configuration: { attestations: 20, wasmPageCap: 64, circuits: ["ebsl-64", "ebsl-16"] },
  conclusion: "Resource failures fall back to a smaller circuit, honestly labelled.",
  async run(ctx, item) {
    if (!hasCommittedMedium(ctx)) {
      // With the registry in every slot ebsl-64 is a 2^18 circuit built on demand, not committed.
      item.check("NOT EXERCISED: ebsl-64 is not committed (built on demand), so there is no larger variant to fall back from", true);
      return;
    }
    const factory = faultFactory(ctx, [], { wasmPageCap: 64 });
    const api = makeApi(ctx, { workerFactory: factory });
    try {
      const events = collectEvents(api);
      const attestations = list(20, 40);
      const { value: r, ms } = await timed(() => api.requestProof(attestations, "exact", { now: NOW }));
      const oom = events.find((e) => e.type === "attempt-failed");
      item.check("ebsl-64 failed with a real RESOURCE_EXHAUSTED", oom?.circuitId === "ebsl-64" && oom?.code === "RESOURCE_EXHAUSTED", { attemptFailed: oom });
      item.check("fell back to ebsl-16: truncated, 16 used, reason RESOURCE_EXHAUSTED, attempts 2", r.circuitId === "ebsl-16" && r.truncated === true && r.attestationsUsed === 16 && r.fallbackReason === "RESOURCE_EXHAUSTED" && r.attempts === 2, {
        circuitId: r.circuitId, truncated: r.truncated, attestationsUsed: r.attestationsUsed, fallbackReason: r.fallbackReason, attempts: r.attempts,
      });
      const ref = reference(ctx.ebsl, attestations, { capacity: 16, reveal: true });
      item.check("score and commitment equal the reference subset rule", r.score === Number(ref.score) && r.publicSignals[0] === String(ref.commitment), { score: r.score, reference: ref.score });
      item.check("the fallback proof verifies independently", await verifyIndependently(r.circuitId, r.publicSignals, r.proof));
      const forbidden = await rejectionOf(api.requestProof(list(20, 41), "exact", { now: NOW, allowFallback: false }));
      item.check("allowFallback: false → RESOURCE_EXHAUSTED (recoverability fallback)", forbidden?.code === "RESOURCE_EXHAUSTED" && forbidden?.recoverability === "fallback", { error: errorFacts(forbidden) });
      item.record({ latencyMs: ms, subject: SUBJECT, injectedFaults: factory.schedule.injected.length });
    } finally {
      api.dispose();
    }
  },
};

export const workerCrashRecovery = {
  name: "worker_crash_recovery",
  description: "Injected worker faults inside real proofs: a crash mid-proof (worker thread exits), a stall past the 6 s timeout, and a real WebAssembly out-of-memory. Each fails its attempt with the right typed code, the worker is replaced, and the next request succeeds. A crash while proving ebsl-64 recovers by falling back to ebsl-16.",
  configuration: { poolSize: 1, timeoutMs: 6000, faults: ["crash", "stall", "memory"], retry: { attempts: 1 } },
  conclusion: "Worker failures are typed, contained, and the pool recovers.",
  async run(ctx, item) {
    const expected = { crash: "WORKER_CRASHED", stall: "TIMEOUT", memory: "RESOURCE_EXHAUSTED" };
    const recovery = {};
    for (const [kind, code] of Object.entries(expected)) {
      let spawned = 0;
      const factory = faultFactory(ctx, { kind, circuitId: "ebsl-16", nth: 1, seed: 50 }, { stallMs: 120_000, onSpawn: () => spawned++ });
      const api = makeApi(ctx, { workerFactory: factory, timeoutMs: 6000, retry: { attempts: 1 } });
      try {
        const t = performance.now();
        const e = await rejectionOf(api.requestProof(list(3, 60), "exact", { now: NOW }));
        const failMs = Math.round(performance.now() - t);
        item.check(`${kind}: the request fails with ${code}`, e?.code === code, { error: errorFacts(e), failMs });
        const { value: next, ms } = await timed(() => api.requestProof(list(3, 61), "exact", { now: NOW }));
        item.check(`${kind}: the next request succeeds on a replacement worker and verifies`, spawned === 2 && (await verifyIndependently(next.circuitId, next.publicSignals, next.proof)), { workersSpawned: spawned });
        recovery[kind] = { failMs, recoveryProofMs: ms, injected: factory.schedule.injected.length, workersSpawned: spawned };
      } finally {
        api.dispose();
      }
    }
    if (!hasCommittedMedium(ctx)) {
      item.record({ recovery, fallbackFromEbsl64: "not exercised: ebsl-64 is built on demand" });
      return;
    }
    const factory = faultFactory(ctx, { kind: "crash", circuitId: "ebsl-64", nth: 1, seed: 51 });
    const api = makeApi(ctx, { workerFactory: factory, retry: { attempts: 1 } });
    try {
      const r = await api.requestProof(list(20, 62), "exact", { now: NOW });
      item.check("crash while proving ebsl-64: falls back to ebsl-16 (reason WORKER_CRASHED) and verifies", r.circuitId === "ebsl-16" && r.fallbackReason === "WORKER_CRASHED" && (await verifyIndependently(r.circuitId, r.publicSignals, r.proof)), { circuitId: r.circuitId, fallbackReason: r.fallbackReason });
    } finally {
      api.dispose();
    }
    item.record({ recovery });
  },
};
