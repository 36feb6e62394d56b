/**
 * The default `proofAPI` instance of each entry: an object with the facade's methods that
 * creates the real `ProofAPI` on first call, so importing the library creates nothing (no
 * workers, timers or IndexedDB) and a page that never proves never pays for it.
 */
import type { QueueStats } from "../request/priority-queue.js";
import type { Readable } from "../core/store.js";
import type { AuditEntry, AuditVerification } from "../observability/audit-log.js";
import type { MetricsSnapshot } from "../observability/metrics.js";
import type { CacheStats } from "../cache/proof-cache.js";
import type { EbslProofResult, ProofType } from "../ebsl/ebsl-plan.js";
import type { ProofLifecycleListener } from "../request/lifecycle-events.js";
import type { CallOptions } from "../engine/prover.js";
import type { ProofAPI, ProofRequest, ProofStores, RequestProofOptions, VerifiableResult } from "./proof-api.js";
import type { JobSnapshot, RequestRecord } from "../request/request-state.js";

/** The lazily created default API; `instance()` forces creation (e.g. to pass it around). */
export interface LazyProofAPI {
  requestProof(attestations: unknown, proofType: ProofType, options?: RequestProofOptions): ProofRequest<EbslProofResult>;
  cancelProof(requestId: string): boolean;
  getRequestStatus(requestId: string): RequestRecord | undefined;
  getQueueStats(): QueueStats;
  subscribe(listener: ProofLifecycleListener): () => void;
  getCacheStats(): CacheStats;
  clearCache(): Promise<void>;
  getMetricsSnapshot(): MetricsSnapshot;
  metricsPrometheus(): string;
  getAuditLog(): AuditEntry[];
  verifyAuditLog(): AuditVerification;
  preload(circuitId?: string): Promise<void>;
  /** See {@link ProofAPI.verify}: a result against its circuit's pinned vkey, in a worker. */
  verify(result: VerifiableResult, options?: CallOptions): Promise<boolean>;
  /** Disposes the instance if one was created; the next call creates a fresh one. */
  dispose(): void;
  readonly stores: ProofStores;
  instance(): ProofAPI;
}

/** Wrap a factory; the instance is created by the first method call or store subscription. */
export function lazyProofAPI(create: () => ProofAPI): LazyProofAPI {
  let api: ProofAPI | undefined;
  const get = (): ProofAPI => (api ??= create());
  // Stores subscribe lazily too: a component subscribing is a first use.
  const stores: ProofStores = {
    queue: { subscribe: (run: (v: QueueStats) => void, inv?: () => void) => get().stores.queue.subscribe(run, inv) },
    jobs: { subscribe: (run: (v: readonly JobSnapshot[]) => void, inv?: () => void) => get().stores.jobs.subscribe(run, inv) },
    job: (id: string): Readable<JobSnapshot | undefined> => ({ subscribe: (run, inv) => get().stores.job(id).subscribe(run, inv) }),
    metrics: { subscribe: (run: (v: MetricsSnapshot) => void, inv?: () => void) => get().stores.metrics.subscribe(run, inv) },
    cache: { subscribe: (run: (v: CacheStats) => void, inv?: () => void) => get().stores.cache.subscribe(run, inv) },
    audit: { subscribe: (run: (v: readonly AuditEntry[]) => void, inv?: () => void) => get().stores.audit.subscribe(run, inv) },
  };
  return {
    requestProof: (attestations, proofType, options) => get().requestProof(attestations, proofType, options),
    cancelProof: (id) => api?.cancelProof(id) ?? false,
    getRequestStatus: (id) => api?.getRequestStatus(id),
    getQueueStats: () => get().getQueueStats(),
    subscribe: (listener) => get().subscribe(listener),
    getCacheStats: () => get().getCacheStats(),
    clearCache: () => get().clearCache(),
    getMetricsSnapshot: () => get().getMetricsSnapshot(),
    metricsPrometheus: () => get().metricsPrometheus(),
    getAuditLog: () => get().getAuditLog(),
    verifyAuditLog: () => get().verifyAuditLog(),
    preload: (circuitId) => get().preload(circuitId),
    verify: (result, options) => get().verify(result, options),
    dispose: () => {
      api?.dispose();
      api = undefined;
    },
    stores,
    instance: get,
  };
}

