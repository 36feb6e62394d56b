/**
 * The proofline error taxonomy. Every failure that reaches a caller is a `ProofError` whose
 * literal `code` says what happened; callers switch on `code`, never on `message`.
 *
 * Severity and recoverability live in ONE table (`ERROR_POLICY`) so retry and fallback
 * decisions are data, not scattered `if`s. Messages and `details` must never contain private
 * inputs (attestations, witnesses): only counts, indices, field names, circuit ids, codes.
 */

export type Severity = "low" | "medium" | "high" | "critical";

/**
 * - `retryable`: the same job may succeed if run again (transient network, worker hiccup).
 * - `fallback`: the device could not take this circuit; a smaller variant may succeed.
 * - `fatal`: running again cannot help (bad input, cancelled, tampered artifact).
 */
export type Recoverability = "retryable" | "fallback" | "fatal";

export interface ErrorPolicy {
  readonly severity: Severity;
  readonly recoverability: Recoverability;
  readonly description: string;
}

/** The single source of truth for every error code. */
export const ERROR_POLICY = {
  VALIDATION_ERROR: { severity: "low", recoverability: "fatal", description: "Input rejected before any work was queued." },
  CIRCUIT_NOT_FOUND: { severity: "high", recoverability: "fatal", description: "No circuit with that id in the manifest." },
  CIRCUIT_CAPACITY_EXCEEDED: { severity: "medium", recoverability: "fatal", description: "More inputs than the largest allowed circuit holds." },
  WITNESS_CONSTRAINT_FAILED: { severity: "medium", recoverability: "fatal", description: "The circuit rejected the input (an assert failed while computing the witness)." },
  WITNESS_INPUT_INVALID: { severity: "medium", recoverability: "fatal", description: "Input signals missing, extra, or out of the field range." },
  PROVING_FAILED: { severity: "high", recoverability: "retryable", description: "snarkjs failed while proving." },
  RESOURCE_EXHAUSTED: { severity: "high", recoverability: "fallback", description: "Out of memory (WebAssembly or heap) while proving." },
  WORKER_CRASHED: { severity: "high", recoverability: "fallback", description: "The prover worker died during the job." },
  WORKER_START_FAILED: { severity: "critical", recoverability: "fatal", description: "Workers repeatedly failed to start; respawning stopped." },
  TIMEOUT: { severity: "high", recoverability: "fallback", description: "The job exceeded its time budget; its worker was replaced." },
  NETWORK_ERROR: { severity: "medium", recoverability: "retryable", description: "An artifact download failed." },
  ARTIFACT_INTEGRITY: { severity: "critical", recoverability: "fatal", description: "An artifact's size or SHA-256 differs from the pinned manifest, also after one clean re-download." },
  ARTIFACT_INVALID: { severity: "critical", recoverability: "fatal", description: "An artifact cannot be used although its bytes match the pin: it does not parse, or it belongs to another circuit." },
  ARTIFACT_NOT_FOUND: { severity: "high", recoverability: "fatal", description: "An artifact URL answered with something that is not the artifact (HTTP 404/410/403, or an HTML page): check artifactsBaseUrl." },
  STORAGE_ERROR: { severity: "low", recoverability: "retryable", description: "Persistent storage (IndexedDB) failed; artifacts stay in memory only." },
  VERIFICATION_FAILED: { severity: "critical", recoverability: "fatal", description: "A proof did not verify against the pinned verification key." },
  PUBLIC_SIGNAL_MISMATCH: { severity: "critical", recoverability: "fatal", description: "A proof's public signals do not match the request." },
  QUEUE_FULL: { severity: "medium", recoverability: "fatal", description: "The queue is at its bound; try again later." },
  RATE_LIMITED: { severity: "low", recoverability: "fatal", description: "This user exceeded the proof rate limit; see retryAfterMs." },
  ACCESS_DENIED: { severity: "medium", recoverability: "fatal", description: "This user is blocked or not on the allow list." },
  CANCELLED: { severity: "low", recoverability: "fatal", description: "The caller cancelled the job." },
  DISPOSED: { severity: "low", recoverability: "fatal", description: "The prover was disposed." },
  SYSTEM_ERROR: { severity: "high", recoverability: "fatal", description: "An unexpected failure with no better classification." },
} as const satisfies Record<string, ErrorPolicy>;

export type ProofErrorCode = keyof typeof ERROR_POLICY;
export const PROOF_ERROR_CODES = Object.keys(ERROR_POLICY) as ProofErrorCode[];

/** Details are safe to log: numbers, short strings, booleans. Never private inputs. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean | null | undefined>>;

type Artifact = "wasm" | "zkey" | "vkey";

/**
 * The fields some codes carry in `details`, typed so a caller can read them without casts
 * (`if (e instanceof RateLimitError) wait(e.details.retryAfterMs)`). Every field is optional:
 * an error rebuilt from another thread or made by a custom prover may lack any of them.
 */
export interface ErrorDetailsByCode {
  VALIDATION_ERROR: { field?: string; index?: number | null; reason?: string };
  CIRCUIT_NOT_FOUND: { circuitId?: string };
  CIRCUIT_CAPACITY_EXCEEDED: { count?: number; capacity?: number };
  WITNESS_CONSTRAINT_FAILED: { circuitId?: string; template?: string; line?: number };
  WITNESS_INPUT_INVALID: { circuitId?: string; signal?: string; field?: string; reason?: string };
  WORKER_CRASHED: { workerId?: number; kind?: string; exitCode?: number };
  WORKER_START_FAILED: { kind?: string; exitCode?: number; timeoutMs?: number; /** The dead worker's own error code (Node's ERR_*), when it died while starting. */ workerErrorCode?: string };
  TIMEOUT: { circuitId?: string; timeoutMs?: number };
  NETWORK_ERROR: { circuitId?: string; artifact?: Artifact; url?: string; status?: number | null; /** The failure underneath, e.g. "TypeError: Failed to fetch". */ reason?: string };
  ARTIFACT_INTEGRITY: { circuitId?: string; artifact?: Artifact; url?: string; expectedBytes?: number; actualBytes?: number; attempts?: number };
  ARTIFACT_INVALID: { circuitId?: string; artifact?: Artifact };
  ARTIFACT_NOT_FOUND: { circuitId?: string; artifact?: Artifact; url?: string; status?: number; contentType?: string; expectedBytes?: number; receivedBytes?: number };
  PUBLIC_SIGNAL_MISMATCH: { circuitId?: string; index?: number; expected?: string; actual?: string | null; expectedLength?: number; actualLength?: number };
  QUEUE_FULL: { bound?: number; size?: number };
  RATE_LIMITED: { retryAfterMs?: number; limit?: number; windowMs?: number };
  ACCESS_DENIED: { reason?: string };
  CANCELLED: { requestId?: string; stage?: string };
}

/** `details` of an error with code `C`: its typed fields, plus any other safe field. */
export type DetailsOf<C extends ProofErrorCode> = C extends keyof ErrorDetailsByCode ? Readonly<ErrorDetailsByCode[C]> & ErrorDetails : ErrorDetails;

/** The shape an error takes across the worker boundary (comlink drops custom fields). */
export interface WireError {
  code: ProofErrorCode;
  message: string;
  details?: ErrorDetails;
}

export interface ProofErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
}

/**
 * The class behind every proofline error. Callers meet it through {@link ProofError}, the union
 * of its instances by code, which is what makes `switch (e.code)` narrow `e.details`.
 */
export class ProofErrorOf<C extends ProofErrorCode = ProofErrorCode> extends Error {
  override readonly name: string = "ProofError";
  readonly code: C;
  readonly details: DetailsOf<C>;

  constructor(code: C, message: string, options: ProofErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = (options.details ?? {}) as DetailsOf<C>;
  }

  get severity(): Severity {
    return ERROR_POLICY[this.code].severity;
  }

  get recoverability(): Recoverability {
    return ERROR_POLICY[this.code].recoverability;
  }

  toWire(): WireError {
    return { code: this.code, message: this.message, details: this.details };
  }

  toJSON(): WireError & { name: string; severity: Severity; recoverability: Recoverability } {
    return { name: this.name, ...this.toWire(), severity: this.severity, recoverability: this.recoverability };
  }
}

/**
 * Any proofline error: a union discriminated by `code`, so that after `e instanceof ProofError`
 * (or `isProofError(e)`), `switch (e.code) { case "RATE_LIMITED": e.details.retryAfterMs }` is
 * typed. `ProofError<"RATE_LIMITED">` is the error of one code.
 */
export type ProofError<C extends ProofErrorCode = ProofErrorCode> = C extends ProofErrorCode ? ProofErrorOf<C> : never;

/** `ProofError`'s constructor: `instanceof` narrows to the union, whose members the code tells apart. */
export interface ProofErrorConstructor {
  new <C extends ProofErrorCode>(code: C, message: string, options?: ProofErrorOptions): ProofError<C>;
  readonly prototype: ProofError;
}

export const ProofError: ProofErrorConstructor = ProofErrorOf as unknown as ProofErrorConstructor;

/**
 * The constructor of one error class. Declared as an interface (not inferred from a class
 * expression) so the emitted types carry nothing of the host's `Error` statics (Node's
 * `prepareStackTrace` would otherwise make every consumer need @types/node).
 */
export interface ProofErrorClass<C extends ProofErrorCode> {
  new (message?: string, options?: ProofErrorOptions): ProofError<C>;
  readonly prototype: ProofError<C>;
}

function defineError<C extends ProofErrorCode>(code: C, name: string): ProofErrorClass<C> {
  const cls = class extends ProofErrorOf<C> {
    override readonly name = name;
    constructor(message: string = ERROR_POLICY[code].description, options?: ProofErrorOptions) {
      super(code, message, options);
    }
  };
  Object.defineProperty(cls, "name", { value: name });
  return cls as unknown as ProofErrorClass<C>;
}

// Each class is also a type of the same name (`let e: ValidationError`, `catch (e) { if (e
// instanceof ValidationError) e.code /* "VALIDATION_ERROR" */ }`).
export const ValidationError = defineError("VALIDATION_ERROR", "ValidationError");
export type ValidationError = ProofError<"VALIDATION_ERROR">;
export const CircuitNotFoundError = defineError("CIRCUIT_NOT_FOUND", "CircuitNotFoundError");
export type CircuitNotFoundError = ProofError<"CIRCUIT_NOT_FOUND">;
export const CapacityExceededError = defineError("CIRCUIT_CAPACITY_EXCEEDED", "CapacityExceededError");
export type CapacityExceededError = ProofError<"CIRCUIT_CAPACITY_EXCEEDED">;
export const WitnessConstraintError = defineError("WITNESS_CONSTRAINT_FAILED", "WitnessConstraintError");
export type WitnessConstraintError = ProofError<"WITNESS_CONSTRAINT_FAILED">;
export const WitnessInputError = defineError("WITNESS_INPUT_INVALID", "WitnessInputError");
export type WitnessInputError = ProofError<"WITNESS_INPUT_INVALID">;
export const ProvingError = defineError("PROVING_FAILED", "ProvingError");
export type ProvingError = ProofError<"PROVING_FAILED">;
export const ResourceExhaustedError = defineError("RESOURCE_EXHAUSTED", "ResourceExhaustedError");
export type ResourceExhaustedError = ProofError<"RESOURCE_EXHAUSTED">;
export const WorkerCrashedError = defineError("WORKER_CRASHED", "WorkerCrashedError");
export type WorkerCrashedError = ProofError<"WORKER_CRASHED">;
export const WorkerStartError = defineError("WORKER_START_FAILED", "WorkerStartError");
export type WorkerStartError = ProofError<"WORKER_START_FAILED">;
export const TimeoutError = defineError("TIMEOUT", "TimeoutError");
export type TimeoutError = ProofError<"TIMEOUT">;
export const NetworkError = defineError("NETWORK_ERROR", "NetworkError");
export type NetworkError = ProofError<"NETWORK_ERROR">;
export const IntegrityError = defineError("ARTIFACT_INTEGRITY", "IntegrityError");
export type IntegrityError = ProofError<"ARTIFACT_INTEGRITY">;
export const ArtifactInvalidError = defineError("ARTIFACT_INVALID", "ArtifactInvalidError");
export type ArtifactInvalidError = ProofError<"ARTIFACT_INVALID">;
export const ArtifactNotFoundError = defineError("ARTIFACT_NOT_FOUND", "ArtifactNotFoundError");
export type ArtifactNotFoundError = ProofError<"ARTIFACT_NOT_FOUND">;
export const StorageError = defineError("STORAGE_ERROR", "StorageError");
export type StorageError = ProofError<"STORAGE_ERROR">;
export const VerificationError = defineError("VERIFICATION_FAILED", "VerificationError");
export type VerificationError = ProofError<"VERIFICATION_FAILED">;
export const PublicSignalMismatchError = defineError("PUBLIC_SIGNAL_MISMATCH", "PublicSignalMismatchError");
export type PublicSignalMismatchError = ProofError<"PUBLIC_SIGNAL_MISMATCH">;
export const QueueFullError = defineError("QUEUE_FULL", "QueueFullError");
export type QueueFullError = ProofError<"QUEUE_FULL">;
export const RateLimitError = defineError("RATE_LIMITED", "RateLimitError");
export type RateLimitError = ProofError<"RATE_LIMITED">;
export const AccessDeniedError = defineError("ACCESS_DENIED", "AccessDeniedError");
export type AccessDeniedError = ProofError<"ACCESS_DENIED">;
export const CancelledError = defineError("CANCELLED", "CancelledError");
export type CancelledError = ProofError<"CANCELLED">;
export const DisposedError = defineError("DISPOSED", "DisposedError");
export type DisposedError = ProofError<"DISPOSED">;
export const SystemError = defineError("SYSTEM_ERROR", "SystemError");
export type SystemError = ProofError<"SYSTEM_ERROR">;

const BY_CODE: { [C in ProofErrorCode]: new (message?: string, options?: ProofErrorOptions) => ProofError<C> } = {
  VALIDATION_ERROR: ValidationError,
  CIRCUIT_NOT_FOUND: CircuitNotFoundError,
  CIRCUIT_CAPACITY_EXCEEDED: CapacityExceededError,
  WITNESS_CONSTRAINT_FAILED: WitnessConstraintError,
  WITNESS_INPUT_INVALID: WitnessInputError,
  PROVING_FAILED: ProvingError,
  RESOURCE_EXHAUSTED: ResourceExhaustedError,
  WORKER_CRASHED: WorkerCrashedError,
  WORKER_START_FAILED: WorkerStartError,
  TIMEOUT: TimeoutError,
  NETWORK_ERROR: NetworkError,
  ARTIFACT_INTEGRITY: IntegrityError,
  ARTIFACT_INVALID: ArtifactInvalidError,
  ARTIFACT_NOT_FOUND: ArtifactNotFoundError,
  STORAGE_ERROR: StorageError,
  VERIFICATION_FAILED: VerificationError,
  PUBLIC_SIGNAL_MISMATCH: PublicSignalMismatchError,
  QUEUE_FULL: QueueFullError,
  RATE_LIMITED: RateLimitError,
  ACCESS_DENIED: AccessDeniedError,
  CANCELLED: CancelledError,
  DISPOSED: DisposedError,
  SYSTEM_ERROR: SystemError,
};

/** Build the typed error for a code (used when rebuilding errors that crossed a boundary). */
export function createProofError<C extends ProofErrorCode>(code: C, message?: string, options?: ProofErrorOptions): ProofError<C> {
  const Ctor = BY_CODE[code] as new (message?: string, options?: ProofErrorOptions) => ProofError<C>;
  return new Ctor(message, options);
}

export function isProofErrorCode(value: unknown): value is ProofErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_POLICY, value);
}

export function isProofError(value: unknown): value is ProofError {
  return value instanceof ProofError;
}

/** Rebuild a typed error from its wire form; unknown codes become SYSTEM_ERROR. */
export function fromWire(wire: WireError): ProofError {
  const code = isProofErrorCode(wire.code) ? wire.code : "SYSTEM_ERROR";
  return createProofError(code, wire.message, wire.details ? { details: wire.details } : {});
}
