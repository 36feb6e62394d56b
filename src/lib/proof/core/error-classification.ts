/**
 * The ONE place in proofline that reads error messages. Anything thrown (snarkjs, the circom
 * witness runtime, WebAssembly, fetch, IndexedDB, DOMExceptions, wire errors from a worker)
 * becomes a typed `ProofError` here; everything else switches on `code`.
 *
 * Privacy: raw messages can carry private inputs (a BigInt SyntaxError echoes the bad value,
 * circom's `error` import prints signal values, a zkey format error prints the file's bytes).
 * The classified error's message is therefore built only from the code's generic description,
 * fields extracted by strict patterns (signal/template names, line numbers, counts) and the
 * caller's context. The raw error survives only as `cause`, which is never logged or sent.
 *
 * Every pattern below was observed with snarkjs 0.7.6, circom 2.2.3 and Node 20 unless marked
 * "documented" (browser strings we could not reproduce here); tests/unit/error-classification
 * holds the samples.
 */
import { ERROR_POLICY, ProofError, createProofError, fromWire, isProofErrorCode } from "./errors.js";
import type { ErrorDetails, ProofErrorCode } from "./errors.js";

/** What the caller knows about where the failure happened. Only safe values belong here. */
export interface ClassifyContext {
  readonly circuitId?: string;
  /** Pipeline stage, e.g. "artifacts", "witness", "proving", "verifying", "storage". */
  readonly stage?: string;
  readonly attempt?: number;
  /** The job's signal: tells a timeout abort from a caller's cancel. */
  readonly signal?: AbortSignal;
}

/** Normalised view of a thrown value, built once per classification. */
interface ErrorFacts {
  /** `name` of an Error/DOMException (e.g. "RangeError", "AbortError"), "" otherwise. */
  readonly name: string;
  readonly message: string;
  /** Node system error code ("ENOTFOUND") of the error or its direct cause. */
  readonly sysCode: string;
  readonly context: ClassifyContext;
}

interface ClassificationRule {
  /** Stable id for telemetry and tests: which rule matched. Becomes `details.rule`. */
  readonly id: string;
  readonly code: ProofErrorCode;
  readonly test: (f: ErrorFacts) => boolean;
  /** Safe fields extracted by strict patterns; never free text from the message. */
  readonly details?: (f: ErrorFacts) => Record<string, string | number | undefined>;
  /** Decides from the caller's stage, not the error: applies to the outermost error only. */
  readonly stageFallback?: true;
}

const NETWORK_SYS_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "EPIPE", "EHOSTUNREACH", "ENETUNREACH",
  "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CLOSED",
]);

const has = (re: RegExp) => (f: ErrorFacts) => re.test(f.message);
const named = (...names: string[]) => (f: ErrorFacts) => names.includes(f.name);

/** Identifier-like names only (signal or template names); anything else is dropped. */
function safeIdent(value: string | undefined): string | undefined {
  return value !== undefined && /^[A-Za-z_$][\w$.[\]]{0,63}$/.test(value) ? value : undefined;
}
function safeInt(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
const signalName = (re: RegExp) => (f: ErrorFacts) => ({ signal: safeIdent(re.exec(f.message)?.[1]) });

const reasonIsTimeout = (f: ErrorFacts): boolean => {
  const reason: unknown = f.context.signal?.aborted ? f.context.signal.reason : undefined;
  return (reason instanceof ProofError && reason.code === "TIMEOUT") || (reason as { name?: unknown } | undefined)?.name === "TimeoutError";
};

/**
 * First match wins, so specific rules precede general ones. Keep this the only list of
 * message patterns in the codebase.
 */
export const CLASSIFICATION_RULES: readonly ClassificationRule[] = [
  // --- cancellation and time budgets (DOMException names, not messages) ---
  { id: "timeout", code: "TIMEOUT", test: named("TimeoutError") },
  { id: "abort-by-timeout", code: "TIMEOUT", test: (f) => f.name === "AbortError" && reasonIsTimeout(f) },
  { id: "abort", code: "CANCELLED", test: named("AbortError") },

  // --- memory: the device cannot take this circuit; a smaller variant may work ---
  // Observed under `ulimit -v`: Memory() when the runtime reserves its pages, instantiate()
  // when snarkjs/ffjavascript build their instance, grow() when a heap must expand.
  { id: "wasm-memory", code: "RESOURCE_EXHAUSTED", test: has(/WebAssembly\.Memory(?:\.grow)?\(\): (?:could not allocate memory|Maximum memory size exceeded)/) },
  { id: "wasm-instance-oom", code: "RESOURCE_EXHAUSTED", test: has(/Out of memory: Cannot allocate Wasm memory/i) },
  { id: "array-buffer-oom", code: "RESOURCE_EXHAUSTED", test: has(/Array buffer allocation failed/) },
  // circom runtime exceptionHandler code 5.
  { id: "circom-memory", code: "RESOURCE_EXHAUSTED", test: has(/Not enough memory\./) },
  // Documented: Firefox "out of memory", Safari "Out of memory".
  { id: "out-of-memory", code: "RESOURCE_EXHAUSTED", test: (f) => /^(?:RangeError|InternalError|Error)$/.test(f.name) && /^out of memory\.?$/i.test(f.message) },
  // Worker stacks are smaller than the main thread's (Safari especially) and recursion depth
  // in witness/FFT code grows with circuit size, so a smaller variant is the useful answer.
  { id: "stack-overflow", code: "RESOURCE_EXHAUSTED", test: (f) => /Maximum call stack size exceeded|too much recursion/i.test(f.message) },

  // --- the circuit rejected the input (circom `assert` / `===` while computing the witness) ---
  {
    id: "circom-assert",
    code: "WITNESS_CONSTRAINT_FAILED",
    test: has(/Assert Failed|Error in template \w+ line: \d+/),
    details: (f) => {
      const m = /Error in template (\w+) line: (\d+)/.exec(f.message);
      return { template: safeIdent(m?.[1]), line: safeInt(m?.[2]) };
    },
  },

  // --- a zkey that passed its pin but is malformed inside ---
  // Flipping single bytes of a pinned test zkey, groth16.prove failed while reading its sections
  // with plain engine errors: "TypeError: Cannot read properties of undefined (reading 'set')"
  // (also '0', 'slice'), "RangeError: offset is out of bounds", "SyntaxError: Cannot convert 0x
  // to a BigInt". The same bytes fail the same way on every try, so this is the artifact, not a
  // transient PROVING_FAILED worth retrying. (Out-of-memory RangeErrors matched above already.)
  { id: "zkey-malformed", code: "ARTIFACT_INVALID", test: (f) => f.context.stage === "proving" && /^(?:TypeError|RangeError|SyntaxError)$/.test(f.name), details: () => ({ artifact: "zkey" }) },

  // --- malformed input signals (missing, extra, wrong length, not a field element) ---
  { id: "signal-not-enough", code: "WITNESS_INPUT_INVALID", test: has(/Not enough values for input signal/), details: signalName(/input signal (\S+)/) },
  { id: "signal-too-many", code: "WITNESS_INPUT_INVALID", test: has(/Too many values for input signal/), details: signalName(/input signal (\S+)/) },
  { id: "signal-not-found", code: "WITNESS_INPUT_INVALID", test: has(/Signal \S+ (?:not found|is not an input of the circuit)/), details: signalName(/Signal (\S+)/) },
  {
    id: "inputs-missing",
    code: "WITNESS_INPUT_INVALID",
    test: has(/Not all inputs have been set/),
    details: (f) => {
      const m = /Only (\d+) out of (\d+)/.exec(f.message);
      return { inputsSet: safeInt(m?.[1]), inputsExpected: safeInt(m?.[2]) };
    },
  },
  { id: "signal-runtime", code: "WITNESS_INPUT_INVALID", test: has(/Signal not found\.|Too many signals set\.|Signal already set\.|Input signal array access exceeds the size/) },
  // V8: "Cannot convert <value> to a BigInt", "The number 1.5 cannot be converted to a BigInt".
  // Documented: Firefox "can't convert <value> to BigInt", Safari "Failed to parse String to BigInt".
  {
    id: "bigint-conversion",
    code: "WITNESS_INPUT_INVALID",
    test: (f) => /^(?:SyntaxError|TypeError|RangeError)$/.test(f.name) && /convert(?:ed)?\b.* to (?:a )?BigInt|Failed to parse String to BigInt/i.test(f.message),
  },

  // --- artifacts that are unusable or do not belong together (fatal: retry cannot help) ---
  // Bytes reach snarkjs only after their size and SHA-256 matched the pin, so a parse failure
  // means the pinned artifact itself is broken (a build or manifest mistake): ARTIFACT_INVALID,
  // not ARTIFACT_INTEGRITY (bytes that differ from the pin).
  { id: "wasm-compile", code: "ARTIFACT_INVALID", test: (f) => f.name === "CompileError" || f.name === "LinkError" },
  { id: "zkey-format", code: "ARTIFACT_INVALID", test: has(/: Invalid File format$|^Version not supported$|^Reading out of bounds$|Reading out of the range of the section|: Missing section \d+|Section Duplicated|Invalid section size|File has no\s+header/) },
  { id: "zkey-protocol", code: "ARTIFACT_INVALID", test: has(/zkey file is not groth16|Curve not supported|Curve of the witness does not match|Unsupported circom version/) },
  // A wasm and zkey from different circuits: "Invalid witness length. Circuit: 4, witness: 5".
  {
    id: "witness-length",
    code: "ARTIFACT_INVALID",
    test: has(/Invalid witness length/),
    details: (f) => {
      const m = /Circuit: (\d+), witness: (\d+)/.exec(f.message);
      return { circuitVars: safeInt(m?.[1]), witnessVars: safeInt(m?.[2]) };
    },
  },

  // --- network ---
  { id: "network-name", code: "NETWORK_ERROR", test: named("NetworkError") },
  // Node undici "fetch failed"/"terminated"; documented: Chromium "Failed to fetch",
  // Firefox "NetworkError when attempting to fetch resource.", Safari "Load failed",
  // Chromium body-stream failure "network error".
  { id: "fetch-failed", code: "NETWORK_ERROR", test: (f) => f.name === "TypeError" && /^(?:fetch failed|terminated|Failed to fetch|NetworkError when attempting to fetch resource\.?|Load failed|network error)$/.test(f.message), details: (f) => ({ causeCode: f.sysCode || undefined }) },
  { id: "socket", code: "NETWORK_ERROR", test: (f) => NETWORK_SYS_CODES.has(f.sysCode), details: (f) => ({ causeCode: f.sysCode }) },

  // --- storage ---
  { id: "quota", code: "STORAGE_ERROR", test: named("QuotaExceededError") },
  { id: "storage-stage", code: "STORAGE_ERROR", stageFallback: true, test: (f) => f.context.stage === "storage" },

  // --- last resort: an unknown failure inside snarkjs is worth one more try ---
  // snarkjs's verify throws on malformed points: such a proof is as good as one that fails.
  { id: "verifying-stage", code: "VERIFICATION_FAILED", stageFallback: true, test: (f) => f.context.stage === "verifying" },
  { id: "proving-stage", code: "PROVING_FAILED", stageFallback: true, test: (f) => f.context.stage === "proving" || f.context.stage === "witness" },
];

function readName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === "string" && /^[A-Za-z_$][\w$]{0,63}$/.test(name) ? name : "";
}

function readMessage(err: unknown): string {
  if (typeof err === "string") return err;
  const message = (err as { message?: unknown } | null)?.message;
  // Cap what the patterns scan: a zkey format error embeds the whole file as its "name".
  return typeof message === "string" ? (message.length > 4096 ? message.slice(-4096) : message).trim() : "";
}

function readSysCode(err: unknown): string {
  for (const e of [err, (err as { cause?: unknown } | null)?.cause]) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code)) return code;
  }
  return "";
}

/** A plain object that crossed the worker boundary with one of our codes. */
function isWireLike(err: unknown): err is { code: ProofErrorCode; message?: unknown; details?: unknown } {
  return typeof err === "object" && err !== null && !(err instanceof Error) && isProofErrorCode((err as { code?: unknown }).code);
}

function contextDetails(context: ClassifyContext): Record<string, string | number | undefined> {
  return { circuitId: context.circuitId, stage: context.stage, attempt: context.attempt };
}

function compact(record: Record<string, string | number | boolean | null | undefined>): ErrorDetails {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

/** `Description. (signal b; circuit ebsl-16, stage witness, attempt 2)`: only safe fields. */
function safeMessage(code: ProofErrorCode, details: ErrorDetails): string {
  const parts = Object.entries(details)
    .filter(([k]) => k !== "rule" && k !== "errorName")
    .map(([k, v]) => `${k} ${String(v)}`);
  const base = ERROR_POLICY[code].description;
  return parts.length > 0 ? `${base} (${parts.join(", ")})` : base;
}

function build(code: ProofErrorCode, cause: unknown, details: ErrorDetails): ProofError {
  return createProofError(code, safeMessage(code, details), { cause, details });
}

const MAX_CAUSE_DEPTH = 3;

/**
 * Map anything thrown to a typed `ProofError`.
 *
 * - A `ProofError` passes through unchanged (identity is kept).
 * - A wire error (`{ code, message, details }` from our worker) is rebuilt by code.
 * - Otherwise the first matching rule of `CLASSIFICATION_RULES` decides, looking through up to
 *   three `cause` links; no match gives `SYSTEM_ERROR`.
 *
 * The result's message and `details` never contain the raw message; the raw error is `cause`.
 *
 * @example
 * try { await snarkjs.groth16.fullProve(input, wasm, zkey); }
 * catch (e) { throw classifyError(e, { circuitId, stage: "proving", attempt }); }
 */
export function classifyError(err: unknown, context: ClassifyContext = {}): ProofError {
  if (err instanceof ProofError) return err;
  if (isWireLike(err)) {
    const details = typeof err.details === "object" && err.details !== null ? (err.details as ErrorDetails) : undefined;
    return fromWire({ code: err.code, message: typeof err.message === "string" ? err.message : ERROR_POLICY[err.code].description, ...(details ? { details } : {}) });
  }
  // An AbortError caused by a signal whose reason is already typed (e.g. the pool's
  // WorkerCrashedError, the pipeline's TimeoutError) means exactly that reason.
  const reason: unknown = context.signal?.aborted ? context.signal.reason : undefined;
  if (readName(err) === "AbortError" && reason instanceof ProofError) return reason;
  // A worker's `error` event wraps the real error.
  const unwrapped = typeof ErrorEvent !== "undefined" && err instanceof ErrorEvent && err.error !== undefined ? err.error : err;

  const fromChain = classifyChain(err, unwrapped, context);
  if (fromChain) return fromChain;
  const facts = factsOf(unwrapped, context);
  const fallback = CLASSIFICATION_RULES.find((r) => r.stageFallback && r.test(facts));
  return build(fallback?.code ?? "SYSTEM_ERROR", err, compact({ ...contextDetails(context), rule: fallback?.id ?? "unclassified", errorName: facts.name || undefined }));
}

function factsOf(value: unknown, context: ClassifyContext): ErrorFacts {
  return { name: readName(value), message: readMessage(value), sysCode: readSysCode(value), context };
}

/**
 * Message/name rules on the error, then on its causes: an unknown wrapper around a known cause
 * takes the cause's code. Stage fallbacks wait until the whole chain has had its say.
 */
function classifyChain(err: unknown, start: unknown, context: ClassifyContext): ProofError | undefined {
  let current = start;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    if (current instanceof ProofError) return current;
    const facts = factsOf(current, context);
    const rule = CLASSIFICATION_RULES.find((r) => !r.stageFallback && r.test(facts));
    if (rule) {
      return build(rule.code, err, compact({ ...rule.details?.(facts), ...contextDetails(context), rule: rule.id, errorName: facts.name || undefined }));
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Which rule classified an error (`details.rule`), for telemetry and tests. */
export function classificationRule(error: ProofError): string | undefined {
  const rule = error.details["rule"];
  return typeof rule === "string" ? rule : undefined;
}
