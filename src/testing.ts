/**
 * `proofline/testing`: fault injection for test suites, the evidence pack and load campaigns.
 * NOT for production. Faults exist only in this entry and in its own worker files
 * (dist/prover.fault-worker.js, dist/prover.fault-node-worker.js); the production entries
 * (`proofline`, `proofline/node`) and workers import none of it and have no switch that could
 * turn a fault on. tests/integration/fault-isolation.test.ts checks the built files.
 *
 * @example
 * import { Worker } from "node:worker_threads";
 * import { createNodeProofAPI } from "proofline/node";
 * import { createNodeFaultWorkerFactory } from "proofline/testing";
 * const workerFactory = createNodeFaultWorkerFactory({ kind: "crash", probability: 0.1, seed: 7 }, { Worker });
 * const api = createNodeProofAPI({ workerFactory });
 */
export {
  FAULT_MARKER,
  FaultSchedule,
  NETWORK_FAULT_KINDS,
  STORAGE_FAULT_KINDS,
  WORKER_FAULT_KINDS,
  seededRandom,
  validateFaultPlan,
} from "./lib/proof/testing/fault-plan.js";
export type {
  FaultKind,
  FaultLog,
  FaultPlan,
  FaultRecord,
  FaultTarget,
  NetworkFaultKind,
  StorageFaultKind,
  WorkerFaultKind,
} from "./lib/proof/testing/fault-plan.js";
export { createFaultyFetch } from "./lib/proof/testing/faulty-fetch.js";
export type { FaultyFetch, FetchFn } from "./lib/proof/testing/faulty-fetch.js";
export { createFaultyStore } from "./lib/proof/testing/faulty-store.js";
export type { FaultyStore } from "./lib/proof/testing/faulty-store.js";
export { createFaultWorkerFactory, createNodeFaultWorkerFactory, withFaultSchedule } from "./lib/proof/testing/fault-worker-factory.js";
export type {
  FaultWorkerFactory,
  FaultWorkerFactoryOptions,
  FaultWorkerOptions,
  NodeFaultWorkerFactoryOptions,
  NodeWorkerClass,
  NodeWorkerLike,
} from "./lib/proof/testing/fault-worker-factory.js";
export { createFaultInjector, exhaustWasmMemory } from "./lib/proof/testing/fault-worker-core.js";
export type { ArmedFault, FaultInjector, FaultInjectorHooks, FaultWorkerApi } from "./lib/proof/testing/fault-worker-core.js";
export { installWasmPageCap } from "./lib/proof/testing/wasm-page-cap.js";

// The audit entry hash, to forge entries in tests of a verifier.
export { auditEntryHash } from "./lib/proof/observability/audit-log.js";

// An in-memory stand-in for the proof cache's persistent store (`cache: { persist: ... }`).
export { createMemoryCacheBackend } from "./lib/proof/cache/cache-backend.js";
export type { PersistentCacheBackend, CachedProof } from "./lib/proof/cache/cache-backend.js";
