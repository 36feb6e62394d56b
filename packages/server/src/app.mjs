/**
 * The proofline service on Fastify: verification against pinned vkeys (one, or a batch in one
 * multi-pairing), remote proving with live status (WebSocket and SSE), health, readiness,
 * Prometheus metrics and an OpenAPI document. Request bodies are never logged (the logger, when
 * enabled, records method, route, status and time only).
 */
import Fastify from "fastify";
import websocket from "@fastify/websocket";
import { apiKeyAuthenticator } from "./auth.mjs";
import { verifyBatch, verifyOne } from "./batch-verify.mjs";
import { createServiceMetrics } from "./metrics.mjs";
import { createPinnedVkeys } from "./pinned-vkeys.mjs";
import { problem, sendProblem, toProblem } from "./problem.mjs";
import { loadProofline } from "./proofline.mjs";
import { openApiDocument, schemas } from "./schemas.mjs";
import { checkEbslStatement } from "./statement.mjs";
import { boundedSink, followJob } from "./live.mjs";

const PUBLIC_ROUTES = new Set(["/healthz", "/readyz", "/metrics", "/openapi.json"]);

/**
 * @param {object} options
 * @param {{ submit: Function, get: Function, cancel: Function, depth: () => number, ready: () => boolean, close: () => Promise<void> }} options.jobs a job backend (memory or Redis)
 * @param {Record<string,string>|string[]} [options.apiKeys] keys → principals; without keys or `authenticate`, the service is open
 * @param {(request) => string|undefined|Promise<string|undefined>} [options.authenticate]
 * @param {object} [options.manifest] circuits manifest (the bundled one by default)
 * @param {string} [options.circuitsDir] where its vkeys are (the installed @proofline/circuits by default)
 * @param {number} [options.bodyLimit] bytes (512 KiB)
 * @param {number} [options.maxInFlight] per live client, messages written and not yet flushed (8)
 * @param {() => number} [options.wallNow]
 * @param {boolean|object} [options.logger]
 * @param {string[]} [options.corsOrigins] page origins allowed to call the service from a browser
 */
export async function buildServer(options) {
  const lib = await loadProofline();
  const jobs = options.jobs;
  const vkeys = await createPinnedVkeys({ manifest: options.manifest, circuitsDir: options.circuitsDir });
  const wallNow = options.wallNow ?? Date.now;
  const authenticate = options.authenticate ?? (options.apiKeys ? apiKeyAuthenticator(options.apiKeys) : undefined);
  const metrics = createServiceMetrics({ queueDepth: async () => (jobs.refreshDepth ? await jobs.refreshDepth() : jobs.depth()) });
  jobs.onFinished = (code) => metrics.proofs.inc({ code });
  const version = (await import("../package.json", { with: { type: "json" } })).default.version;

  const app = Fastify({
    bodyLimit: options.bodyLimit ?? 512 * 1024,
    logger: options.logger ?? false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
  });
  for (const [name, schema] of Object.entries(schemas)) app.addSchema({ $id: name, ...schema });
  await app.register(websocket, { options: { maxPayload: 4096 } });

  app.setErrorHandler((error, _request, reply) => sendProblem(reply, toProblem(error)));
  app.setNotFoundHandler((_request, reply) => sendProblem(reply, problem("NOT_FOUND", "No such route.")));

  const corsOrigins = new Set(options.corsOrigins ?? []);
  app.addHook("onRequest", async (request, reply) => {
    request.startedAt = process.hrtime.bigint();
    const origin = request.headers.origin;
    if (typeof origin === "string" && corsOrigins.has(origin)) {
      reply.header("access-control-allow-origin", origin).header("vary", "Origin").header("access-control-expose-headers", "location");
      if (request.method === "OPTIONS") {
        return reply
          .code(204)
          .header("access-control-allow-methods", "GET, POST, DELETE")
          .header("access-control-allow-headers", "authorization, content-type")
          .header("access-control-max-age", "600")
          .send();
      }
    }
    if (!authenticate || PUBLIC_ROUTES.has(request.routeOptions.url)) return;
    const principal = await authenticate(request);
    if (principal === undefined) return sendProblem(reply.header("www-authenticate", "Bearer"), problem("UNAUTHENTICATED", "A valid API key is required."));
    request.principal = principal;
  });
  app.addHook("onResponse", async (request, reply) => {
    const seconds = Number(process.hrtime.bigint() - request.startedAt) / 1e9;
    metrics.httpDuration.observe({ route: request.routeOptions.url ?? "unmatched", method: request.method, status: String(reply.statusCode) }, seconds);
  });

  const verifyItem = async (item, method) => {
    const entry = vkeys.entry(item.circuitId);
    const vkey = await vkeys.get(item.circuitId);
    return { entry, vkey, method };
  };
  const verdict = async (item, proofValid, entry) => {
    let failedChecks = [];
    if (item.statement && Object.keys(item.statement).length > 0) {
      if (entry.family !== "ebsl") throw new lib.ValidationError("statement: only EBSL circuits have statement checks", { details: { field: "statement" } });
      failedChecks = proofValid ? await checkEbslStatement(item.publicSignals, item.statement, wallNow()) : [];
    }
    const valid = proofValid && failedChecks.length === 0;
    return { circuitId: item.circuitId, valid, proofValid, ...(failedChecks.length ? { failedChecks } : {}) };
  };

  app.post("/v1/verify", { schema: { body: { $ref: "VerifyRequest#" } } }, async (request) => {
    const item = request.body;
    const { entry, vkey } = await verifyItem(item);
    const proofValid = await verifyOne(vkey, item.publicSignals, item.proof);
    const out = await verdict(item, proofValid, entry);
    metrics.verifications.inc({ verdict: out.valid ? "valid" : "invalid", method: "single" });
    return out;
  });

  app.post("/v1/verify/batch", { schema: { body: { $ref: "VerifyBatchRequest#" } } }, async (request) => {
    const items = request.body.items;
    const prepared = [];
    for (const item of items) {
      const { entry, vkey } = await verifyItem(item);
      prepared.push({ item, entry, vkey });
    }
    const { valid, method } = await verifyBatch(prepared.map(({ item, vkey }) => ({ vkey, proof: item.proof, publicSignals: item.publicSignals })));
    const results = [];
    for (let i = 0; i < prepared.length; i++) results.push(await verdict(prepared[i].item, valid[i], prepared[i].entry));
    for (const r of results) metrics.verifications.inc({ verdict: r.valid ? "valid" : "invalid", method });
    return { method, results };
  });

  const urls = (id) => ({ self: `/v1/proofs/${id}`, events: `/v1/proofs/${id}/events` });
  const ownJob = async (request) => {
    const job = await jobs.get(request.params.id);
    // Another principal's job is answered as unknown: ids are not a way to probe for others' work.
    return job && (job.owner === undefined || job.owner === request.principal) ? job : undefined;
  };
  const notFound = (reply) => sendProblem(reply, problem("NOT_FOUND", "No such proof job."));

  app.post("/v1/proofs", { schema: { body: { $ref: "ProofRequest#" } } }, async (request, reply) => {
    const job = await jobs.submit(request.body, request.principal);
    return reply.code(202).header("location", urls(job.id).self).send({ id: job.id, status: job.status, urls: urls(job.id) });
  });
  const idParams = { type: "object", properties: { id: { type: "string", minLength: 1, maxLength: 64 } }, required: ["id"] };
  app.get("/v1/proofs/:id", { schema: { params: idParams } }, async (request, reply) => {
    const job = await ownJob(request);
    return job ? job.snapshot() : notFound(reply);
  });
  app.delete("/v1/proofs/:id", { schema: { params: idParams } }, async (request, reply) => {
    const job = await ownJob(request);
    if (!job) return notFound(reply);
    const cancelled = await jobs.cancel(job.id);
    return { id: job.id, cancelled };
  });

  const maxInFlight = options.maxInFlight ?? 8;
  app.route({
    method: "GET",
    url: "/v1/proofs/:id/events",
    schema: { params: idParams },
    handler: async (request, reply) => {
      const job = await ownJob(request);
      if (!job) return notFound(reply);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
      const sink = boundedSink({
        maxInFlight,
        write: (data, done) => void res.write(`data: ${data}\n\n`, done),
        end: () => res.end(),
      });
      const stop = followJob(job, sink, (listener) => jobs.listen(job.id, listener));
      res.on("close", stop);
    },
    wsHandler: async (socket, request) => {
      const job = await ownJob(request);
      if (!job) return void socket.close(4404, "No such proof job.");
      // The client may have gone while the record was read.
      if (socket.readyState !== socket.OPEN) return;
      const sink = boundedSink({
        maxInFlight,
        write: (data, done) => socket.send(data, () => done()),
        end: () => socket.close(1000, "done"),
      });
      const stop = followJob(job, sink, (listener) => jobs.listen(job.id, listener));
      socket.on("close", stop);
      socket.on("error", stop);
    },
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    try {
      // Circuits a manifest lists without shipping their artifacts (committed: false) are not required.
      await Promise.all(vkeys.ids().filter((id) => vkeys.entry(id).committed !== false).map((id) => vkeys.get(id)));
      if (!jobs.ready()) throw new Error("queue not ready");
      return { status: "ready" };
    } catch {
      return reply.code(503).send({ status: "not ready" });
    }
  });
  app.get("/metrics", async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  const document = openApiDocument(version);
  app.get("/openapi.json", async () => document);

  app.addHook("onClose", async () => {
    await jobs.close();
  });
  return Object.assign(app, { serviceMetrics: metrics });
}
