/**
 * The service (@proofline/server) over real HTTP and WebSocket on 127.0.0.1, in-memory queue,
 * REAL proofs from the built worker (run `npm run build` first): remote proving with live
 * progress, cancellation, verification (one, and batches in one multi-pairing, naming the bad
 * ones), EBSL statement checks, authentication, problem documents, health and metrics.
 */
import WebSocket from "ws";
import { followJob } from "./support/job-events.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService } from "../../packages/server/src/index.mjs";
import { attestationList } from "./support/attestations.js";
import { createNodeProofAPI, type ProgressEvent, type ProofAPI } from "../../src/node.js";
import { createRegistry } from "../../src/lib/proof/ebsl/registry.js";
import { rejection } from "../support/rejection.js";

const WORKER = new URL("../../dist/prover.node-worker.js", import.meta.url);

const NOW = Date.now();
let app: FastifyInstance;
let base: string;
const KEY = { authorization: "Bearer key-alice", "content-type": "application/json" };
const BOB = { authorization: "Bearer key-bob", "content-type": "application/json" };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = KEY) {
  const sent = body === undefined ? Object.fromEntries(Object.entries(headers).filter(([name]) => name !== "content-type")) : headers;
  const res = await fetch(base + path, { method, headers: sent, ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: text ? JSON.parse(text) : undefined };
}

/** Follow a job over WebSocket until it ends: every event, in order. */
const follow = (id: string, onEvent?: (e: Record<string, unknown>) => void) => followJob(base, id, KEY.authorization, onEvent);

beforeAll(async () => {
  app = await createService({ apiKeys: { "key-alice": "alice", "key-bob": "bob" }, poolSize: 1, bodyLimit: 64 * 1024 });
  base = await app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await app?.close();
});

describe("remote proving and verification", () => {
  let result: { circuitId: string; proof: object; publicSignals: string[] };

  it("POST /v1/proofs answers 202 with URLs; the socket streams monotonic progress to a completed, verifiable proof", async () => {
    const accepted = await call("POST", "/v1/proofs", { attestations: attestationList(4, NOW), proofType: "exact", now: NOW });
    expect(accepted.status).toBe(202);
    const { id, urls } = accepted.body;
    expect(urls).toEqual({ self: `/v1/proofs/${id}`, events: `/v1/proofs/${id}/events` });
    const events = await follow(id);
    const progress = events.map((e) => e.progress as number);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.some((e) => e.stage === "proving")).toBe(true);
    const last = events.at(-1)!;
    expect(last.type).toBe("completed");
    const job = await call("GET", `/v1/proofs/${id}`);
    expect(job.body.status).toBe("COMPLETED");
    const { circuitId, proof, publicSignals } = job.body.result;
    result = { circuitId, proof, publicSignals };
    expect(result.circuitId).toBe("ebsl-16");
    expect(job.body.result.fusedOpinion).toBeUndefined();
    // Another principal cannot see it.
    expect((await call("GET", `/v1/proofs/${id}`, undefined, BOB)).status).toBe(404);
    const verdict = await call("POST", "/v1/verify", { circuitId: result.circuitId, proof: result.proof, publicSignals: result.publicSignals, statement: { subject: "0xabc", reveal: true, maxAgeMs: 3_600_000 } });
    expect(verdict.body).toEqual({ circuitId: "ebsl-16", valid: true, proofValid: true });
  });

  it("statement checks name what differs; an edited public signal does not verify", async () => {
    const wrong = await call("POST", "/v1/verify", { ...result, statement: { subject: "0xabd", reveal: false, threshold: 900_000, roots: ["12345"] } });
    expect(wrong.body).toEqual({ circuitId: "ebsl-16", valid: false, proofValid: true, failedChecks: ["subject", "threshold", "reveal", "root"] });
    // The proof's own registry root (a private one here) passes the root check when trusted.
    const trusted = await call("POST", "/v1/verify", { ...result, statement: { roots: ["1", result.publicSignals[7]!] } });
    expect(trusted.body).toEqual({ circuitId: "ebsl-16", valid: true, proofValid: true });
    const edited = result.publicSignals.map((s, i) => (i === 1 ? String(BigInt(s) + 1n) : s));
    expect((await call("POST", "/v1/verify", { ...result, publicSignals: edited })).body.valid).toBe(false);
  });

  it("a batch is one multi-pairing when all are valid; with bad ones it names them", async () => {
    const items = Array.from({ length: 8 }, () => result);
    const good = await call("POST", "/v1/verify/batch", { items });
    expect(good.body.method).toBe("batch");
    expect(good.body.results.every((r: { valid: boolean }) => r.valid)).toBe(true);
    const bad = items.map((item, i) => (i === 2 || i === 6 ? { ...item, publicSignals: item.publicSignals.map((s, j) => (j === 0 ? "7" : s)) } : item));
    const named = await call("POST", "/v1/verify/batch", { items: bad });
    expect(named.body.method).toBe("fallback");
    expect(named.body.results.map((r: { valid: boolean }) => r.valid)).toEqual([true, true, false, true, true, true, false, true]);
  });

  it("DELETE cancels a running job: the socket ends with cancelled, GET says CANCELLED", async () => {
    const { body } = await call("POST", "/v1/proofs", { attestations: attestationList(20, NOW), proofType: "threshold", now: NOW });
    const events = await follow(body.id, (e) => {
      if (e.type === "progress" && e.stage !== "queued") void call("DELETE", `/v1/proofs/${body.id}`);
    });
    expect(events.at(-1)).toMatchObject({ type: "cancelled", error: { code: "CANCELLED" } });
    expect((await call("GET", `/v1/proofs/${body.id}`)).body.status).toBe("CANCELLED");
  });

  it("SSE carries the same events for clients without WebSocket", async () => {
    const { body } = await call("POST", "/v1/proofs", { attestations: attestationList(4, NOW), proofType: "exact", now: NOW });
    const res = await fetch(`${base}/v1/proofs/${body.id}/events`, { headers: { authorization: KEY.authorization, accept: "text/event-stream" } });
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const events = (await res.text()).split("\n\n").filter(Boolean).map((chunk) => JSON.parse(chunk.replace(/^data: /, "")));
    expect(events.at(-1).type).toBe("completed");
    // The same proof statement as before: the library's proof cache answered it.
    expect(events.at(-1).result.publicSignals).toEqual(result.publicSignals);
  });
});

describe("refusals are typed problem documents", () => {
  it("no key → 401 UNAUTHENTICATED; bad input → 400 with the library's field; unknown circuit → 404; too large → 413", async () => {
    const none = await call("POST", "/v1/verify", {}, { "content-type": "application/json" });
    expect(none.status).toBe(401);
    expect(none.type).toContain("application/problem+json");
    expect(none.body.code).toBe("UNAUTHENTICATED");
    const badAttestation = await call("POST", "/v1/proofs", { attestations: [{ source: "" }], proofType: "exact" });
    expect(badAttestation.status).toBe(400);
    expect(badAttestation.body).toMatchObject({ code: "VALIDATION_ERROR", details: { index: 0 } });
    const clientVkey = await call("POST", "/v1/verify", { circuitId: "ebsl-16", proof: { pi_a: [], pi_b: [], pi_c: [] }, publicSignals: [], vkey: {} });
    expect(clientVkey.body.code).toBe("VALIDATION_ERROR");
    const unknown = await call("POST", "/v1/verify", { circuitId: "nope", proof: { pi_a: ["1", "2"], pi_b: [["1", "2"], ["1", "2"]], pi_c: ["1", "2"] }, publicSignals: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe("CIRCUIT_NOT_FOUND");
    const big = await call("POST", "/v1/verify", JSON.stringify({ circuitId: "x".repeat(70_000) }));
    expect(big.status).toBe(413);
    expect(big.body.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("health, readiness, OpenAPI and Prometheus metrics answer without a key; no input reaches metrics", async () => {
    expect((await call("GET", "/healthz", undefined, {})).body).toEqual({ status: "ok" });
    expect((await call("GET", "/readyz", undefined, {})).body).toEqual({ status: "ready" });
    const doc = await call("GET", "/openapi.json", undefined, {});
    expect(doc.body.openapi).toBe("3.1.0");
    expect(Object.keys(doc.body.paths)).toContain("/v1/verify/batch");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/proofline_http_request_duration_seconds_bucket\{le="[^"]+",route="\/v1\/verify"/);
    expect(metrics).toMatch(/proofline_proofs_total\{code="OK"\} [1-9]/);
    expect(metrics).toMatch(/proofline_proofs_total\{code="CANCELLED"\} 1/);
    expect(metrics).toContain("proofline_queue_depth 0");
    expect(metrics).not.toContain("0xabc");
    expect(metrics).not.toContain("alice");
  });
});

describe("createProofAPI({ remote }): the same requestProof contract, the server not trusted", () => {
  const apis: ProofAPI[] = [];
  const make = (remote: Record<string, unknown> | undefined) => {
    const api = createNodeProofAPI({ workerUrl: WORKER, proverOptions: { poolSize: 1 }, ...(remote ? { remote: { url: base, apiKey: "key-alice", ...remote } as never } : {}) });
    apis.push(api);
    return api;
  };
  afterAll(() => apis.forEach((api) => api.dispose()));

  it("mode remote over the socket: requestId at once, monotonic progress, a result built and verified here", async () => {
    const api = make({ WebSocket });
    const events: ProgressEvent[] = [];
    const request = api.requestProof(attestationList(5, NOW), "exact", { mode: "remote", now: NOW, onProgress: (e) => events.push(e) });
    expect(typeof request.requestId).toBe("string");
    const result = await request;
    expect(result.requestId).toBe(request.requestId);
    expect(events.every((e) => e.requestId === request.requestId)).toBe(true);
    expect(events.some((e) => e.stage === "proving")).toBe(true);
    const progress = events.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ status: "COMPLETED", progress: 100 });
    // The fused opinion never left the server: it was computed here from the caller's attestations.
    expect(result.fusedOpinion).toBeDefined();
    expect(result.score).toBe(Number(result.publicSignals[1]));
    expect(await api.verify(result)).toBe(true);
  });

  it("a registry membership travels with a remote request: the server proves against that root, a trusted-root check passes", async () => {
    const api = make({ WebSocket });
    const mine = attestationList(4, NOW);
    const registry = createRegistry([...attestationList(2, NOW).map((a) => ({ ...a, target: "0xdef" })), ...mine]);
    const result = await api.requestProof(mine, "threshold", { mode: "remote", now: NOW, threshold: 100_000, registry: registry.membership("0xabc") });
    expect(result.publicSignals[7]).toBe(registry.root.toString());
    const verdict = await call("POST", "/v1/verify", { circuitId: result.circuitId, proof: result.proof, publicSignals: result.publicSignals, statement: { subject: "0xabc", roots: [registry.root.toString()] } });
    expect(verdict.body).toEqual({ circuitId: result.circuitId, valid: true, proofValid: true });
  });

  it("cancel through the signal: CANCELLED at once, and the server job is cancelled", async () => {
    const api = make({ WebSocket });
    const cancelledOnServer = async () => Number((await (await fetch(`${base}/metrics`)).text()).match(/proofline_proofs_total\{code="CANCELLED"\} (\d+)/)?.[1] ?? 0);
    const before = await cancelledOnServer();
    const controller = new AbortController();
    let jobSeen = false;
    const request = api.requestProof(attestationList(30, NOW), "threshold", {
      mode: "remote",
      now: NOW,
      signal: controller.signal,
      onProgress: (e) => {
        if (!jobSeen && e.stage !== "queued") {
          jobSeen = true;
          controller.abort();
        }
      },
    });
    expect((await rejection(request)).code).toBe("CANCELLED");
    // The server's own record ends CANCELLED (its DELETE was sent without waiting).
    await expect.poll(cancelledOnServer, { timeout: 30_000 }).toBe(before + 1);
  });

  it("cancelProof of a remote request: CANCELLED at once, the server job cancelled, and a second cancel is false", async () => {
    const api = make({ WebSocket });
    const cancelledOnServer = async () => Number((await (await fetch(`${base}/metrics`)).text()).match(/proofline_proofs_total\{code="CANCELLED"\} (\d+)/)?.[1] ?? 0);
    const before = await cancelledOnServer();
    let jobSeen = false;
    let cancelled: boolean | undefined;
    const request = api.requestProof(attestationList(30, NOW), "threshold", {
      mode: "remote",
      now: NOW,
      onProgress: (e) => {
        if (!jobSeen && e.stage !== "queued") {
          jobSeen = true;
          cancelled = api.cancelProof(request.requestId);
        }
      },
    });
    expect((await rejection(request)).code).toBe("CANCELLED");
    expect(cancelled).toBe(true);
    expect(api.cancelProof(request.requestId)).toBe(false);
    await expect.poll(cancelledOnServer, { timeout: 30_000 }).toBe(before + 1);
  });

  it("SSE when there is no WebSocket; a server that proves another statement is caught (PUBLIC_SIGNAL_MISMATCH)", async () => {
    const honest = make({});
    const ok = await honest.requestProof(attestationList(3, NOW), "threshold", { mode: "remote", now: NOW, threshold: 100_000 });
    expect(ok.meetsThreshold).toBe(true);
    // A man in the middle (or a dishonest server) changes one attestation: the proof is valid,
    // but not of the caller's attestations, so its commitment differs from the one computed here.
    const tampering: typeof fetch = (input, init) => {
      if (init?.method === "POST" && typeof init.body === "string") {
        const body = JSON.parse(init.body);
        body.attestations[0].weight = 3;
        return fetch(input, { ...init, body: JSON.stringify(body) });
      }
      return fetch(input, init);
    };
    const fooled = make({ fetch: tampering });
    const error = await rejection(fooled.requestProof(attestationList(3, NOW), "threshold", { mode: "remote", now: NOW, threshold: 100_000 }));
    expect(error.code).toBe("PUBLIC_SIGNAL_MISMATCH");
  });

  it("opt-in only: mode remote without the API's remote option is a ValidationError naming mode; nothing is sent", async () => {
    const error = await rejection(make(undefined).requestProof(attestationList(3, NOW), "exact", { mode: "remote" }));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "mode" } });
    const bad = await rejection(make({ WebSocket }).requestProof([{ source: "" }], "exact", { mode: "remote" }));
    expect(bad.code).toBe("VALIDATION_ERROR");
  });
});
