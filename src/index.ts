/**
 * proofline — Groth16 proofs in the browser without freezing the page: the facade, its statuses
 * and priorities, typed errors, and the generic prover for any circom circuit.
 *
 * This is the whole browser surface; every name is a promise to keep, and tests/unit/exports
 * lists them so a new one is a decision. EBSL helpers live in `proofline/ebsl`, Node wiring in
 * `proofline/node`, the Vite plugin in `proofline/vite`, fault injection in `proofline/testing`.
 * Importing starts nothing (no workers, timers or IndexedDB) until first use.
 */
export {
  ProofError,
  PROOF_ERROR_CODES,
  isProofError,
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
  ArtifactNotFoundError,
  StorageError,
  VerificationError,
  PublicSignalMismatchError,
  QueueFullError,
  RateLimitError,
  AccessDeniedError,
  CancelledError,
  DisposedError,
  SystemError,
} from "./lib/proof/core/errors.js";
export type { ProofErrorCode, ProofErrorClass, ProofErrorOptions, ErrorDetails, ErrorDetailsByCode, DetailsOf, Severity, Recoverability } from "./lib/proof/core/errors.js";

export { ProofPriority } from "./lib/proof/request/priority-queue.js";
export type { QueueStats } from "./lib/proof/request/priority-queue.js";
export { ProofStatus } from "./lib/proof/request/request-types.js";
export { isTerminalStatus } from "./lib/proof/request/request-state.js";
export type { PipelineStage, ProgressEvent, ByteProgress } from "./lib/proof/request/request-types.js";
export type { Readable, Subscriber, Unsubscriber } from "./lib/proof/core/store.js";
export type { JobSnapshot, RequestRecord } from "./lib/proof/request/request-state.js";

export type { ProofAPI, ProofRequest, ProofStores, RequestProofOptions, VerifiableResult } from "./lib/proof/client/proof-api.js";
export type { ProofAPIOptions, BeforeQueueHook, QueueCandidate } from "./lib/proof/client/options.js";
export type { TrustOptions, ProofCacheConfig, RateLimitConfig } from "./lib/proof/client/trust-options.js";
export type { ProofType, EbslProofResult, EbslRequestOptions } from "./lib/proof/ebsl/ebsl-plan.js";
export type { ProofLifecycleEvent, ProofLifecycleListener } from "./lib/proof/request/lifecycle-events.js";
export type { Attestation, AttestationType, Opinion } from "./lib/proof/ebsl/types.js";
export type { CacheStats } from "./lib/proof/cache/proof-cache.js";
export type { PersistentCacheBackend, CachedProof } from "./lib/proof/cache/cache-backend.js";
export type { MetricsSnapshot } from "./lib/proof/observability/metrics.js";
export type { AuditEntry, AuditVerification } from "./lib/proof/observability/audit-log.js";
// Check an audit log exported with getAuditLog() somewhere else (a server): edits and gaps.
export { verifyAuditChain } from "./lib/proof/observability/audit-log.js";

// The generic prover: any circom circuit from pinned artifacts.
export { createProver } from "./lib/proof/engine/prover.js";
export type { Prover, ProverOptions, CallOptions, RerandomizeCallOptions } from "./lib/proof/engine/prover.js";
export { workerArtifacts } from "./lib/proof/engine/artifacts/circuit-loading.js";
export { circuitsFromManifest, parseManifest } from "./lib/proof/engine/artifacts/manifest.js";
export type { CircuitManifest, ManifestCircuit, ManifestArtifact } from "./lib/proof/engine/artifacts/manifest.js";
export type {
  ArtifactRef,
  ArtifactKind,
  ArtifactProgress,
  ArtifactSource,
  LoadedArtifacts,
  LoadOptions,
  WorkerArtifacts,
  CircuitDefinition,
  CircuitInput,
  SignalValue,
  Groth16Proof,
  ProvePhase,
  ProveProgress,
  ProveTimings,
  ProveResult,
  ProveOptions,
} from "./lib/proof/engine/types.js";
export type { WorkerFactory, WorkerHandle, WorkerDeath } from "./lib/proof/engine/pool/worker-pool.js";
export { bundledManifest } from "./lib/proof/client/browser-defaults.js";
export { resultHash } from "./lib/proof/core/content-hash.js";

// Telemetry: Sentry without private inputs.
export { createSentryTelemetry, scrubSentryEvent } from "./lib/proof/observability/sentry-integration.js";
export type { SentryLike, SentryTelemetry } from "./lib/proof/observability/sentry-integration.js";

import { artifactsBaseFromPage, packageFallbackWarning } from "./lib/proof/client/artifacts-meta.js";
import { createBrowserProofAPI } from "./lib/proof/client/browser-defaults.js";
import { lazyProofAPI as makeLazy } from "./lib/proof/client/lazy-proof-api.js";
import type { ProofAPIOptions as Options } from "./lib/proof/client/options.js";
import type { ProofAPI } from "./lib/proof/client/proof-api.js";

// A variable, not a literal: bundlers rewrite `new URL("literal", import.meta.url)` into an
// emitted asset, and this is a directory. From node_modules/proofline/dist/ this is the circuits
// package installed beside proofline (node_modules/@proofline/circuits/).
const PACKAGE_CIRCUITS = "../../@proofline/circuits/";

/**
 * A browser proof API: bundled manifest, Web Workers that fetch, check and store (IndexedDB) the
 * artifacts. Where the artifacts are: `artifactsBaseUrl` when given (the folder that holds
 * `build/`), else the page's `<meta name="proofline-artifacts">` (the `proofline/vite` plugin adds
 * it and serves `@proofline/circuits`'s files), else `@proofline/circuits` beside proofline in node_modules.
 * @example const api = createProofAPI({ artifactsBaseUrl: "https://cdn.example/circuits/" });
 */
export function createProofAPI(options: Options = {}): ProofAPI {
  const declared = artifactsBaseFromPage();
  const base = declared ?? new URL(PACKAGE_CIRCUITS, import.meta.url);
  const bundledCircuits = options.circuits === undefined && options.manifest === undefined;
  if (declared === undefined && options.artifactsBaseUrl === undefined && bundledCircuits) console.warn(packageFallbackWarning(base));
  return createBrowserProofAPI(options, base);
}

/**
 * The default instance, created on first use with `createProofAPI()`.
 * @example const result = await proofAPI.requestProof(attestations, "exact", { priority: ProofPriority.HIGH });
 */
export const proofAPI = makeLazy(() => createProofAPI());
