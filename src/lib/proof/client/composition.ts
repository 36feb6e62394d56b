/**
 * The composition root of a proof API: every part is built here, once, from resolved options,
 * and each layer gets the ports it needs with their policy already bound. The pipeline sees a
 * `prove(circuitId, prepared, { signal })` port (cache, sharing, time budget and verification
 * behind it); the cache decorates the verifying port; nothing calls back up into the facade.
 *
 * The prover itself (workers, artifact store) is created on first use, so composing starts
 * nothing.
 */
import { ProofError } from "../core/errors.js";
import { lazyProver, type LazyProver } from "../engine/lazy-prover.js";
import { AccessGate } from "../admission/access-gate.js";
import { CachedProving } from "../cache/cached-proving.js";
import type { CachedProofInfo } from "../cache/cached-proving.js";
import { createIdbCacheBackend } from "../cache/idb-cache-backend.js";
import { ProofCache } from "../cache/proof-cache.js";
import type { CachedProof, PersistentCacheBackend } from "../cache/proof-cache.js";
import { AuditLog } from "../observability/audit-log.js";
import { ProofMetrics } from "../observability/metrics.js";
import { createTrustRecorder } from "../observability/trust-recorder.js";
import { LifecycleEmitter } from "../request/lifecycle-events.js";
import { ProofQueue } from "../request/priority-queue.js";
import { ProofPipeline } from "../request/proof-pipeline.js";
import { RequestRegistry } from "../request/request-state.js";
import type { PreparedVariant } from "../request/request-plan.js";
import { bindProver, VerifiedProving } from "../request/verified-proving.js";
import type { ResolvedProofAPIOptions } from "./options.js";
import type { Readable } from "../core/store.js";
import type { QueueStats } from "../request/priority-queue.js";
import type { JobSnapshot } from "../request/request-state.js";
import type { MetricsSnapshot } from "../observability/metrics.js";
import type { CacheStats } from "../cache/proof-cache.js";
import type { AuditEntry } from "../observability/audit-log.js";
import type { ResolvedCacheConfig } from "./trust-options.js";

/** Svelte-contract stores (no svelte import): `$queue`, `$jobs`, `$job`, `$metrics`, `$cache`, `$audit`. */
export interface ProofStores {
  readonly queue: Readable<QueueStats>;
  readonly jobs: Readable<readonly JobSnapshot[]>;
  /** Metrics snapshots, refreshed after every finished request while subscribed. */
  readonly metrics: Readable<MetricsSnapshot>;
  /** Proof cache statistics (real hit rate). */
  readonly cache: Readable<CacheStats>;
  /** The audit log's kept entries. */
  readonly audit: Readable<readonly AuditEntry[]>;
  /** One job by id (`undefined` until it exists or after it was pruned). */
  job(id: string): Readable<JobSnapshot | undefined>;
}

export interface ProofAPIParts {
  readonly prover: LazyProver;
  readonly queue: ProofQueue;
  readonly registry: RequestRegistry;
  readonly events: LifecycleEmitter;
  readonly pipeline: ProofPipeline;
  readonly proving: CachedProving<PreparedVariant>;
  readonly metrics: ProofMetrics;
  readonly audit: AuditLog;
  /** Absent when there is nothing to enforce (no lists, no rate limit). */
  readonly gate: AccessGate | undefined;
  readonly stores: ProofStores;
}

/**
 * The proof cache (undefined when disabled). An entry read back from persistent storage is
 * verified once against the pinned vkey, in a worker; persistence is IndexedDB for
 * `persist: true`, opened on first use.
 */
function proofCache(config: ResolvedCacheConfig, o: ResolvedProofAPIOptions, prover: LazyProver): ProofCache<CachedProofInfo> | undefined {
  if (!config.enabled) return undefined;
  const persistence = config.persist === true ? createIdbCacheBackend<CachedProofInfo>() : config.persist === false ? undefined : config.persist;
  // Only "does not verify" is tampering: snarkjs throwing on a malformed proof is that too; any
  // other failure (timeout, crash, disposal) means the entry could not be checked now.
  const check = async (entry: CachedProof<CachedProofInfo>): Promise<boolean> => {
    try {
      return await prover.get().verify(entry.circuitId, entry.proof, [...entry.publicSignals]);
    } catch (error) {
      if (error instanceof ProofError && error.code === "VERIFICATION_FAILED") return false;
      throw error;
    }
  };
  return new ProofCache<CachedProofInfo>({
    max: config.max,
    ttlMs: config.ttlMs,
    clock: o.clock,
    check,
    ...(config.salt !== undefined ? { salt: config.salt } : {}),
    ...(persistence ? { persistence: persistence as PersistentCacheBackend<CachedProofInfo> } : {}),
  });
}

export function composeProofAPI(o: ResolvedProofAPIOptions): ProofAPIParts {
  const t = o.trust;
  const prover = lazyProver(o.createProver, o.ownsProver);
  const queue = new ProofQueue({ concurrency: o.concurrency, maxQueued: o.maxQueued, clock: o.clock });
  const metrics = new ProofMetrics({ windowSize: t.metricsWindowSize, clock: o.clock, ...(t.memoryProbe !== undefined ? { memoryProbe: t.memoryProbe } : {}) });
  const registry = new RequestRegistry({
    maxFinished: o.maxFinishedRequests,
    clock: o.clock,
    prediction: o.prediction ?? metrics.expectedMs,
  });
  const events = new LifecycleEmitter();
  const audit = new AuditLog({ maxEntries: t.auditMaxEntries, clock: o.clock });
  events.subscribe(createTrustRecorder({ metrics, audit, telemetry: t.telemetry }));
  // Verification and the statement check are the port; the cache decorates it.
  const verified = new VerifiedProving(bindProver(prover, o.timeoutMs));
  const proving = new CachedProving({ inner: verified, cache: proofCache(t.cache, o, prover), rerandomize: t.cache.rerandomize, clock: o.clock });
  const pipeline = new ProofPipeline({
    proving,
    queue,
    registry,
    events,
    clock: o.clock,
    random: o.random,
    retry: o.retry,
  });
  const stores: ProofStores = Object.freeze({
    queue: queue.store,
    jobs: registry.jobs,
    job: (id: string) => registry.job(id),
    metrics: metrics.store,
    cache: proving.store,
    audit: audit.store,
  });
  return { prover, queue, registry, events, pipeline, proving, metrics, audit, gate: AccessGate.needed(t) ? new AccessGate(t, o.clock) : undefined, stores };
}
