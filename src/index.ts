/**
 * proofline — browser-first Groth16 proving with a worker pool, priority queue, cancellation,
 * pinned artifacts, typed errors and EBSL reputation circuits.
 *
 * Every export is named here; importing this module starts nothing (no workers, timers or
 * IndexedDB) until first use.
 */
export {
  ProofError,
  ERROR_POLICY,
  PROOF_ERROR_CODES,
  ValidationError,
  CircuitNotFoundError,
  CapacityExceededError,
  WitnessConstraintError,
  WitnessInputError,
  ProvingError,
  ResourceExhaustedError,
  WorkerCrashedError,
  WorkerStartError,
  TimeoutError,
  NetworkError,
  IntegrityError,
  ArtifactInvalidError,
  StorageError,
  VerificationError,
  PublicSignalMismatchError,
  QueueFullError,
  RateLimitError,
  AccessDeniedError,
  CancelledError,
  DisposedError,
  SystemError,
  createProofError,
  fromWire,
  isProofError,
  isProofErrorCode,
} from "./lib/proof/errors.js";
export type {
  ProofErrorCode,
  Severity,
  Recoverability,
  ErrorPolicy,
  ErrorDetails,
  WireError,
} from "./lib/proof/errors.js";
export { systemClock } from "./lib/proof/clock.js";
export type { Clock } from "./lib/proof/clock.js";
export type {
  ArtifactRef,
  ArtifactKind,
  CircuitDefinition,
  ArtifactProgress,
  LoadedArtifacts,
  LoadOptions,
  ArtifactSource,
  WorkerArtifacts,
  SignalValue,
  CircuitInput,
  Groth16Proof,
  ProvePhase,
  ProveProgress,
  ProveTimings,
  ProveResult,
  ProveOptions,
  Settled,
} from "./lib/proof/engine/types.js";
export type {
  Attestation,
  AttestationType,
  Opinion,
  EncodedSlot,
  CircuitPublicInputs,
  CircuitOutputs,
} from "./lib/proof/ebsl/types.js";

// --- error classification and retry ---
export { classifyError, CLASSIFICATION_RULES } from "./lib/proof/error-classification.js";
export type { ClassifyContext } from "./lib/proof/error-classification.js";
export { DEFAULT_RETRY_POLICY, resolveRetryPolicy, retryDelay, runWithRetry, shouldRetry } from "./lib/proof/retry-policy.js";
export type { RetryPolicy, RetryEvent, RetryResult, RunWithRetryOptions } from "./lib/proof/retry-policy.js";

// --- queue, statuses, stores ---
export { ProofPriority, ProofQueue, isProofPriority } from "./lib/proof/priority-queue.js";
export type { QueueStats, PriorityQueueOptions, QueueTaskOptions, QueueTaskContext } from "./lib/proof/priority-queue.js";
export { ProofStatus, TERMINAL_STATUSES, isTerminalStatus } from "./lib/proof/pipeline-types.js";
export type { PipelineStage, ProgressEvent, ByteProgress } from "./lib/proof/pipeline-types.js";
export { writable, readable, derived, createQueueStatsStore, createJobsStore, jobProgressStore } from "./lib/proof/stores.js";
export type { Readable, Writable, Subscriber, Unsubscriber, JobSnapshot, JobsStore, JobsStoreOptions } from "./lib/proof/stores.js";

// --- generic engine ---
export { createProver, defaultPoolSize } from "./lib/proof/engine/prover.js";
export type { Prover, ProverOptions, CallOptions } from "./lib/proof/engine/prover.js";
export { createArtifactLoader } from "./lib/proof/engine/artifact-loader.js";
export { workerArtifacts } from "./lib/proof/engine/circuit-loading.js";
export type { ArtifactLoader, ArtifactLoaderOptions, ArtifactLoaderStats, ArtifactReader } from "./lib/proof/engine/artifact-loader.js";
export { circuitsFromManifest, parseManifest, resolveArtifactUrl } from "./lib/proof/engine/manifest.js";
export type { CircuitManifest, ManifestCircuit, ManifestArtifact } from "./lib/proof/engine/manifest.js";
export { browserWorkerFactory, wrapWebWorker } from "./lib/proof/engine/worker-factory.js";
export type { WorkerFactory, WorkerHandle, WorkerDeath } from "./lib/proof/engine/worker-pool.js";

// --- EBSL reference ---
export {
  ATTESTATION_TYPES,
  DEFAULT_SUM_TOLERANCE,
  MAX_TIME_EXCLUSIVE,
  MAX_WEIGHT,
  validateAttestation,
  validateAttestations,
  evidenceToOpinion,
  opinionToEvidence,
  PRIOR_WEIGHT,
  idToField,
  isHexId,
  sameId,
  encodeAttestation,
  toMicro,
  assertPublicInRange,
  assertSlotInRange,
  computeCircuitOutputs,
  DEFAULT_BASE_RATE,
  EMPTY_SLOT,
  FIELD_ORDER,
  MAX_THRESHOLD,
  SCALE,
  slotCounts,
  W,
  WP,
  commitSlots,
  packSlot,
  parsePublicSignals,
  PUBLIC_SIGNAL_ORDER,
  toCircuitSignals,
  countsFor,
  fuseAttestations,
  fusedOpinionFromOutputs,
  fuseWeighted,
  NEUTRAL_BASE_RATE,
  score,
  fuseCompat,
  reputationCompat,
  buildCircuitInput,
  compareSlots,
  DEFAULT_THRESHOLD,
  selectVariant,
} from "./lib/proof/ebsl/index.js";
export type {
  ValidateAttestationsOptions,
  Evidence,
  EbslCircuitInput,
  NamedPublicSignals,
  PublicSignalName,
  FusionContext,
  WeightedOpinion,
  CircuitInputRequest,
  CircuitInput as EbslSlotInput,
} from "./lib/proof/ebsl/index.js";

// --- pipeline and facade ---
export { ProofAPI, createProofAPI } from "./lib/proof/pipeline/proof-api.js";
export type { ProofRequest, ProofStores, RequestProofOptions, VerifiableResult } from "./lib/proof/pipeline/proof-api.js";
export { DEFAULTS as PROOF_API_DEFAULTS, resolveOptions as resolveProofAPIOptions } from "./lib/proof/pipeline/options.js";
export type { ProofAPIOptions, ResolvedProofAPIOptions, BeforeQueueHook, QueueCandidate } from "./lib/proof/pipeline/options.js";
export { planEbslRequest, ebslVariants } from "./lib/proof/pipeline/ebsl-plan.js";
export type { ProofType, EbslProofResult, EbslRequestOptions, EbslVariant, PreparedEbslVariant } from "./lib/proof/pipeline/ebsl-plan.js";
export { assertPublicSignals } from "./lib/proof/pipeline/request-plan.js";
export type { RequestPlan, PreparedVariant, RunSummary } from "./lib/proof/pipeline/request-plan.js";
export { ProofPipeline } from "./lib/proof/pipeline/proof-pipeline.js";
export { ProgressTracker } from "./lib/proof/pipeline/progress-tracker.js";
export type { PredictionProvider } from "./lib/proof/pipeline/progress-tracker.js";
export type { RequestRecord } from "./lib/proof/pipeline/request-registry.js";
export { LifecycleEmitter } from "./lib/proof/pipeline/lifecycle-events.js";
export type {
  ProofLifecycleEvent,
  ProofLifecycleListener,
  RequestRejectedEvent,
  RequestAcceptedEvent,
  StageChangedEvent,
  AttemptFailedEvent,
  FallbackEvent,
  RequestCompletedEvent,
  RequestFailedEvent,
  RequestCancelledEvent,
} from "./lib/proof/pipeline/lifecycle-events.js";
export { resultHash, resultHashPreimage } from "./lib/proof/pipeline/result-hash.js";
export { lazyProofAPI } from "./lib/proof/pipeline/lazy-proof-api.js";
export type { LazyProofAPI } from "./lib/proof/pipeline/lazy-proof-api.js";
export { browserProofAPIOptions, bundledManifest } from "./lib/proof/pipeline/browser-defaults.js";
export { TRUST_DEFAULTS, resolveTrustOptions } from "./lib/proof/pipeline/trust-options.js";
export type { TrustOptions, ProofCacheConfig, RateLimitConfig, ResolvedTrustOptions, ResolvedCacheConfig } from "./lib/proof/pipeline/trust-options.js";
export { CachedProving, checkProof, createProofCache } from "./lib/proof/pipeline/cached-proving.js";
export type { CachedProofInfo, ProofSource, SourcedProof } from "./lib/proof/pipeline/cached-proving.js";
export { AccessGate } from "./lib/proof/pipeline/access-gate.js";
export { createTrustRecorder } from "./lib/proof/pipeline/trust-recorder.js";
export type { RerandomizeCallOptions } from "./lib/proof/engine/prover.js";

// --- trust layer: hashing, signal checks, cache, re-randomisation, metrics, access, audit, Sentry ---
export {
  canonicalJson,
  proofHash,
  proofHashPreimage,
  hasValidProofHash,
  sha256HexSync,
  checkPublicSignals,
  checkNamedPublicSignals,
  ProofCache,
  cacheKey,
  PROOF_CACHE_DEFAULTS,
  createMemoryCacheBackend,
  createIdbCacheBackend,
  rerandomizeProof,
  loadBn128,
  randomScalar,
  RingBuffer,
  nearestRank,
  summarize,
  ProofMetrics,
  DURATION_KINDS,
  toPrometheusText,
  escapeLabelValue,
  defaultMemoryProbe,
  RateLimiter,
  RATE_LIMITER_DEFAULTS,
  AccessList,
  normalizeUserId,
  AuditLog,
  auditEntryHash,
  verifyAuditChain,
  GENESIS_HASH,
  GENESIS_ANCHOR,
  createSentryTelemetry,
  createSentryScrubber,
  scrubSentryEvent,
  DEFAULT_ALLOWED_CONTEXTS,
} from "./lib/proof/trust/index.js";
export type {
  HashedProof,
  ExpectedSignal,
  PublicSignalCheckOptions,
  CacheOutcome,
  CacheStats,
  ComputedProof,
  ProofCacheOptions,
  CachedProof,
  PersistentCacheBackend,
  IdbCacheBackendOptions,
  Bn128Curve,
  RerandomizeOptions,
  VkeyDelta,
  SampleSummary,
  DurationKind,
  DurationMetrics,
  GroupMetrics,
  JobOutcome,
  JobRecord,
  MetricsOptions,
  MetricsSnapshot,
  Prediction,
  MemoryProbe,
  MemoryUsage,
  RateLimiterOptions,
  AccessDecision,
  AccessListOptions,
  AuditAnchor,
  AuditEntry,
  AuditEvent,
  AuditEventType,
  AuditLogOptions,
  AuditVerification,
  SentryLike,
  SentryTelemetry,
  SentryScrubberOptions,
  StageBreadcrumb,
  ErrorContext,
} from "./lib/proof/trust/index.js";

import { artifactsBaseFromPage } from "./lib/proof/pipeline/artifacts-meta.js";
import { createBrowserProofAPI } from "./lib/proof/pipeline/browser-defaults.js";
import { lazyProofAPI as makeLazy } from "./lib/proof/pipeline/lazy-proof-api.js";
import type { ProofAPIOptions as Options } from "./lib/proof/pipeline/options.js";

// A variable, not a literal: bundlers rewrite `new URL("literal", import.meta.url)` into an
// emitted asset, and this is a directory. This file sits one level below the package root in
// both src/ and dist/, so "../circuits/" is the package's circuits/ directory either way.
const PACKAGE_CIRCUITS = "../circuits/";

/**
 * A browser proof API: bundled manifest, Web Workers that fetch, check and store (IndexedDB) the
 * artifacts. Where the artifacts are: `artifactsBaseUrl` when given (the folder that holds
 * `build/`), else the page's `<meta name="proofline-artifacts">` (the `proofline/vite` plugin adds
 * it and serves the files), else the package's circuits/ next to dist/.
 * @example const api = createDefaultProofAPI({ artifactsBaseUrl: "https://cdn.example/circuits/" });
 */
export function createDefaultProofAPI(options: Options = {}) {
  return createBrowserProofAPI(options, artifactsBaseFromPage() ?? new URL(PACKAGE_CIRCUITS, import.meta.url));
}

/**
 * The default instance, created on first use with `createDefaultProofAPI()`.
 * @example const result = await proofAPI.requestProof(attestations, "exact", { priority: ProofPriority.HIGH });
 */
export const proofAPI = makeLazy(() => createDefaultProofAPI());
