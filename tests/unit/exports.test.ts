/**
 * Every runtime export of every entry, listed: adding one is a visible decision (a semver promise),
 * not a side effect of a re-export. Types are checked by the consumer-types integration test.
 */
// @vitest-environment node
import { describe, expect, it } from "vitest";

const names = (m: object) => Object.keys(m).sort();

/** ProofError and one subclass per code: each is also a type of the same name. */
const ERROR_CLASSES = [
      "AccessDeniedError",
      "ArtifactInvalidError",
      "ArtifactNotFoundError",
      "CancelledError",
      "CapacityExceededError",
      "CircuitNotFoundError",
      "DisposedError",
      "IntegrityError",
      "NetworkError",
      "ProofError",
      "ProvingError",
      "PublicSignalMismatchError",
      "QueueFullError",
      "RateLimitError",
      "ResourceExhaustedError",
      "StorageError",
      "SystemError",
      "TimeoutError",
      "ValidationError",
      "VerificationError",
      "WitnessConstraintError",
      "WitnessInputError",
      "WorkerCrashedError",
      "WorkerStartError",
    ];

describe("public surface", () => {
  it("proofline (browser): the facade, statuses, errors, the generic prover, manifest helpers, telemetry", async () => {
    const root = await import("../../src/index.js");
    expect(names(root)).toEqual([...ERROR_CLASSES, ...[
      "PROOF_ERROR_CODES",
      "ProofPriority",
      "ProofStatus",
      "bundledManifest",
      "circuitsFromManifest",
      "createProofAPI",
      "createProver",
      "createSentryTelemetry",
      "isProofError",
      "isTerminalStatus",
      "parseManifest",
      "proofAPI",
      "resultHash",
      "scrubSentryEvent",
      "verifyAuditChain",
      "workerArtifacts",
    ]].sort());
  });

  it("proofline/node: the same names on Node defaults, plus the Node wiring", async () => {
    const node = await import("../../src/node.js");
    const root = await import("../../src/index.js");
    expect(names(node)).toEqual([...names(root), ...[
      "createArtifactLoader",
      "createNodeArtifactReader",
      "createNodeProofAPI",
      "createNodeWorkerFactory",
      "packageCircuitsDir",
    ]].sort());
  });

  it("proofline/ebsl: the EBSL reference", async () => {
    expect(names(await import("../../src/ebsl.js"))).toEqual([
      "ATTESTATION_TYPES",
      "DEFAULT_THRESHOLD",
      "ENTRY_CAPACITY",
      "PUBLIC_SIGNAL_ORDER",
      "SCALE",
      "buildCircuitInput",
      "commitSlots",
      "computeCircuitOutputs",
      "createRegistry",
      "fuseAttestations",
      "fuseCompat",
      "idToField",
      "loadRegistry",
      "parsePublicSignals",
      "reputationCompat",
      "score",
      "selectVariant",
      "toCircuitSignals",
      "validateAttestations",
    ]);
  });

  it("proofline/testing: fault injection and test doubles", async () => {
    expect(names(await import("../../src/testing.js"))).toEqual([
      "FAULT_MARKER",
      "FaultSchedule",
      "NETWORK_FAULT_KINDS",
      "STORAGE_FAULT_KINDS",
      "WORKER_FAULT_KINDS",
      "auditEntryHash",
      "createFaultInjector",
      "createFaultWorkerFactory",
      "createFaultyFetch",
      "createFaultyStore",
      "createMemoryCacheBackend",
      "createNodeFaultWorkerFactory",
      "exhaustWasmMemory",
      "installWasmPageCap",
      "seededRandom",
      "validateFaultPlan",
      "withFaultSchedule",
    ]);
  });

  it("proofline/vite: the plugin", async () => {
    expect(names(await import("../../src/vite.js"))).toEqual([
      "ARTIFACTS_PATH",
      "proofline",
    ]);
  });

  it("every error class is its code's class, and PROOF_ERROR_CODES lists each code once", async () => {
    const root = (await import("../../src/index.js")) as unknown as Record<string, new () => { code: string }> & { PROOF_ERROR_CODES: readonly string[] };
    const codes = ERROR_CLASSES.filter((n) => n !== "ProofError").map((n) => new root[n]!().code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...root.PROOF_ERROR_CODES].sort());
  });
});
