/**
 * The lifecycle → trust sinks wiring through the facade: audit entries (request, result,
 * cache_hit, denied, failure, cancelled) whose chain verifies, metrics populated and used for
 * ETAs, and Sentry through the facade with a REAL @sentry/browser client and a capturing
 * transport: no private value of the request reaches any payload.
 */
import { BrowserClient, createTransport, defaultStackParser, extraErrorDataIntegration, linkedErrorsIntegration, Scope } from "@sentry/browser";
import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import { ProofError, WitnessConstraintError } from "../../../src/lib/proof/core/errors.js";
import type { ProgressEvent } from "../../../src/lib/proof/request/request-types.js";
import { createProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import type { ProofAPIOptions } from "../../../src/lib/proof/client/options.js";
import { createSentryTelemetry, scrubSentryEvent } from "../../../src/lib/proof/observability/sentry-integration.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestation, attestations, settle } from "../client/fakes.js";
import { rejection } from "../../support/rejection.js";

function setup(extra: Partial<ProofAPIOptions> = {}) {
  const prover = new FakeProver();
  const clock = new AutoClock();
  let n = 0;
  const api = createProofAPI({ prover, circuits: CIRCUITS, clock, random: () => 0.5, concurrency: 1, generateId: () => `r${++n}`, retry: { attempts: 1 }, ...extra });
  return { api, prover, clock };
}


// Private values of the request: attestation parties and opinion numbers.
const SOURCE = "0x5ec7e7000000000000000000000000000000a1";
const TARGET = "0x7a26e7000000000000000000000000000000b2";
const PRIVATE_OPINION = { belief: 0.123457, disbelief: 0.654321, uncertainty: 0.222222, base_rate: 0.5 };
const privateAttestations = () => [attestation(0, { source: SOURCE, target: TARGET, opinion: PRIVATE_OPINION }), attestation(1, { target: TARGET })];
const NEEDLES = [SOURCE, TARGET, "5ec7e7", "7a26e7", "0.123457", "123457", "654321", "0.222222"];

describe("audit log fed from lifecycle events", () => {
  it("records request, result, cache_hit, denied, failure and cancelled; the chain verifies; no private inputs", async () => {
    const { api, prover } = setup({ blockList: ["0xbad"] });
    await api.requestProof(privateAttestations(), "exact", { now: NOW, userId: "0xa" });
    await api.requestProof(privateAttestations(), "exact", { now: NOW, userId: "0xa" });
    await rejection(api.requestProof(attestations(2), "exact", { now: NOW, userId: "0xbad" }));
    prover.outcomes["ebsl-16"] = [new WitnessConstraintError()];
    await rejection(api.requestProof(attestations(3), "exact", { now: NOW }));
    prover.outcomes["ebsl-16"] = ["hold"];
    const cancelled = api.requestProof(attestations(4), "exact", { now: NOW });
    await settle();
    api.cancelProof(cancelled.requestId);
    await rejection(cancelled);

    const log = api.getAuditLog();
    expect(log.map((e) => [e.type, e.requestId, e.code ?? null])).toEqual([
      ["request", "r1", null],
      ["result", "r1", null],
      ["request", "r2", null],
      ["cache_hit", "r2", null],
      ["denied", "r3", "ACCESS_DENIED"],
      ["request", "r4", null],
      ["failure", "r4", "WITNESS_CONSTRAINT_FAILED"],
      ["request", "r5", null],
      ["cancelled", "r5", "CANCELLED"],
    ]);
    expect(log[0]).toMatchObject({ userId: "0xa", circuitId: "ebsl-16", seq: 1 });
    expect(api.verifyAuditLog()).toEqual({ ok: true });
    const text = JSON.stringify(log);
    for (const needle of NEEDLES) expect(text).not.toContain(needle);
    // getAuditLog returns copies: editing one does not touch the log.
    (log[0] as { userId?: string }).userId = "0xevil";
    expect(api.getAuditLog()[0]!.userId).toBe("0xa");
    expect(get(api.stores.audit)).toHaveLength(9);
  });

  it("bounded by audit.maxEntries; the kept chain still verifies", async () => {
    const { api } = setup({ audit: { maxEntries: 3 } });
    for (let i = 2; i < 5; i++) await api.requestProof(attestations(i), "exact", { now: NOW });
    const log = api.getAuditLog();
    expect(log.map((e) => e.seq)).toEqual([4, 5, 6]);
    expect(api.verifyAuditLog()).toEqual({ ok: true });
  });
});

describe("metrics fed from lifecycle events", () => {
  it("counts, failures by code, stage durations, Prometheus text, store, and ETAs from predict()", async () => {
    const { api, prover } = setup({ metrics: { memoryProbe: () => ({ usedBytes: 123, source: "custom" }) } });
    const seen: unknown[] = [];
    const unsubscribe = api.stores.metrics.subscribe((s) => seen.push(s));
    await api.requestProof(attestations(2), "exact", { now: NOW });
    await api.requestProof(attestations(2), "exact", { now: NOW }); // cache hit: a success without samples
    prover.outcomes["ebsl-16"] = [new WitnessConstraintError()];
    await rejection(api.requestProof(attestations(3), "exact", { now: NOW }));
    const progress: ProgressEvent[] = [];
    await api.requestProof(attestations(4), "exact", { now: NOW, onProgress: (e) => progress.push(e) });

    const snap = api.getMetricsSnapshot();
    expect(snap.overall).toMatchObject({ total: 4, successes: 3, failures: 1, failuresByCode: { WITNESS_CONSTRAINT_FAILED: 1 } });
    const d = snap.circuits["ebsl-16"]!.durations;
    // FakeProver timings: artifacts 1, witness 2, prove 3, verify 4, total 10 (two proved jobs).
    expect(d.prove).toMatchObject({ count: 2, sumMs: 6 });
    expect(d.witness!.window.p50).toBe(2);
    expect(d.download!.window.p50).toBe(1);
    expect(d.verify!.window.p50).toBe(4);
    expect(d.total!.window.p50).toBe(10);
    expect(d.queueWait!.count).toBe(2);
    expect(snap.memory).toEqual({ usedBytes: 123, source: "custom" });
    // The second proved job got an ETA from the first one's history.
    expect(progress.some((e) => e.estimatedRemainingMs !== undefined && e.estimatedRemainingMs <= 10)).toBe(true);
    expect(api.metricsPrometheus()).toContain('proofline_failures_total{circuit="ebsl-16",code="WITNESS_CONSTRAINT_FAILED"} 1');
    expect(seen.length).toBeGreaterThanOrEqual(5); // initial + one per finished request
    unsubscribe();
  });
});

describe("Sentry through the facade (real BrowserClient, capturing transport)", () => {
  it("stage breadcrumbs and a typed error with code, circuit and attempt; no private value in any payload", async () => {
    const payloads: string[] = [];
    const decoder = new TextDecoder();
    const client = new BrowserClient({
      dsn: "https://public@example.invalid/1",
      integrations: [linkedErrorsIntegration(), extraErrorDataIntegration()],
      stackParser: defaultStackParser,
      beforeSend: scrubSentryEvent,
      transport: (options) =>
        createTransport(options, async (request) => {
          payloads.push(typeof request.body === "string" ? request.body : decoder.decode(request.body));
          return { statusCode: 200 };
        }),
    });
    const scope = new Scope();
    scope.setClient(client);
    client.init();
    const { api, prover } = setup({ telemetry: createSentryTelemetry(scope) });

    await api.requestProof(privateAttestations(), "exact", { now: NOW });
    // A failure whose cause and details quote the private attestation.
    const cause = new Error(`witness failed for ${JSON.stringify(privateAttestations()[0])}`);
    prover.outcomes["ebsl-16"] = [new WitnessConstraintError("The circuit rejected the input.", { cause, details: { source: SOURCE, belief: PRIVATE_OPINION.belief } })];
    await rejection(api.requestProof(privateAttestations().concat(attestation(5, { target: TARGET })), "threshold", { now: NOW }));
    expect(await client.flush(2000)).toBe(true);

    const all = payloads.join("\n");
    for (const needle of NEEDLES) expect(all).not.toContain(needle);
    const events = payloads.flatMap((p) => p.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l))).filter((i) => i?.exception);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event.tags).toMatchObject({ code: "WITNESS_CONSTRAINT_FAILED", circuit: "ebsl-16", attempt: "1" });
    expect(event.contexts.proofline).toMatchObject({ code: "WITNESS_CONSTRAINT_FAILED", requestId: "r2" });
    const crumbs = (event.breadcrumbs as Array<{ category: string; data: { stage: string; requestId: string } }>).filter((b) => b.category === "proofline");
    expect(crumbs.filter((b) => b.data.requestId === "r1").map((b) => b.data.stage)).toEqual(["queued", "selecting", "artifacts", "witness", "proving", "verifying", "done"]);
    expect(crumbs.filter((b) => b.data.requestId === "r2").map((b) => b.data.stage).at(-1)).toBe("failed");
  });
});
