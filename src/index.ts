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
export type * from "./lib/proof/engine/types.js";
export type * from "./lib/proof/ebsl/types.js";
