// The evidence items, in report order (NN in the file names).
import { artifactCaching, artifactIntegrity, storageFaults, workerSideArtifacts } from "./artifacts.mjs";
import { adaptiveThreads, bn254Backend, memoryBudget } from "./engine.mjs";
import { circuitFallback, retryTransient, workerCrashRecovery } from "./faults.mjs";
import { exactProof, tamperDetection, thresholdProof } from "./proofs.mjs";
import { cancellation, priorityOrdering } from "./scheduling.mjs";
import { hostileZkey } from "./hostile-zkey.mjs";
import { TRUST_ITEMS } from "./trust.mjs";
import { serviceApiKill, serviceBatchVerify, serviceRedisRestart, serviceWorkerKill } from "./service.mjs";
import { onchainClaim } from "./onchain.mjs";

const [proofCacheDedup, rateLimiting, auditChain, telemetryScrubbing] = TRUST_ITEMS;

export const ITEMS = [
  exactProof,
  thresholdProof,
  artifactIntegrity,
  artifactCaching,
  proofCacheDedup,
  priorityOrdering,
  cancellation,
  retryTransient,
  circuitFallback,
  workerCrashRecovery,
  rateLimiting,
  auditChain,
  tamperDetection,
  telemetryScrubbing,
  storageFaults,
  workerSideArtifacts,
  adaptiveThreads,
  bn254Backend,
  serviceBatchVerify,
  serviceWorkerKill,
  serviceRedisRestart,
  serviceApiKill,
  hostileZkey,
  memoryBudget,
  onchainClaim,
];
