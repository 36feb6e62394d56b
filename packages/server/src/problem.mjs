/**
 * Errors as RFC 9457 problem documents (`application/problem+json`) carrying the library's
 * `code`. Only the code, the library's message and its details go out: they never hold private
 * inputs (the library's rule), and anything that is not a ProofError becomes SYSTEM_ERROR with a
 * generic message.
 */
const STATUS = {
  VALIDATION_ERROR: 400,
  WITNESS_INPUT_INVALID: 400,
  WITNESS_CONSTRAINT_FAILED: 422,
  CIRCUIT_CAPACITY_EXCEEDED: 422,
  PUBLIC_SIGNAL_MISMATCH: 400,
  CIRCUIT_NOT_FOUND: 404,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  ACCESS_DENIED: 403,
  RATE_LIMITED: 429,
  QUEUE_FULL: 503,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CANCELLED: 409,
  DISPOSED: 503,
};

/** A problem document for `code`. */
export function problem(code, detail, extra = {}) {
  const status = STATUS[code] ?? 500;
  return { type: `urn:proofline:error:${code}`, title: code, status, code, detail, ...extra };
}

/** Turn anything thrown into a problem document (typed library errors keep their code and details). */
export function toProblem(error) {
  if (error && typeof error === "object" && typeof error.code === "string" && error.name !== "FastifyError" && /^[A-Z_]+$/.test(error.code) && "recoverability" in error) {
    return problem(error.code, error.message, error.details ? { details: error.details } : {});
  }
  if (error?.validation) return problem("VALIDATION_ERROR", `${error.validationContext ?? "body"}${error.validation[0]?.instancePath ?? ""}: ${error.validation[0]?.message ?? "invalid"}`, { details: { field: `${error.validationContext ?? "body"}${error.validation[0]?.instancePath ?? ""}` } });
  if (error?.code === "FST_ERR_CTP_BODY_TOO_LARGE") return problem("PAYLOAD_TOO_LARGE", "The request body is larger than the limit.");
  if (error?.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return problem("UNSUPPORTED_MEDIA_TYPE", "Send application/json.");
  if (error?.code === "FST_ERR_CTP_EMPTY_JSON_BODY" || error?.code === "FST_ERR_CTP_INVALID_JSON_BODY" || error?.statusCode === 400) return problem("VALIDATION_ERROR", "The body is not valid JSON.");
  return problem("SYSTEM_ERROR", "Internal error.");
}

/** Send a problem document on a Fastify reply. */
export function sendProblem(reply, doc) {
  return reply.code(doc.status).type("application/problem+json").send(doc);
}
