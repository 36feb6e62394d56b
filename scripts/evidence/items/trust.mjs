// The trust layer through the facade: proof cache + in-flight dedup, per-user rate limit,
// hash-chained audit log, Sentry telemetry without private inputs.
import { attestation, list, NOW, verifyIndependently } from "../fixtures.mjs";
import { rejectionOf, timed } from "../report.mjs";
import { collectEvents, errorFacts, faultFactory, makeApi, WORKER_URL } from "./common.mjs";

/** True when the built facade has the trust layer (the items fail honestly otherwise). */
const trustWired = (ctx) => {
  const api = ctx.node.createNodeProofAPI();
  try {
    return ["getCacheStats", "getAuditLog", "verifyAuditLog"].every((m) => typeof api[m] === "function");
  } finally {
    api.dispose();
  }
};

function requireTrust(ctx, item) {
  return item.check("the built ProofAPI has the trust layer (getCacheStats, getAuditLog, verifyAuditLog)", trustWired(ctx));
}

/** The production worker factory, counting the real `prove` calls that reach a worker. */
function countingFactory(ctx) {
  const base = ctx.node.createNodeWorkerFactory({ url: WORKER_URL });
  const counter = { proves: 0 };
  counter.factory = () => {
    const h = base();
    const api = {
      init: (...a) => h.api.init(...a),
      load: (...a) => h.api.load(...a),
      unload: (...a) => h.api.unload(...a),
      verify: (...a) => h.api.verify(...a),
      prove: (...a) => {
        counter.proves++;
        return h.api.prove(...a);
      },
    };
    return { api, onDeath: (fn) => h.onDeath(fn), terminate: () => h.terminate() };
  };
  return counter;
}

const proofCacheDedup = {
  name: "proof_cache_dedup",
  description: "Two identical requests in flight share ONE real proof (in-flight dedup); a third identical request later is answered from the proof cache (re-checked on read) without proving; getCacheStats reports the real hit rate.",
  configuration: { cache: { max: 50, ttlMs: 3_600_000 }, poolSize: 2, requests: ["A", "B (identical, concurrent)", "C (identical, after)"] },
  conclusion: "Identical requests cost one proof.",
  async run(ctx, item) {
    if (!requireTrust(ctx, item)) return;
    // Two workers, so A and B are in flight at the same time (with one, B would wait in the
    // queue and find A's proof already cached: a hit, not a join).
    const counter = countingFactory(ctx);
    const api = makeApi(ctx, { cache: { max: 50, ttlMs: 3_600_000 }, workerFactory: counter.factory, proverOptions: { poolSize: 2 } });
    try {
      const attestations = list(4, 70);
      const [a, b] = await Promise.all([api.requestProof(attestations, "exact", { now: NOW }), api.requestProof(attestations, "exact", { now: NOW })]);
      const afterAB = counter.proves;
      const { value: c, ms: hitMs } = await timed(() => api.requestProof(attestations, "exact", { now: NOW }));
      item.check("A and B: ONE real proof (worker prove calls = 1); the other joined it in flight", afterAB === 1 && [a.cacheSource, b.cacheSource].includes("joined"), { workerProveCalls: afterAB, a: a.cacheSource ?? "proved", b: b.cacheSource ?? "proved" });
      item.check("C was a cache hit and did not prove (prove calls still 1)", c.cached === true && c.cacheSource === "hit" && counter.proves === 1, { cached: c.cached, source: c.cacheSource, workerProveCalls: counter.proves });
      item.check("all three carry the same statement (public signals)", JSON.stringify(a.publicSignals) === JSON.stringify(b.publicSignals) && JSON.stringify(a.publicSignals) === JSON.stringify(c.publicSignals));
      item.check("the cached proof verifies independently", await verifyIndependently(c.circuitId, c.publicSignals, c.proof));
      const stats = api.getCacheStats();
      item.check("getCacheStats: ≥1 hit, ≥1 in-flight join, hit rate > 0", stats.hits >= 1 && stats.inflightJoins >= 1 && stats.hitRate > 0, { stats });
      const other = await api.requestProof(list(4, 71), "exact", { now: NOW });
      item.check("a different request is not served from the cache", other.cached === false, { cached: other.cached });
      item.record({ cacheStats: api.getCacheStats(), hitLatencyMs: hitMs, provedLatencyMs: a.timings.requestMs, workerProveCalls: counter.proves });
    } finally {
      api.dispose();
    }
  },
};

const rateLimiting = {
  name: "rate_limiting",
  description: "Per-user sliding-window limit (2 per minute here; default 10 per hour): the third request of a user is refused before queueing with RATE_LIMITED and a retryAfterMs; other users are unaffected; the refusal is audited.",
  configuration: { rateLimit: { max: 2, windowMs: 60_000 } },
  conclusion: "Rate limits are enforced per user, before any work.",
  async run(ctx, item) {
    if (!requireTrust(ctx, item)) return;
    const api = makeApi(ctx, { rateLimit: { max: 2, windowMs: 60_000 } });
    try {
      const events = collectEvents(api);
      const user = "0x00000000000000000000000000000000000000a1";
      const ok = await Promise.all([0, 1].map((i) => api.requestProof(list(2, 80 + i), "threshold", { now: NOW, userId: user })));
      item.check("the first 2 requests of the user prove", ok.every((r) => r.proof !== undefined));
      const queuedBefore = api.getQueueStats();
      const e = await rejectionOf(api.requestProof(list(2, 82), "threshold", { now: NOW, userId: user }));
      item.check("the 3rd is refused with RATE_LIMITED and 0 < retryAfterMs <= 60000", e?.code === "RATE_LIMITED" && e.details.retryAfterMs > 0 && e.details.retryAfterMs <= 60_000, { error: errorFacts(e), details: e?.details });
      const after = api.getQueueStats();
      item.check("it was refused before queueing (no accepted event, queue unchanged)", !events.some((x) => x.type === "accepted" && x.requestId === e?.details?.requestId) && after.completed === queuedBefore.completed && events.filter((x) => x.type === "rejected" && x.code === "RATE_LIMITED").length === 1);
      const otherUser = await api.requestProof(list(2, 83), "threshold", { now: NOW, userId: "0x00000000000000000000000000000000000000b2" });
      item.check("another user is still served", otherUser.proof !== undefined);
      const audit = api.getAuditLog();
      item.check("the refusal is in the audit log as denied / RATE_LIMITED", audit.some((x) => x.type === "denied" && x.code === "RATE_LIMITED"), { denied: audit.filter((x) => x.type === "denied") });
      item.record({ accepted: 3, refused: 1 });
    } finally {
      api.dispose();
    }
  },
};

const auditChain = {
  name: "audit_chain",
  description: "Every request, result, failure and cancellation is appended to a hash-chained audit log. The chain verifies; an edited entry, a removed entry and an edited entry whose hash was recomputed are each detected at the right sequence number. Entries hold no request contents.",
  configuration: { audit: { maxEntries: 1000 } },
  conclusion: "The audit log is tamper-evident.",
  async run(ctx, item) {
    if (!requireTrust(ctx, item)) return;
    const { verifyAuditChain } = ctx.node;
    const { auditEntryHash } = ctx.testing;
    const api = makeApi(ctx, { audit: { maxEntries: 1000 } });
    try {
      await api.requestProof(list(2, 90), "exact", { now: NOW, userId: "0x00000000000000000000000000000000000000c3" });
      await rejectionOf(api.requestProof([{ ...attestation(0, 91), weight: -1 }], "exact", { now: NOW }));
      const cancelled = api.requestProof(list(2, 92), "exact", { now: NOW });
      api.cancelProof(cancelled.requestId);
      await rejectionOf(cancelled);
      await api.requestProof(list(3, 93), "threshold", { now: NOW });
      const entries = api.getAuditLog();
      const types = entries.map((x) => x.type);
      item.check("the log holds requests, results, a refusal and a cancellation", ["request", "result", "cancelled"].every((t) => types.includes(t)) && entries.length >= 6, { types });
      item.check("verifyAuditLog(): the chain is intact", api.verifyAuditLog().ok === true);
      item.check("verifyAuditChain(copy) agrees", verifyAuditChain(entries).ok === true);
      const k = 2;
      const edited = entries.map((x, i) => (i === k ? { ...x, userId: "0xattacker" } : x));
      const ve = verifyAuditChain(edited);
      item.check(`an edited entry is detected (seq ${entries[k].seq}, edited)`, ve.ok === false && ve.seq === entries[k].seq && ve.reason === "edited", { verification: ve });
      const removed = entries.filter((_, i) => i !== k);
      const vg = verifyAuditChain(removed);
      item.check("a removed entry is detected (gap)", vg.ok === false && vg.reason === "gap" && vg.seq === entries[k + 1].seq, { verification: vg });
      const forged = entries.map((x, i) => {
        if (i !== k) return x;
        const { hash: _h, ...rest } = { ...x, code: "RATE_LIMITED" };
        return { ...rest, hash: auditEntryHash(rest) };
      });
      const vb = verifyAuditChain(forged);
      item.check("an edited entry with a recomputed hash breaks the next link", vb.ok === false && vb.reason === "broken-link" && vb.seq === entries[k + 1].seq, { verification: vb });
      const text = JSON.stringify(entries);
      item.check("entries contain no attestation contents", !text.includes("0x5eed") && !text.includes("0.6172"));
      item.record({ entries: entries.length, types });
    } finally {
      api.dispose();
    }
  },
};

/** Private values of the telemetry requests: none may appear in anything sent to Sentry. */
function privateNeedles(attestations) {
  const out = new Set();
  for (const a of attestations) {
    out.add(a.source);
    out.add(String(a.weight));
    out.add(String(a.created_at));
    for (const v of Object.values(a.opinion)) if (![0.5, 0.4, 0.2].includes(v)) out.add(String(v));
    out.add(String(Math.round(a.opinion.belief * 1e6)));
  }
  // Short strings ("1.1") would match unrelated text (versions, timings): only distinctive ones.
  return [...out].filter((n) => n.length >= 5);
}

const telemetryScrubbing = {
  name: "telemetry_scrubbing",
  description: "A real @sentry/browser client (capturing transport, nothing leaves the machine) receives stage breadcrumbs and typed errors (a validation failure naming index and field; a worker crash). No private input (sources, weights, opinions, times, fixed-point encodings) appears in any payload sent.",
  configuration: { sentry: "@sentry/browser BrowserClient + Scope, capturing transport, beforeSend: scrubSentryEvent", failures: ["VALIDATION_ERROR", "WORKER_CRASHED"] },
  conclusion: "Telemetry reports codes and stages, never private inputs.",
  async run(ctx, item) {
    if (!requireTrust(ctx, item)) return;
    const Sentry = await import("@sentry/browser");
    const bodies = [];
    const client = new Sentry.BrowserClient({
      dsn: "https://public@o0.ingest.sentry.io/1",
      transport: (o) => Sentry.createTransport(o, async (req) => (bodies.push(typeof req.body === "string" ? req.body : new TextDecoder().decode(req.body)), { statusCode: 200 })),
      stackParser: Sentry.defaultStackParser,
      integrations: [],
      sendClientReports: false,
      beforeSend: ctx.node.scrubSentryEvent,
    });
    const scope = new Sentry.Scope();
    scope.setClient(client);
    client.init();
    const telemetry = ctx.node.createSentryTelemetry(scope);
    const factory = faultFactory(ctx, { kind: "crash", nth: 2, seed: 99 });
    const api = makeApi(ctx, { telemetry, workerFactory: factory, retry: { attempts: 1 } });
    const used = [];
    try {
      const good = list(3, 100);
      used.push(...good);
      await api.requestProof(good, "exact", { now: NOW });
      const bad = [attestation(0, 101), { ...attestation(1, 101), opinion: { belief: 0.7071, disbelief: 0.3141, uncertainty: 0.2718, base_rate: 0.5 } }];
      used.push(...bad);
      const ve = await rejectionOf(api.requestProof(bad, "exact", { now: NOW }));
      const crashInput = list(3, 102);
      used.push(...crashInput);
      const ce = await rejectionOf(api.requestProof(crashInput, "exact", { now: NOW }));
      await client.flush(5000);
      const payload = bodies.join("\n");
      item.check("the failures were typed (VALIDATION_ERROR naming index 1, WORKER_CRASHED)", ve?.code === "VALIDATION_ERROR" && ve.details.index === 1 && ce?.code === "WORKER_CRASHED", { validation: errorFacts(ve), details: ve?.details, crash: errorFacts(ce) });
      const events = bodies.filter((b) => b.includes('"type":"event"'));
      item.check("Sentry received the typed errors with their codes as tags", events.length >= 2 && payload.includes("VALIDATION_ERROR") && payload.includes("WORKER_CRASHED"), { envelopes: bodies.length, events: events.length });
      item.check("stage breadcrumbs (category proofline) were attached", payload.includes('"category":"proofline"'));
      const needles = privateNeedles(used);
      const leaked = needles.filter((n) => payload.includes(n));
      item.check(`no private value (${needles.length} distinct) appears in ${payload.length} bytes sent to Sentry`, leaked.length === 0 && needles.length > 10, { leaked });
      item.record({ envelopes: bodies.length, bytesSent: payload.length, privateValuesSearched: needles.length });
    } finally {
      api.dispose();
      await client.close(1000);
    }
  },
};

export const TRUST_ITEMS = [proofCacheDedup, rateLimiting, auditChain, telemetryScrubbing];
