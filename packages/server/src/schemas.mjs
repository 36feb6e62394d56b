/**
 * Request schemas (validated by Fastify's Ajv before a handler runs) and the OpenAPI 3.1
 * document built from the same objects, so the document cannot drift from what is enforced.
 */
const decimal = { type: "string", pattern: "^(0|[1-9][0-9]{0,77})$" };
const g1 = { type: "array", minItems: 2, maxItems: 3, items: decimal };
const g2 = { type: "array", minItems: 2, maxItems: 3, items: { type: "array", minItems: 2, maxItems: 2, items: decimal } };

export const schemas = {
  Groth16Proof: {
    type: "object",
    required: ["pi_a", "pi_b", "pi_c"],
    properties: { pi_a: g1, pi_b: g2, pi_c: g1, protocol: { type: "string", const: "groth16" }, curve: { type: "string", const: "bn128" } },
    additionalProperties: false,
  },
  Statement: {
    type: "object",
    description: "EBSL statement checks (ebsl circuits only): subject id, now within maxAgeMs of the server clock, proven threshold at least this (10^6 scale) with meets = 1, reveal, registry root among the trusted roots.",
    properties: {
      subject: { type: "string", minLength: 1, maxLength: 256 },
      maxAgeMs: { type: "integer", minimum: 0, maximum: 2147483647 },
      threshold: { type: "integer", minimum: 0, maximum: 1000000 },
      reveal: { type: "boolean" },
      roots: { type: "array", minItems: 1, maxItems: 64, items: decimal },
    },
    additionalProperties: false,
  },
  VerifyRequest: {
    type: "object",
    required: ["circuitId", "proof", "publicSignals"],
    properties: {
      circuitId: { type: "string", minLength: 1, maxLength: 256 },
      proof: { $ref: "Groth16Proof#" },
      publicSignals: { type: "array", maxItems: 256, items: decimal },
      statement: { $ref: "Statement#" },
    },
    additionalProperties: false,
  },
  VerifyBatchRequest: {
    type: "object",
    required: ["items"],
    properties: { items: { type: "array", minItems: 1, maxItems: 256, items: { $ref: "VerifyRequest#" } } },
    additionalProperties: false,
  },
  Attestation: {
    type: "object",
    description: "Checked in full by the library (field by field, duplicates, expiry) before anything is queued.",
  },
  ProofRequest: {
    type: "object",
    required: ["attestations", "proofType"],
    properties: {
      attestations: { type: "array", maxItems: 1024, items: { $ref: "Attestation#" } },
      proofType: { type: "string", enum: ["exact", "threshold"] },
      subject: { type: "string", minLength: 1, maxLength: 256 },
      now: { type: "integer" },
      threshold: { type: "integer", minimum: 0, maximum: 1000000 },
      priority: { type: "integer", minimum: 0, maximum: 3 },
      allowFallback: { type: "boolean" },
      registry: { $ref: "RegistryMembership#" },
    },
    additionalProperties: false,
  },
  RegistryMembership: {
    type: "object",
    description: "registry.membership(subject) of proofline/ebsl: the proof is over the subject's whole entry against this registry root (checked in full by the library).",
    required: ["root", "entryIndex", "siblings", "leaves"],
    properties: {
      root: decimal,
      entryIndex: { type: "integer", minimum: 0, maximum: 1048575 },
      siblings: { type: "array", minItems: 10, maxItems: 10, items: { type: "array", minItems: 3, maxItems: 3, items: decimal } },
      leaves: { type: "array", maxItems: 256, items: decimal },
    },
    additionalProperties: false,
  },
  Problem: {
    type: "object",
    description: "RFC 9457 problem document; `code` is the library's error code.",
    properties: { type: { type: "string" }, title: { type: "string" }, status: { type: "integer" }, code: { type: "string" }, detail: { type: "string" }, details: { type: "object" } },
  },
};

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema) => ({ content: { "application/json": { schema } } });
const problems = { default: { description: "An error", content: { "application/problem+json": { schema: ref("Problem") } } } };

/** The OpenAPI document of the service. */
export function openApiDocument(version) {
  const components = { schemas: {}, securitySchemes: { apiKey: { type: "http", scheme: "bearer" } } };
  for (const [name, schema] of Object.entries(schemas)) {
    components.schemas[name] = JSON.parse(JSON.stringify(schema).replace(/"([A-Za-z0-9]+)#"/g, '"#/components/schemas/$1"'));
  }
  const verifyResult = { type: "object", properties: { valid: { type: "boolean" }, proofValid: { type: "boolean" }, circuitId: { type: "string" }, failedChecks: { type: "array", items: { type: "string" } } } };
  return {
    openapi: "3.1.0",
    info: { title: "proofline service", version },
    security: [{ apiKey: [] }],
    components,
    paths: {
      "/v1/verify": { post: { summary: "Verify one proof against the pinned vkey of its circuit, optionally its EBSL statement", requestBody: json(ref("VerifyRequest")), responses: { 200: { description: "Verdict", ...json(verifyResult) }, ...problems } } },
      "/v1/verify/batch": { post: { summary: "Verify many proofs with one randomised multi-pairing (bad ones named one by one)", requestBody: json(ref("VerifyBatchRequest")), responses: { 200: { description: "Verdict per item, in order", ...json({ type: "object", properties: { method: { type: "string", enum: ["batch", "fallback"] }, results: { type: "array", items: verifyResult } } }) }, ...problems } } },
      "/v1/proofs": { post: { summary: "Prove remotely (the attestations are sent to this server)", requestBody: json(ref("ProofRequest")), responses: { 202: { description: "Accepted: id and URLs" }, ...problems } } },
      "/v1/proofs/{id}": {
        get: { summary: "Status, progress and result", responses: { 200: { description: "Job" }, ...problems } },
        delete: { summary: "Cancel", responses: { 200: { description: "Cancelled or already finished" }, ...problems } },
      },
      "/v1/proofs/{id}/events": { get: { summary: "Live progress: WebSocket upgrade, or text/event-stream", responses: { 200: { description: "Event stream" }, 101: { description: "WebSocket" } } } },
      "/healthz": { get: { security: [], summary: "Process alive", responses: { 200: { description: "ok" } } } },
      "/readyz": { get: { security: [], summary: "Pinned vkeys readable, queue accepting", responses: { 200: { description: "ready" }, 503: { description: "not ready" } } } },
      "/metrics": { get: { security: [], summary: "Prometheus text", responses: { 200: { description: "metrics" } } } },
    },
  };
}
