/**
 * The trust layer's building blocks: hashing, public-signal checks, proof cache, Groth16
 * re-randomisation, metrics, rate limit, access lists, audit log and Sentry telemetry. Each is
 * independent; the facade composes them. Importing this module does no work.
 */
export { canonicalJson } from "./canonical-json.js";
export { proofHash, proofHashPreimage, hasValidProofHash, sha256HexSync, type HashedProof } from "./proof-hash.js";
export { ProofCache, cacheKey, PROOF_CACHE_DEFAULTS, type CacheOutcome, type CacheStats, type ComputedProof, type ProofCacheOptions } from "./proof-cache.js";
export { createMemoryCacheBackend, type CachedProof, type PersistentCacheBackend } from "./cache-backend.js";
export { createIdbCacheBackend, type IdbCacheBackendOptions } from "./idb-cache-backend.js";
export { rerandomizeProof, loadBn128, randomScalar, type Bn128Curve, type RerandomizeOptions, type VkeyDelta } from "./rerandomize.js";
export { RingBuffer, nearestRank, summarize, type SampleSummary } from "./percentiles.js";
export {
  ProofMetrics,
  DURATION_KINDS,
  type DurationKind,
  type DurationMetrics,
  type GroupMetrics,
  type JobOutcome,
  type JobRecord,
  type MetricsOptions,
  type MetricsSnapshot,
  type Prediction,
} from "./metrics.js";
export { toPrometheusText, escapeLabelValue } from "./prometheus.js";
export { defaultMemoryProbe, type MemoryProbe, type MemoryUsage } from "./memory-probe.js";
export { RateLimiter, RATE_LIMITER_DEFAULTS, type RateLimiterOptions } from "./rate-limiter.js";
export { AccessList, type AccessDecision, type AccessListOptions } from "./access-list.js";
export { normalizeUserId } from "./user-id.js";
export {
  AuditLog,
  auditEntryHash,
  verifyAuditChain,
  GENESIS_HASH,
  GENESIS_ANCHOR,
  type AuditAnchor,
  type AuditEntry,
  type AuditEvent,
  type AuditEventType,
  type AuditLogOptions,
  type AuditVerification,
} from "./audit-log.js";
export {
  createSentryTelemetry,
  createSentryScrubber,
  scrubSentryEvent,
  DEFAULT_ALLOWED_CONTEXTS,
  type SentryLike,
  type SentryTelemetry,
  type SentryScrubberOptions,
  type StageBreadcrumb,
  type ErrorContext,
} from "./sentry-integration.js";
