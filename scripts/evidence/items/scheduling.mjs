// Priority ordering and cancellation at each stage (queued, artifacts download, proving).
import { list, NOW, verifyIndependently } from "../fixtures.mjs";
import { rejectionOf } from "../report.mjs";
import { collectEvents, errorFacts, makeApi } from "./common.mjs";

export const priorityOrdering = {
  name: "priority_ordering",
  description: "With one worker busy, five queued requests of mixed priority complete strictly by priority (CRITICAL, HIGH, NORMAL, LOW), FIFO within a level.",
  configuration: { poolSize: 1, concurrency: 1, submitted: ["LOW (running)", "LOW", "NORMAL-1", "CRITICAL", "HIGH", "NORMAL-2"] },
  conclusion: "The queue serves higher priorities first and keeps FIFO within a level.",
  async run(ctx, item) {
    const { ProofPriority } = ctx.node;
    const api = makeApi(ctx);
    try {
      const completed = [];
      api.subscribe((e) => e.type === "completed" && completed.push(e.requestId));
      const first = api.requestProof(list(1, 10), "threshold", { now: NOW, priority: ProofPriority.LOW });
      const burst = [["low", ProofPriority.LOW], ["normal-1", ProofPriority.NORMAL], ["critical", ProofPriority.CRITICAL], ["high", ProofPriority.HIGH], ["normal-2", ProofPriority.NORMAL]];
      const requests = burst.map(([name, priority], i) => ({ name, request: api.requestProof(list(2, 11 + i), "threshold", { now: NOW, priority }) }));
      const names = new Map(requests.map((r) => [r.request.requestId, r.name]));
      const results = await Promise.all([first, ...requests.map((r) => r.request)]);
      const order = completed.filter((id) => id !== first.requestId).map((id) => names.get(id));
      item.check("queued requests completed in order critical, high, normal-1, normal-2, low", JSON.stringify(order) === JSON.stringify(["critical", "high", "normal-1", "normal-2", "low"]), { order });
      const waits = Object.fromEntries(requests.map((r, i) => [r.name, results[i + 1].timings.queueWaitMs]));
      item.check("queue wait grows along the priority order", waits.critical <= waits.high && waits.high <= waits["normal-1"] && waits["normal-2"] <= waits.low, { queueWaitMs: waits });
      const stats = api.getQueueStats();
      item.check("queue stats: 6 completed, 0 failed, nothing left", stats.completed === 6 && stats.failed === 0 && stats.queued === 0 && stats.processing === 0, { stats });
      item.record({ proofs: 6, queueWaitMs: waits });
    } finally {
      api.dispose();
    }
  },
};

export const cancellation = {
  name: "cancellation",
  description: "Cancel at each stage: queued (removed from the queue, never started), during the artifact download (the HTTP transfer is aborted), during proving (the worker is terminated and replaced). Each settles with CancelledError quickly, and the next request succeeds.",
  configuration: { poolSize: 1, slowDownload: "64 KiB every 25 ms from 127.0.0.1" },
  conclusion: "Cancellation works at every stage and leaves the pool healthy.",
  async run(ctx, item) {
    const latencies = {};
    // queued + proving on one API
    const spawned = [];
    const api = makeApi(ctx, { onSpawn: (w) => spawned.push(w.threadId) });
    try {
      let reachedProving;
      const proving = new Promise((resolve) => (reachedProving = resolve));
      const running = api.requestProof(list(3, 20), "exact", { now: NOW, onProgress: (e) => e.stage === "proving" && reachedProving() });
      const queued = api.requestProof(list(4, 21), "exact", { now: NOW });
      const queuedStatus = api.getRequestStatus(queued.requestId)?.status;
      let t = performance.now();
      api.cancelProof(queued.requestId);
      const qe = await rejectionOf(queued);
      latencies.queuedMs = Math.round(performance.now() - t);
      item.check("queued: was QUEUED, rejects with CANCELLED", queuedStatus === "QUEUED" && qe?.code === "CANCELLED", { status: queuedStatus, error: errorFacts(qe) });
      await proving;
      t = performance.now();
      api.cancelProof(running.requestId);
      const pe = await rejectionOf(running);
      latencies.provingMs = Math.round(performance.now() - t);
      item.check("proving: rejects with CANCELLED, status CANCELLED", pe?.code === "CANCELLED" && api.getRequestStatus(running.requestId)?.status === "CANCELLED", { error: errorFacts(pe) });
      const next = await api.requestProof(list(2, 22), "exact", { now: NOW });
      item.check("the next request succeeds on a replacement worker", (await verifyIndependently(next.circuitId, next.publicSignals, next.proof)) && spawned.length === 2, { workersSpawned: spawned.length });
      const stats = api.getQueueStats();
      item.check("queue stats count 2 cancelled, 1 completed", stats.cancelled === 2 && stats.completed === 1, { stats });
    } finally {
      api.dispose();
    }
    // download
    const slow = makeApi(ctx, { artifactsBaseUrl: ctx.server.slowUrl, artifacts: () => ctx.node.createArtifactLoader({ store: null, fetch: globalThis.fetch }) });
    try {
      const abortedBefore = ctx.server.stats.abortedResponses;
      const controller = new AbortController();
      let downloading;
      const inDownload = new Promise((resolve) => (downloading = resolve));
      const events = collectEvents(slow);
      const request = slow.requestProof(list(3, 23), "exact", { now: NOW, signal: controller.signal, onProgress: (e) => e.stage === "artifacts" && (e.bytes?.loaded ?? 0) > 0 && downloading(e) });
      const at = await inDownload;
      const t = performance.now();
      controller.abort();
      const de = await rejectionOf(request);
      latencies.downloadMs = Math.round(performance.now() - t);
      // The server notices a closed socket a little later than the client aborts: poll (≤ 3 s).
      for (let i = 0; i < 30 && ctx.server.stats.abortedResponses === abortedBefore; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      item.check("download: an AbortSignal abort rejects with CANCELLED at stage artifacts", de?.code === "CANCELLED" && events.some((e) => e.type === "cancelled" && e.stage === "artifacts"), { error: errorFacts(de), bytesAtCancel: at.bytes });
      item.check("download: the HTTP transfers were aborted before their end", ctx.server.stats.abortedResponses > abortedBefore, { abortedResponses: ctx.server.stats.abortedResponses - abortedBefore });
    } finally {
      slow.dispose();
    }
    item.check("every cancellation settled within 1 s", Object.values(latencies).every((ms) => ms < 1000), { latencies });
    item.record({ cancelLatencyMs: latencies });
  },
};
