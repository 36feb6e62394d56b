/**
 * A request proved by a proofline service instead of this device, with the local contract:
 * the same validation first (typed errors, nothing sent), the request id at once, `onProgress`
 * from the server's live events, cancellation through the signal or `cancelProof` (the server
 * job is deleted), typed errors from the server's problem documents. The server is not trusted:
 * its public signals must equal the ones computed here from the caller's own attestations, and
 * its proof must verify against the PINNED vkey here, before the result is built (by the same
 * plan as a local proof) and returned.
 */
import { abortError, raceSignal } from "../core/abort.js";
import { CancelledError, NetworkError, ProofError, VerificationError, createProofError, isProofErrorCode } from "../core/errors.js";
import type { Clock, YieldFn } from "../core/clock.js";
import { planEbslRequest, type EbslProofResult, type EbslVariant, type ProofType } from "../ebsl/ebsl-plan.js";
import { assertPublicSignals } from "../request/verified-proving.js";
import type { ProgressEvent } from "../request/request-types.js";
import type { Groth16Proof, ProveTimings } from "../engine/types.js";
import type { ResolvedRequestOptions } from "../client/request-options.js";
import type { VerifiableResult } from "../client/verifiable-result.js";
import { followRemote, type RemoteEvent } from "./remote-events.js";
import type { ResolvedRemote } from "./remote-options.js";

export interface RemoteContext {
  readonly remote: ResolvedRemote;
  readonly variants: readonly EbslVariant[];
  readonly clock: Clock;
  readonly defaultThreshold: number;
  readonly yieldToHost: YieldFn;
  /** The API's verify: the pinned vkey, in a worker. */
  readonly verify: (result: VerifiableResult) => Promise<boolean>;
}

interface ServerResult {
  readonly circuitId: string;
  readonly proof: Groth16Proof;
  readonly publicSignals: string[];
  readonly attempts?: number;
  readonly fallbackReason?: string;
  readonly timings?: ProveTimings;
}

const problemError = (body: unknown, status: number): ProofError => {
  const p = (body ?? {}) as { code?: unknown; detail?: unknown; details?: unknown };
  const code = isProofErrorCode(p.code) ? p.code : status === 401 || status === 403 ? "ACCESS_DENIED" : "SYSTEM_ERROR";
  return createProofError(code, typeof p.detail === "string" ? p.detail : `The proving service answered ${status}.`, {
    details: (typeof p.details === "object" && p.details !== null ? p.details : {}) as never,
  });
};

/**
 * Prove `attestations` on the service, with the request's options as the facade resolved them.
 * `own` is the request's one AbortController (the router aborts it on `cancelProof` and
 * `dispose`); its fetches run under it and the caller's signal, and it is aborted once the
 * request has settled, which closes whatever is still open. Rejects like a local request (typed errors).
 */
export async function requestRemoteProof(ctx: RemoteContext, requestId: string, attestations: unknown, proofType: ProofType, options: ResolvedRequestOptions, own: AbortController): Promise<EbslProofResult> {
  const startedAt = ctx.clock.now();
  const now = options.plan.now ?? ctx.clock.wallNow();
  const threshold = options.plan.threshold ?? ctx.defaultThreshold;
  // The local plan validates (and copies) the attestations and knows which public signals each
  // circuit must produce for them: the server's answer is checked against it.
  const plan = planEbslRequest({ attestations, proofType, options: { ...options.plan, now, threshold }, variants: ctx.variants, wallNow: now, defaultThreshold: ctx.defaultThreshold, yield: ctx.yieldToHost });
  const body = JSON.stringify({
    attestations,
    proofType,
    now,
    threshold: Number(threshold),
    priority: options.priority,
    allowFallback: options.allowFallback,
    ...(options.plan.subject !== undefined ? { subject: options.plan.subject } : {}),
    ...(options.plan.registry !== undefined ? { registry: options.plan.registry } : {}),
  });
  const signal = options.signal ? AbortSignal.any([options.signal, own.signal]) : own.signal;
  const cancelled = { message: "The request was cancelled.", details: { requestId } };
  if (signal.aborted) throw abortError(signal, cancelled);
  const { remote } = ctx;
  const headers = { "content-type": "application/json", ...(remote.apiKey ? { authorization: `Bearer ${remote.apiKey}` } : {}) };
  let jobPath: string | undefined;
  let progress = 0;
  const report = (event: Partial<ProgressEvent> & Pick<ProgressEvent, "status" | "stage">) => {
    progress = Math.max(progress, event.progress ?? 0);
    try {
      options.onProgress?.({ ...event, requestId, progress } as ProgressEvent);
    } catch {
      /* the caller's callback must not break its own proof */
    }
  };
  try {
    report({ status: "QUEUED", stage: "queued", progress: 0 });
    let res: Response;
    try {
      res = await remote.fetch(new URL("v1/proofs", remote.base), { method: "POST", headers, body, signal });
    } catch (error) {
      if (signal.aborted) throw abortError(signal, cancelled);
      throw new NetworkError("The proving service could not be reached.", { cause: error, details: { url: remote.base.origin } as never });
    }
    const accepted = (await res.json().catch(() => undefined)) as { id?: string; urls?: { self: string; events: string } } | undefined;
    if (res.status !== 202 || !accepted?.urls) throw problemError(accepted, res.status);
    jobPath = accepted.urls.self;
    // While the server proves, build the statement this side will check (the registry hashes):
    // the likely variant's is then ready when the proof arrives (a memo; a failure is not kept).
    Promise.resolve(plan.prepare(plan.variants[0]!, signal)).catch(() => undefined);
    const end = await raceSignal(
      followRemote(remote, accepted.urls.events, (e) => {
        if (e.type === "progress") report({ status: e["status"] === "QUEUED" ? "QUEUED" : "PROCESSING", stage: e["stage"] as ProgressEvent["stage"], progress: e["progress"] as number, ...(typeof e["attempt"] === "number" && e["attempt"] > 1 ? { attempt: e["attempt"] } : {}), ...(typeof e["step"] === "string" ? { step: e["step"] } : {}), ...(typeof e["circuitId"] === "string" ? { circuitId: e["circuitId"] } : {}) });
      }, signal, ctx.clock),
      signal,
      cancelled,
    );
    const result = await outcome(end, remote, jobPath, headers);
    // The pairing check runs in a worker while the statement is checked here; a wrong statement
    // is still reported first.
    const verifyStart = ctx.clock.now();
    const verifying = raceSignal(ctx.verify(result), signal, cancelled);
    verifying.catch(() => undefined);
    const variant = await raceSignal(plan.prepare(result.circuitId, signal), signal, cancelled);
    report({ status: "PROCESSING", stage: "verifying", circuitId: result.circuitId });
    assertPublicSignals(result.circuitId, result.publicSignals, await variant.expectedPublicSignals(signal));
    if (!(await verifying)) {
      throw new VerificationError("The proving service returned a proof that does not verify against the pinned vkey.", { details: { circuitId: result.circuitId } as never });
    }
    const timings = { artifactsMs: 0, witnessMs: 0, proveMs: 0, totalMs: 0, ...result.timings, verifyMs: ctx.clock.now() - verifyStart };
    const decorated = plan.decorate({ circuitId: result.circuitId, proof: result.proof, publicSignals: [...result.publicSignals], timings, verified: true }, variant, {
      requestId,
      attempts: result.attempts ?? 1,
      queueWaitMs: 0,
      totalMs: ctx.clock.now() - startedAt,
      ...(isProofErrorCode(result.fallbackReason) ? { fallbackReason: result.fallbackReason } : {}),
    });
    report({ status: "COMPLETED", stage: "done", progress: 100, circuitId: result.circuitId });
    return decorated.result;
  } catch (error) {
    const typed = signal.aborted ? abortError(signal, cancelled) : error instanceof ProofError ? error : new NetworkError("The proving service's live status failed.", { cause: error });
    if (signal.aborted && jobPath) {
      // Tell the server to stop; the caller's rejection does not wait for it.
      void remote.fetch(new URL(jobPath.replace(/^\//, ""), remote.base), { method: "DELETE", headers: remote.apiKey ? { authorization: `Bearer ${remote.apiKey}` } : {} }).catch(() => undefined);
    }
    report({ status: typed.code === "CANCELLED" ? "CANCELLED" : "FAILED", stage: "done", errorCode: typed.code });
    throw typed;
  } finally {
    own.abort();
  }
}

async function outcome(end: RemoteEvent | undefined, remote: ResolvedRemote, jobPath: string, headers: Record<string, string>): Promise<ServerResult> {
  let event = end;
  if (!event || event.type === "progress") {
    // The stream ended without the outcome (a proxy cut it): the job record has it.
    const res = await remote.fetch(new URL(jobPath.replace(/^\//, ""), remote.base), { headers: { authorization: headers["authorization"] ?? "" } });
    const job = (await res.json()) as { status?: string; result?: ServerResult; error?: unknown };
    event = job.status === "COMPLETED" ? { type: "completed", result: job.result } : { type: "failed", error: job.error };
  }
  if (event.type === "completed") return event["result"] as ServerResult;
  const wire = (event["error"] ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  if (event.type === "cancelled") throw new CancelledError(typeof wire.message === "string" ? wire.message : "The request was cancelled.");
  throw problemError({ code: wire.code, detail: wire.message, details: wire.details }, 500);
}
