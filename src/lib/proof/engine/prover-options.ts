/**
 * Options of `createProver`: one type, one DEFAULTS, one `resolveOptions()` that validates once;
 * the engine only ever sees the resolved form.
 */
import { isAbortSignal } from "../core/abort.js";
import { systemClock, type Clock } from "../core/clock.js";
import { DEFAULTS } from "../core/defaults.js";
import { badOption, durationOption, invalid, isPositiveInteger, positiveIntOption } from "../core/option-checks.js";
import { isWorkerArtifacts, workerArtifacts } from "./artifacts/circuit-loading.js";
import type { ArtifactSource, CircuitDefinition, ProveOptions, WorkerArtifacts } from "./types.js";
import { defaultMemoryBudgetMB } from "./memory-budget.js";
import { browserWorkerFactory } from "./pool/worker-factory.js";
import type { WorkerFactory } from "./pool/worker-pool.js";
import type { ProvingBackend, ThreadMode } from "./pool/worker-protocol.js";

export interface ProverOptions {
  /** The circuits this prover may prove, as a list or keyed by id. */
  readonly circuits: readonly CircuitDefinition[] | Readonly<Record<string, CircuitDefinition>>;
  /**
   * Where artifact bytes come from (pinned, integrity-checked): loaded by the workers themselves
   * (`workerArtifacts()`), or by an `ArtifactSource` on the caller's thread whose bytes are then
   * transferred (Node's file reader, custom sources).
   * @default workerArtifacts() (fetch, SHA-256 and IndexedDB inside the prover workers)
   */
  readonly artifacts?: ArtifactSource | WorkerArtifacts;
  /** Makes a prover worker. @default browserWorkerFactory (module Web Worker); use proofline/node in Node. */
  readonly workerFactory?: WorkerFactory;
  /** Workers at most. @default min(cores, device memory in GB, 4), at least 1 */
  readonly poolSize?: number;
  /** Replace a worker after this many proofs (bounds WebAssembly memory growth). @default 50 */
  readonly maxProofsPerWorker?: number;
  /** Consecutive start-up failures before respawning stops. @default 3 */
  readonly maxStartFailures?: number;
  /** Start-up budget of one worker (import snarkjs, build the curve). @default 30000 */
  readonly startTimeoutMs?: number;
  /** Budget of one proof, queue wait included; the worker is replaced on expiry. @default 300000 */
  readonly timeoutMs?: number;
  /**
   * `adaptive`: a proof uses every core no other job holds while nobody waits (a lone proof runs
   * on all cores: bn254 helper threads, or snarkjs's threads with that backend), and one core
   * under a burst; jobs wait for a free core rather than oversubscribe. `single`: one thread per
   * proof. `snarkjs`: snarkjs's nested threads for every proof (snarkjs backend, browsers only).
   * @default "adaptive"
   */
  readonly threads?: ThreadMode;
  /**
   * What proves from the witness: `bn254`, proofline's WebAssembly prover (same zkey, proofs
   * for the same vkey; every proof is still verified by snarkjs in the worker), or `snarkjs`, the
   * reference. With adaptive threads a `bn254` proof granted several threads is split across
   * helper threads nested in its worker; a lone ebsl proof takes about 0.2-0.5x the time of
   * snarkjs's own `fullProve` with its threads.
   * @default "bn254"
   */
  readonly backend?: ProvingBackend;
  /**
   * Cores the prover may use (adaptive threads). @default the worker factory's `cores` (Node:
   * `os.availableParallelism()`), else `navigator.hardwareConcurrency`, else 1
   */
  readonly cores?: number;
  /**
   * Memory a circuit may take to prove, in MB: a circuit that needs more (from its pinned sizes
   * before download, from its zkey's header before decoding) is refused with RESOURCE_EXHAUSTED,
   * which callers fall back on, instead of growing the tab until it dies.
   * @default from the platform: 3/4 of `os.totalmem()` (the Node factory's `memoryBytes`), else
   * half of `navigator.deviceMemory`, else `performance.memory.jsHeapSizeLimit`, else 4096
   */
  readonly memoryBudgetMB?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

export interface ResolvedProverOptions {
  readonly circuits: ReadonlyMap<string, CircuitDefinition>;
  readonly artifacts: ArtifactSource | WorkerArtifacts;
  readonly workerFactory: WorkerFactory;
  readonly poolSize: number;
  readonly maxProofsPerWorker: number;
  readonly maxStartFailures: number;
  readonly startTimeoutMs: number;
  readonly timeoutMs: number;
  readonly threads: ThreadMode;
  readonly backend: ProvingBackend;
  readonly cores: number;
  readonly memoryBudgetMB: number;
  readonly clock: Clock;
}

export { DEFAULTS };
const PROVER_DEFAULTS = DEFAULTS.prover;

/**
 * Cores for adaptive threads: a factory may know them (Node's has `os.availableParallelism()`;
 * Node 20 has no `navigator`), else the browser's count.
 */
export function defaultCores(factory: WorkerFactory | undefined, nav: { hardwareConcurrency?: number } | undefined = globalThis.navigator): number {
  const fromFactory = (factory as { cores?: unknown } | undefined)?.cores;
  if (isPositiveInteger(fromFactory)) return fromFactory;
  return Math.max(1, nav?.hardwareConcurrency ?? 1);
}

/** The platform's budget: a factory may know the machine's memory (Node's has `os.totalmem()`). */
function defaultBudget(factory: WorkerFactory): number {
  const memoryBytes = (factory as { memoryBytes?: unknown }).memoryBytes;
  return typeof memoryBytes === "number" && memoryBytes > 0 ? defaultMemoryBudgetMB({ totalMemoryBytes: memoryBytes }) : defaultMemoryBudgetMB();
}

/** Cores and memory where the platform tells them; one worker per core and per GB. */
export function defaultPoolSize(nav: { hardwareConcurrency?: number; deviceMemory?: number } | undefined = globalThis.navigator): number {
  const cores = nav?.hardwareConcurrency ?? 1;
  const memoryGb = nav?.deviceMemory ?? Number.POSITIVE_INFINITY;
  return Math.max(1, Math.min(cores, Math.floor(memoryGb), PROVER_DEFAULTS.maxPoolSize));
}

/**
 * Check the prover's tuning options that are present (counts, budgets, thread mode, backend),
 * naming a bad one as `${prefix}${field}`. The one list of allowed values: the prover's resolver
 * and the facade (which creates its prover lazily, yet refuses bad options at construction)
 * both call it.
 */
export function checkProverTuning(o: Partial<ProverOptions>, prefix = ""): void {
  for (const field of ["poolSize", "maxProofsPerWorker", "maxStartFailures", "cores", "memoryBudgetMB"] as const) {
    if (o[field] !== undefined) positiveIntOption(`${prefix}${field}`, o[field]);
  }
  for (const field of ["startTimeoutMs", "timeoutMs"] as const) {
    if (o[field] !== undefined) durationOption(`${prefix}${field}`, o[field]);
  }
  if (o.threads !== undefined && !THREAD_MODES.includes(o.threads)) badOption(`${prefix}threads`, o.threads, '"adaptive", "single" or "snarkjs"');
  if (o.backend !== undefined && !BACKENDS.includes(o.backend)) badOption(`${prefix}backend`, o.backend, '"snarkjs" or "bn254"');
}

const THREAD_MODES: readonly ThreadMode[] = ["adaptive", "single", "snarkjs"];
const BACKENDS: readonly ProvingBackend[] = ["snarkjs", "bn254"];

/**
 * Check the options of one call (`prove`, `verify`, `rerandomize`, `preload`) before any work
 * starts: a wrong type becomes a ValidationError naming the option, never a TypeError from deep
 * inside (e.g. `addEventListener` of a signal that is not one).
 */
export function checkCallOptions(options: unknown): ProveOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null) invalid("options", "must be an object");
  const o = options as ProveOptions;
  if (o.signal !== undefined && !isAbortSignal(o.signal)) invalid("signal", "must be an AbortSignal");
  if (o.onProgress !== undefined && typeof o.onProgress !== "function") invalid("onProgress", "must be a function");
  if (o.verify !== undefined && typeof o.verify !== "boolean") invalid("verify", "must be a boolean");
  if (o.timeoutMs !== undefined) durationOption("timeoutMs", o.timeoutMs);
  return o;
}

/** Validate options once and fill defaults; the engine only ever sees the resolved form. */
export function resolveOptions(options: ProverOptions): ResolvedProverOptions {
  const artifacts = options?.artifacts ?? workerArtifacts();
  if (!isWorkerArtifacts(artifacts) && typeof (artifacts as Partial<ArtifactSource>).load !== "function") {
    invalid("artifacts", "must be an ArtifactSource or workerArtifacts()");
  }
  const circuits = new Map<string, CircuitDefinition>();
  const list = Array.isArray(options.circuits)
    ? (options.circuits as readonly CircuitDefinition[]).map((c) => [c.id, c] as const)
    : Object.entries(options.circuits ?? {});
  for (const [key, circuit] of list) {
    if (!circuit || circuit.id !== key || circuits.has(key)) {
      invalid("circuits", `circuit "${key}" is duplicated or its id does not match its key`, { details: { circuitId: key } });
    }
    circuits.set(key, circuit);
  }
  checkProverTuning(options);
  const backend = options.backend ?? PROVER_DEFAULTS.backend;
  const threads = options.threads ?? PROVER_DEFAULTS.threads;
  const workerFactory = options.workerFactory ?? browserWorkerFactory;
  return {
    circuits,
    artifacts,
    workerFactory,
    cores: options.cores ?? defaultCores(workerFactory),
    memoryBudgetMB: options.memoryBudgetMB ?? defaultBudget(workerFactory),
    poolSize: options.poolSize ?? defaultPoolSize(),
    maxProofsPerWorker: options.maxProofsPerWorker ?? PROVER_DEFAULTS.maxProofsPerWorker,
    maxStartFailures: options.maxStartFailures ?? PROVER_DEFAULTS.maxStartFailures,
    startTimeoutMs: options.startTimeoutMs ?? PROVER_DEFAULTS.startTimeoutMs,
    timeoutMs: options.timeoutMs ?? PROVER_DEFAULTS.timeoutMs,
    threads,
    backend,
    clock: options.clock ?? systemClock,
  };
}
