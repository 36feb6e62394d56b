/**
 * `ProofAPI`: the facade dapps call. Its parts (queue, request registry, pipeline, cache,
 * metrics, audit, access gate) are built by the composition root; the prover (workers, artifact
 * store) and the cache's IndexedDB are opened on first use, so constructing the API starts
 * nothing.
 */
import { AbortScope, abortError, raceSignal, type ScopedSignal } from "../core/abort.js";
import { CancelledError, DisposedError, ProofError } from "../core/errors.js";
import { invalid, validationError } from "../core/option-checks.js";
import { verifyResolved, type CallOptions } from "../engine/prover.js";
import { checkCallOptions } from "../engine/prover-options.js";
import type { CacheStats } from "../cache/proof-cache.js";
import { ebslVariants, planEbslRequest } from "../ebsl/ebsl-plan.js";
import { ebslWarmInput } from "../ebsl/warm-input.js";
import type { EbslProofResult, EbslVariant, ProofType } from "../ebsl/ebsl-plan.js";
import type { AuditEntry, AuditVerification } from "../observability/audit-log.js";
import type { MetricsSnapshot } from "../observability/metrics.js";
import type { ProofLifecycleListener } from "../request/lifecycle-events.js";
import type { QueueStats } from "../request/priority-queue.js";
import type { RequestRecord } from "../request/request-state.js";
import { composeProofAPI, type ProofAPIParts, type ProofStores } from "./composition.js";
import { resolveOptions } from "./options.js";
import type { ProofAPIOptions, ResolvedProofAPIOptions } from "./options.js";
import { requestUserId, resolveRequestOptions, type RequestProofOptions, type ResolvedRequestOptions } from "./request-options.js";
import { assertVerifiableResult } from "./verifiable-result.js";
import { RemoteRouter } from "../remote/remote-router.js";
import type { VerifiableResult } from "./verifiable-result.js";

export type { VerifiableResult } from "./verifiable-result.js";
export type { ProofStores } from "./composition.js";

export type { RequestProofOptions } from "./request-options.js";

/** The promise of a result, plus its request id (known at once, before the proof completes). */
export type ProofRequest<T> = Promise<T> & { readonly requestId: string };

/**
 * Request EBSL reputation proofs: validation, priority queue, retry, circuit fallback,
 * cancellation, progress, stores.
 *
 * @example
 * const api = createProofAPI({ manifest, artifactsBaseUrl: "https://cdn.example/proofline/circuits/" });
 * const request = api.requestProof(attestations, "threshold", {
 *   priority: ProofPriority.HIGH,
 *   userId: address,
 *   onProgress: (p) => console.log(p.requestId, p.stage, p.progress),
 * });
 * console.log(request.requestId); // known before the proof completes
 * const { proof, publicSignals, meetsThreshold, hash } = await request;
 * api.cancelProof(request.requestId); // no-op now: it already settled
 */
export class ProofAPI {
  readonly #o: ResolvedProofAPIOptions;
  readonly #variants: readonly EbslVariant[];
  readonly #p: ProofAPIParts;
  /** Every pending request's signal: `dispose()` aborts them all, `cancelProof(id)` one. */
  readonly #scope = new AbortScope();
  readonly #requests = new Map<string, ScopedSignal>();
  readonly #remote: RemoteRouter;
  readonly #remoteAvailable: boolean;
  #disposed = false;
  /** Svelte stores of the queue and the jobs. */
  readonly stores: ProofStores;

  constructor(options: ProofAPIOptions = {}) {
    const o = resolveOptions(options);
    this.#o = o;
    this.#variants = ebslVariants(o.circuits, o.ebslCircuits);
    const p = (this.#p = composeProofAPI(o));
    this.#remote = new RemoteRouter(options.remote, { variants: this.#variants, clock: o.clock, defaultThreshold: o.defaultThreshold, yieldToHost: o.yieldToHost, verify: (r) => this.verify(r) });
    this.#remoteAvailable = this.#remote.available;
    if (o.prewarm) {
      o.whenIdle(() => {
        if (!this.#disposed) this.preload().catch(() => undefined);
      });
    }
    this.stores = p.stores;
  }

  /**
   * Request a proof over `attestations`: `"exact"` reveals the fixed-point score, `"threshold"`
   * proves only `score >= threshold`. Invalid input rejects with a ValidationError (index and
   * field named) before anything is queued. The returned promise carries `requestId`.
   */
  requestProof(attestations: unknown, proofType: ProofType, options?: RequestProofOptions): ProofRequest<EbslProofResult> {
    const requestId = this.#o.generateId();
    return Object.assign(this.#submit(requestId, attestations, proofType, options), { requestId });
  }

  /** Cancel a queued or running request; it rejects with CancelledError. False when unknown or already settled. */
  cancelProof(requestId: string): boolean {
    const request = this.#requests.get(requestId);
    if (!request || request.signal.aborted) return this.#remote.cancel(requestId);
    request.abort(new CancelledError("The request was cancelled.", { details: { requestId } }));
    return true;
  }

  /** The request's record (status, progress, stage, circuit, attempt, error code, timestamps). */
  getRequestStatus(requestId: string): RequestRecord | undefined {
    return this.#p.registry.get(requestId);
  }

  getQueueStats(): QueueStats {
    return this.#p.queue.getStats();
  }

  /** Proof cache statistics: hits, misses, shared in-flight joins, tampered entries dropped, size, `hitRate` = hits / (hits + misses). */
  getCacheStats(): CacheStats {
    return this.#p.proving.stats();
  }

  /** Drop every cached proof (memory and persistence); running requests finish. */
  clearCache(): Promise<void> {
    return this.#p.proving.clear();
  }

  /** Counts, failures by code, stage durations with p50/p95/p99, memory: per circuit and overall. */
  getMetricsSnapshot(): MetricsSnapshot {
    return this.#p.metrics.snapshot();
  }

  /** The metrics in the Prometheus text format (0.0.4), for Node services that expose `/metrics`. */
  metricsPrometheus(): string {
    return this.#p.metrics.toPrometheus();
  }

  /** Copies of the audit log's kept entries, oldest first (requests, results, cache hits, denials, failures, cancellations). */
  getAuditLog(): AuditEntry[] {
    return this.#p.audit.entries();
  }

  /** Check the audit chain (an edited entry, a gap or a broken link is reported with its seq). */
  verifyAuditLog(): AuditVerification {
    return this.#p.audit.verify();
  }

  /** Lifecycle events of every request (the trust layer's seam). Returns an unsubscribe. */
  subscribe(listener: ProofLifecycleListener): () => void {
    return this.#p.events.subscribe(listener);
  }

  /**
   * Verify a result's proof and public signals against the PINNED vkey of `result.circuitId`,
   * in a worker (the page's thread stays free). False for a proof that does not verify, e.g. a
   * result whose public signals were edited; a proof too malformed for snarkjs is false too.
   * Rejects with CircuitNotFoundError for a circuit not in the manifest, ValidationError when
   * `result` lacks the three fields, and with the usual typed errors when the vkey cannot be
   * loaded, the call times out or is aborted, or the API was disposed.
   * @example if (!(await api.verify(result))) throw new Error("not a valid proof");
   */
  async verify(result: VerifiableResult, options: CallOptions = {}): Promise<boolean> {
    if (this.#disposed) throw new DisposedError("The proof API was disposed.");
    assertVerifiableResult(result);
    checkCallOptions(options);
    try {
      // Its options were checked here, at the API's edge: the prover does not check them again.
      return await verifyResolved(this.#p.prover.get(), result.circuitId, result.proof, [...result.publicSignals], options);
    } catch (error) {
      // snarkjs throws on proofs it cannot even parse: that is "not valid", not a failure of verify.
      if (error instanceof ProofError && error.code === "VERIFICATION_FAILED") return false;
      throw error;
    }
  }

  /**
   * Start a worker and load a circuit's artifacts into it (from IndexedDB on a returning visit),
   * so the next proof is warm; a request made meanwhile joins that worker.
   * @default the smallest available EBSL circuit
   */
  async preload(circuitId?: string): Promise<void> {
    if (this.#disposed) throw new DisposedError("The proof API was disposed.");
    if (circuitId !== undefined && (typeof circuitId !== "string" || circuitId.length > 256)) {
      invalid("circuitId", "must be a circuit id");
    }
    const id = circuitId ?? this.#variants[0]?.circuitId ?? this.#o.circuits[0]?.id;
    if (id === undefined) invalid("circuitId", "no circuit to preload");
    // An EBSL circuit's warm-up rehearses a proof of a public example (ebsl/warm-input.ts).
    const warmInput = await ebslWarmInput(this.#variants, id, this.#o.defaultThreshold);
    await this.#p.prover.get().preload(id, warmInput ? { warmInput } : {});
  }

  /** Stop everything: every pending request rejects with DisposedError; workers terminate. Idempotent. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    const reason = new DisposedError("The proof API was disposed.");
    this.#scope.abort(reason);
    this.#remote.dispose();
    this.#p.queue.clear(reason);
    this.#p.prover.dispose();
  }

  /** Every option validated and defaulted here, once; then the request goes where its mode says. */
  async #submit(requestId: string, attestations: unknown, proofType: ProofType, rawOptions: unknown): Promise<EbslProofResult> {
    const o = this.#o;
    let userId: string | undefined;
    let options: ResolvedRequestOptions;
    try {
      if (this.#disposed) throw new DisposedError("The proof API was disposed.");
      userId = requestUserId(rawOptions);
      options = resolveRequestOptions(rawOptions, { priority: o.defaultPriority, allowFallback: o.allowFallback, remoteAvailable: this.#remoteAvailable }, userId);
    } catch (thrown) {
      throw this.#refused(requestId, thrown, userId, undefined);
    }
    if (options.mode === "local") return this.#request(requestId, attestations, proofType, options);
    return this.#remote.route(requestId, attestations, proofType, options, (local) => this.#request(requestId, attestations, proofType, local));
  }

  async #request(requestId: string, attestations: unknown, proofType: ProofType, options: ResolvedRequestOptions): Promise<EbslProofResult> {
    const o = this.#o;
    const submittedAt = o.clock.now();
    const { userId } = options;
    let request: ScopedSignal | undefined;
    let accepted = false;
    const cancelled = { message: "The request was cancelled.", details: { requestId } };
    try {
      if (this.#disposed) throw new DisposedError("The proof API was disposed.");
      // The attestations are validated (and copied here: later edits by the caller change
      // nothing) before anything is queued.
      const plan = planEbslRequest({
        attestations,
        proofType,
        options: options.plan,
        variants: this.#variants,
        wallNow: o.clock.wallNow(),
        defaultThreshold: o.defaultThreshold,
        yield: o.yieldToHost,
      });
      request = this.#scope.link([options.signal]);
      if (request.signal.aborted) throw abortError(request.signal, cancelled);
      this.#requests.set(requestId, request);
      if (o.beforeQueue) {
        const candidate = { requestId, kind: plan.kind, priority: options.priority, circuitId: plan.variants[0]!, attestationCount: plan.attestationCount, ...(userId !== undefined ? { userId } : {}) };
        // A hook may never settle: the request's own signal (its caller, cancelProof, dispose) ends the wait.
        await raceSignal(o.beforeQueue(candidate), request.signal, cancelled);
        if (request.signal.aborted) throw abortError(request.signal, cancelled);
      }
      const signal = request.signal;
      // Synchronous from here to queueing: the last free rate-limit slot goes to one request
      // only, and a request the queue refuses does not count against the user's limit.
      const gate = this.#p.gate;
      gate?.check(userId);
      const settled = this.#p.pipeline.submit({ requestId, plan, priority: options.priority, signal, allowFallback: options.allowFallback, submittedAt, userId, onProgress: options.onProgress });
      gate?.record(userId);
      accepted = true;
      try {
        return await settled;
      } finally {
        this.#release(requestId, request);
      }
    } catch (thrown) {
      if (!accepted) {
        this.#release(requestId, request);
        throw this.#refused(requestId, thrown, userId, request);
      }
      this.#capture(thrown, requestId);
      throw thrown;
    }
  }

  /**
   * A request never accepted (validation, hook, access gate, queue bound, disposal): no record
   * exists. Its refusal is announced and reported; the typed error to reject with is returned.
   */
  #refused(requestId: string, thrown: unknown, userId: string | undefined, request: ScopedSignal | undefined): ProofError {
    const cancelled = { message: "The request was cancelled.", details: { requestId } };
    const error = request?.signal.aborted
      ? abortError(request.signal, cancelled)
      : thrown instanceof ProofError
        ? thrown
        : validationError("beforeQueue", "the request was refused", { cause: thrown });
    this.#p.events.emit({ type: "rejected", requestId, code: error.code, at: this.#o.clock.wallNow(), ...(userId !== undefined ? { userId } : {}) });
    this.#capture(error, requestId);
    return error;
  }

  /** Report a typed failure to telemetry (sanitised there: code, circuit, attempt; no details or cause). */
  #capture(error: unknown, requestId: string): void {
    const telemetry = this.#o.trust.telemetry;
    if (!telemetry || (error instanceof ProofError && (error.code === "CANCELLED" || error.code === "DISPOSED"))) return;
    const record = this.#p.registry.get(requestId);
    try {
      telemetry.captureError(error, { requestId, ...(record ? { circuitId: record.circuitId } : {}), ...(record?.attempt !== undefined ? { attempt: record.attempt } : {}) });
    } catch {
      /* telemetry must never change a request's outcome */
    }
  }

  #release(requestId: string, request: ScopedSignal | undefined): void {
    if (request && this.#requests.get(requestId) === request) this.#requests.delete(requestId);
    request?.release();
  }
}

/** Create a proof API (nothing starts until the first request or preload). */
export function createProofAPI(options: ProofAPIOptions = {}): ProofAPI {
  return new ProofAPI(options);
}
