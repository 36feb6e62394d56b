/**
 * `ProofAPIOptions`: one type, one `resolveOptions()`, defaults from the one table
 * (core/defaults.ts). The facade and everything it composes only ever see
 * `ResolvedProofAPIOptions`. Validation happens once, at construction, with errors that echo the
 * bad option; nothing is started here.
 */
import { systemClock, yieldToEventLoop, type Clock, type YieldFn } from "../core/clock.js";
import { DEFAULTS } from "../core/defaults.js";
import { badOption, durationOption, positiveIntOption } from "../core/option-checks.js";
import { workerArtifacts } from "../engine/artifacts/circuit-loading.js";
import { circuitsFromManifest, parseManifest } from "../engine/artifacts/manifest.js";
import { createProver, defaultPoolSize } from "../engine/prover.js";
import { checkProverTuning } from "../engine/prover-options.js";
import type { Prover, ProverOptions } from "../engine/prover.js";
import type { ArtifactSource, CircuitDefinition, WorkerArtifacts } from "../engine/types.js";
import type { WorkerFactory } from "../engine/pool/worker-pool.js";
import { isProofPriority, ProofPriority } from "../request/priority-queue.js";
import { resolveRetryPolicy } from "../core/retry-policy.js";
import type { RetryPolicy } from "../core/retry-policy.js";
import type { PredictionProvider } from "../request/request-state.js";
import { isThreshold, newRequestId } from "./request-options.js";
import { resolveTrustOptions } from "./trust-options.js";
import type { ResolvedTrustOptions, TrustOptions } from "./trust-options.js";
import type { RemoteOptions } from "../remote/remote-options.js";

/** What `beforeQueue` sees of a request: never its attestations. */
export interface QueueCandidate {
  readonly requestId: string;
  readonly kind: string;
  readonly userId?: string;
  readonly priority: ProofPriority;
  /** The planned (first) circuit variant. */
  readonly circuitId: string;
  readonly attestationCount: number;
}

/**
 * Runs after validation and before the request is queued: the seam for rate limits and
 * allow/block lists. Throw (or reject with) a ProofError such as `RateLimitError` to refuse.
 */
export type BeforeQueueHook = (request: QueueCandidate) => void | Promise<void>;

/** Everything of the facade; the trust layer's options (cache, rate limit, audit...) are in trust-options.ts. */
export interface ProofAPIOptions extends TrustOptions {
  /** A ready prover (custom engine, tests). Not disposed by the API. @default one created on first use */
  readonly prover?: Prover;
  /** Options of the prover created on first use (ignored when `prover` is given). */
  readonly proverOptions?: Partial<Omit<ProverOptions, "circuits" | "artifacts" | "clock" | "workerFactory">>;
  /** The circuit manifest (circuits/manifest.json), parsed and validated once. */
  readonly manifest?: unknown;
  /** Circuit definitions; replace the manifest's when given. */
  readonly circuits?: readonly CircuitDefinition[];
  /**
   * The EBSL circuits requests may use, by id. Name `"ebsl-256"` here once its artifacts are built
   * (`npm run circuits:build -- large`) and served: the package does not ship them.
   * @default every EBSL circuit of the manifest not marked `committed: false` (ebsl-16, ebsl-64)
   */
  readonly ebslCircuits?: readonly string[];
  /** Where the manifest's relative artifact paths resolve (URL, or a directory in Node). */
  readonly artifactsBaseUrl?: string | URL;
  /**
   * Where artifacts are loaded: `workerArtifacts()` (inside the prover workers), or an
   * `ArtifactSource` on this thread (or a factory of one, called on first use).
   * @default workerArtifacts(): fetched, SHA-256-checked and kept in IndexedDB by the workers
   */
  readonly artifacts?: ArtifactSource | WorkerArtifacts | (() => ArtifactSource | WorkerArtifacts);
  /** @default browserWorkerFactory (via the prover) */
  readonly workerFactory?: WorkerFactory;
  /** Proofs run at once; follow the pool. @default proverOptions.poolSize ?? defaultPoolSize() */
  readonly concurrency?: number;
  /** @default ProofPriority.NORMAL */
  readonly defaultPriority?: ProofPriority;
  /** Waiting requests before QUEUE_FULL. @default 100 */
  readonly maxQueued?: number;
  /** Retry of retryable failures. @default { attempts: 3, baseMs: 250, capMs: 5000, jitter: "full" } */
  readonly retry?: Partial<RetryPolicy>;
  /** Fall back to a smaller circuit on RESOURCE_EXHAUSTED, WORKER_CRASHED, TIMEOUT. @default true */
  readonly allowFallback?: boolean;
  /** Time budget of one proof attempt. @default the prover's (300000) */
  readonly timeoutMs?: number;
  /** Threshold of `"threshold"` proofs on the 10^6 scale. @default 600000 */
  readonly defaultThreshold?: number;
  /** Finished requests remembered by `getRequestStatus` and the jobs store. @default 100 */
  readonly maxFinishedRequests?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Retry jitter. @default Math.random */
  readonly random?: () => number;
  /**
   * How a queued job gives the event loop a turn between slices of input preparation (the
   * Poseidon commitment), so a page's main thread never runs it as one long task.
   * @default yieldToEventLoop (`scheduler.yield()`, else `setTimeout(0)`)
   */
  readonly yieldToHost?: YieldFn;
  /** Request ids. @default crypto.randomUUID() */
  readonly generateId?: () => string;
  /**
   * Warm a prover worker with the smallest circuit once the host is idle after the API is
   * created (worker start, prover import, curve, artifacts from IndexedDB or the network), so
   * the first proof runs at warm speed. A request arriving meanwhile joins that worker.
   * Failures are silent here: a request reports its own.
   * @default false
   */
  readonly prewarm?: boolean;
  /**
   * A proofline service (`@proofline/server`) that requests with `mode: "remote"` or `"auto"`
   * are proved on. Remote proving SENDS THE ATTESTATIONS to that server; never used unless a
   * request asks. Its proofs are checked here against the pinned vkey before they are returned.
   */
  readonly remote?: RemoteOptions;
  /** How `prewarm` waits for an idle host. @default requestIdleCallback (2 s cap), else a 0 ms timer */
  readonly whenIdle?: (run: () => void) => void;
  readonly beforeQueue?: BeforeQueueHook;
  /** Expected proof duration per circuit; enables `estimatedRemainingMs`. @default the metrics' `predict()` (median of past jobs) */
  readonly prediction?: PredictionProvider;
}

export interface ResolvedProofAPIOptions {
  readonly circuits: readonly CircuitDefinition[];
  /** The EBSL circuits requests may use, by id; undefined: the manifest's built ones. */
  readonly ebslCircuits: readonly string[] | undefined;
  /** Creates the prover on first use. */
  readonly createProver: () => Prover;
  /** True when the API created the prover and so disposes it. */
  readonly ownsProver: boolean;
  readonly concurrency: number;
  readonly defaultPriority: ProofPriority;
  readonly maxQueued: number;
  readonly retry: RetryPolicy;
  readonly allowFallback: boolean;
  readonly timeoutMs: number | undefined;
  readonly defaultThreshold: number;
  readonly maxFinishedRequests: number;
  readonly clock: Clock;
  readonly random: () => number;
  readonly yieldToHost: YieldFn;
  readonly generateId: () => string;
  readonly prewarm: boolean;
  readonly whenIdle: (run: () => void) => void;
  readonly beforeQueue: BeforeQueueHook | undefined;
  readonly prediction: PredictionProvider | undefined;
  readonly trust: ResolvedTrustOptions;
}


interface IdleHost {
  requestIdleCallback?: (run: () => void, options?: { timeout: number }) => unknown;
}

/** Run once the host has nothing better to do (a page), or on the next timer turn. */
function whenHostIdle(run: () => void): void {
  const host = globalThis as IdleHost;
  if (typeof host.requestIdleCallback === "function") host.requestIdleCallback(run, { timeout: 2000 });
  else setTimeout(run, 0);
}

function resolveCircuits(options: ProofAPIOptions): readonly CircuitDefinition[] {
  if (options.circuits !== undefined) {
    if (!Array.isArray(options.circuits)) badOption("circuits", options.circuits, "an array of circuit definitions");
    return options.circuits;
  }
  if (options.manifest === undefined) badOption("manifest", undefined, "a circuit manifest or a circuits list");
  return circuitsFromManifest(parseManifest(options.manifest), options.artifactsBaseUrl);
}

/**
 * The prover is created on first use; its options are checked here, at construction, so a bad
 * one is refused at once instead of failing the first accepted request.
 */
function checkProverOptions(p: ProofAPIOptions["proverOptions"]): void {
  if (p === undefined) return;
  if (typeof p !== "object" || p === null) badOption("proverOptions", p, "an object");
  checkProverTuning(p, "proverOptions.");
  if ((p as { workerFactory?: unknown }).workerFactory !== undefined) badOption("proverOptions.workerFactory", "(set)", "the top-level workerFactory option instead");
}

/** Fill defaults and validate once. Throws ValidationError naming the bad option. */
export function resolveOptions(options: ProofAPIOptions = {}): ResolvedProofAPIOptions {
  if (typeof options !== "object" || options === null) badOption("options", options, "an object");
  const circuits = resolveCircuits(options);
  const ebslCircuits = options.ebslCircuits;
  if (ebslCircuits !== undefined) {
    if (!Array.isArray(ebslCircuits) || ebslCircuits.length === 0) badOption("ebslCircuits", ebslCircuits, "a non-empty array of EBSL circuit ids");
    for (const id of ebslCircuits) {
      if (!circuits.some((c) => c.id === id && c.meta?.["family"] === "ebsl")) badOption("ebslCircuits", id, "ids of EBSL circuits in the manifest");
    }
  }
  const fn = <T>(field: string, value: T | undefined): T | undefined => {
    if (value !== undefined && typeof value !== "function") badOption(field, value, "a function");
    return value;
  };
  fn("random", options.random);
  fn("yieldToHost", options.yieldToHost);
  fn("generateId", options.generateId);
  fn("whenIdle", options.whenIdle);
  if (options.prewarm !== undefined && typeof options.prewarm !== "boolean") badOption("prewarm", options.prewarm, "a boolean");
  fn("beforeQueue", options.beforeQueue);
  fn("prediction", options.prediction);
  if (options.prover !== undefined && typeof options.prover?.prove !== "function") badOption("prover", options.prover, "a Prover");
  const d = DEFAULTS.api;
  const priority = options.defaultPriority ?? d.defaultPriority;
  if (!isProofPriority(priority)) badOption("defaultPriority", priority, "0..3 (ProofPriority)");
  const allowFallback = options.allowFallback ?? d.allowFallback;
  if (typeof allowFallback !== "boolean") badOption("allowFallback", allowFallback, "a boolean");
  const threshold = options.defaultThreshold ?? d.defaultThreshold;
  if (typeof threshold !== "number" || !isThreshold(threshold)) badOption("defaultThreshold", threshold, "an integer in [0, 1000000] (10^6 scale)");
  const timeoutMs = options.timeoutMs === undefined ? undefined : durationOption("timeoutMs", options.timeoutMs);
  checkProverOptions(options.proverOptions);
  const poolSize = options.proverOptions?.poolSize;
  const concurrency = positiveIntOption("concurrency", options.concurrency ?? poolSize ?? defaultPoolSize());
  const clock = options.clock ?? systemClock;
  if (options.retry !== undefined && (typeof options.retry !== "object" || options.retry === null)) badOption("retry", options.retry, "an object");
  const retry = resolveRetryPolicy(options.retry, "retry.");

  const given = options.prover;
  const createProverFn = given
    ? () => given
    : () => {
        // The circuits' URLs already carry artifactsBaseUrl; the workers resolve what is still
        // relative against the page (a worker's own URL is its script's).
        const source = options.artifacts ?? workerArtifacts();
        const artifacts = typeof source === "function" ? source() : source;
        const workerFactory = options.workerFactory;
        return createProver({
          ...options.proverOptions,
          circuits,
          artifacts,
          clock,
          ...(workerFactory ? { workerFactory } : {}),
          ...(poolSize === undefined ? { poolSize: concurrency } : {}),
        });
      };

  return Object.freeze({
    circuits,
    ebslCircuits: ebslCircuits === undefined ? undefined : Object.freeze([...ebslCircuits]),
    createProver: createProverFn,
    ownsProver: given === undefined,
    concurrency,
    defaultPriority: priority,
    maxQueued: positiveIntOption("maxQueued", options.maxQueued ?? d.maxQueued),
    retry,
    allowFallback,
    timeoutMs,
    defaultThreshold: threshold,
    maxFinishedRequests: positiveIntOption("maxFinishedRequests", options.maxFinishedRequests ?? d.maxFinishedRequests),
    clock,
    random: options.random ?? Math.random,
    yieldToHost: options.yieldToHost ?? yieldToEventLoop,
    generateId: options.generateId ?? newRequestId,
    prewarm: options.prewarm ?? d.prewarm,
    whenIdle: options.whenIdle ?? whenHostIdle,
    beforeQueue: options.beforeQueue,
    prediction: options.prediction,
    trust: resolveTrustOptions(options),
  });
}
