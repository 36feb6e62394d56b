/**
 * The trust layer's options of the facade: proof cache, rate limit, allow and block lists, audit
 * log, metrics and telemetry. One type, one `resolveTrustOptions()` (called by options.ts),
 * defaults from the one table (core/defaults.ts); errors echo the bad option.
 */
import { canonicalUserId } from "../admission/user-id.js";
import { DEFAULTS } from "../core/defaults.js";
import { badOption, durationOption, positiveIntOption } from "../core/option-checks.js";
import type { PersistentCacheBackend } from "../cache/cache-backend.js";
import type { MemoryProbe } from "../observability/memory-probe.js";
import type { SentryTelemetry } from "../observability/sentry-integration.js";

export interface ProofCacheConfig {
  /** Cache proofs and share identical in-flight requests. @default true */
  readonly enabled?: boolean;
  /** Entries kept (LRU). @default 50 */
  readonly max?: number;
  /** Entry lifetime. @default 3_600_000 (1 h) */
  readonly ttlMs?: number;
  /**
   * Hand out a Groth16 re-randomisation (computed in a worker, verified) of a cached or shared
   * proof, so repeated results are not byte-identical. @default false
   */
  readonly rerandomize?: boolean;
  /** `true`: IndexedDB (`proofline-proofs`); or any backend (tests, Node). @default false */
  readonly persist?: boolean | PersistentCacheBackend;
  /** Fixed key salt (hex). @default random per instance, or the persisted one */
  readonly salt?: string;
}

export interface RateLimitConfig {
  /** Requests admitted per user and window. @default 10 */
  readonly max?: number;
  /** Sliding window. @default 3_600_000 (1 h) */
  readonly windowMs?: number;
}

export interface TrustOptions {
  /** Proof cache; `false` disables it (and in-flight sharing). @default { enabled: true, max: 50, ttlMs: 3_600_000, rerandomize: false, persist: false } */
  readonly cache?: ProofCacheConfig | false;
  /** Per-user sliding-window limit, checked before queueing; `false` disables it. @default { max: 10, windowMs: 3_600_000 } */
  readonly rateLimit?: RateLimitConfig | false;
  /** When non-empty, only these user ids are admitted (and no anonymous request). @default [] */
  readonly allowList?: Iterable<string>;
  /** Always refused. @default [] */
  readonly blockList?: Iterable<string>;
  /** Hash-chained audit log size. @default { maxEntries: 1000 } */
  readonly audit?: { readonly maxEntries?: number };
  /** Metrics window per circuit and stage; memory probe (`null` = none). @default { windowSize: 500, memoryProbe: the platform's } */
  readonly metrics?: { readonly windowSize?: number; readonly memoryProbe?: MemoryProbe | null };
  /** e.g. `createSentryTelemetry(Sentry)`: stage breadcrumbs and captured typed errors. */
  readonly telemetry?: SentryTelemetry;
}

export interface ResolvedCacheConfig {
  readonly enabled: boolean;
  readonly max: number;
  readonly ttlMs: number;
  readonly rerandomize: boolean;
  readonly persist: false | true | PersistentCacheBackend;
  readonly salt: string | undefined;
}

export interface ResolvedTrustOptions {
  readonly cache: ResolvedCacheConfig;
  readonly rateLimit: { readonly max: number; readonly windowMs: number } | false;
  readonly allowList: readonly string[];
  readonly blockList: readonly string[];
  readonly auditMaxEntries: number;
  readonly metricsWindowSize: number;
  readonly memoryProbe: MemoryProbe | null | undefined;
  readonly telemetry: SentryTelemetry | undefined;
}

const TRUST_DEFAULTS = DEFAULTS.trust;


function bool(field: string, value: unknown): boolean {
  if (typeof value !== "boolean") badOption(field, value, "a boolean");
  return value;
}

function object<T>(field: string, value: T | undefined): T | undefined {
  if (value !== undefined && (typeof value !== "object" || value === null)) badOption(field, value, "an object");
  return value;
}

function ids(field: string, value: Iterable<string> | undefined): string[] {
  if (value === undefined) return [];
  if (typeof value !== "object" || value === null || typeof (value as Iterable<string>)[Symbol.iterator] !== "function") badOption(field, value, "an iterable of user ids");
  // Canonical once here (user-id.ts), so a list entry and a caller's id compare as one id.
  return [...value].map((id, i) => canonicalUserId(id, `${field}[${i}]`));
}

function resolveCache(value: ProofCacheConfig | false | undefined): ResolvedCacheConfig {
  const d = TRUST_DEFAULTS.cache;
  if (value === false) return { ...d, enabled: false, salt: undefined };
  const c = object("cache", value) ?? {};
  const persist = c.persist ?? d.persist;
  if (typeof persist !== "boolean" && (typeof persist !== "object" || persist === null || typeof persist.loadAll !== "function")) {
    badOption("cache.persist", persist, "a boolean or a PersistentCacheBackend");
  }
  if (c.salt !== undefined && (typeof c.salt !== "string" || !/^[0-9a-f]{16,128}$/i.test(c.salt))) badOption("cache.salt", c.salt, "a hex string of 16 to 128 digits");
  const ttlMs = durationOption("cache.ttlMs", c.ttlMs ?? d.ttlMs);
  return {
    enabled: bool("cache.enabled", c.enabled ?? d.enabled),
    max: positiveIntOption("cache.max", c.max ?? d.max),
    ttlMs,
    rerandomize: bool("cache.rerandomize", c.rerandomize ?? d.rerandomize),
    persist,
    salt: c.salt,
  };
}

/** Fill defaults and validate once. Throws ValidationError naming the bad option. */
export function resolveTrustOptions(options: TrustOptions): ResolvedTrustOptions {
  let rateLimit: ResolvedTrustOptions["rateLimit"];
  if (options.rateLimit === false) rateLimit = false;
  else {
    const r = object("rateLimit", options.rateLimit) ?? {};
    rateLimit = {
      max: positiveIntOption("rateLimit.max", r.max ?? TRUST_DEFAULTS.rateLimit.max),
      windowMs: durationOption("rateLimit.windowMs", r.windowMs ?? TRUST_DEFAULTS.rateLimit.windowMs),
    };
  }
  const audit = object("audit", options.audit) ?? {};
  const metrics = object("metrics", options.metrics) ?? {};
  if (metrics.memoryProbe !== undefined && metrics.memoryProbe !== null && typeof metrics.memoryProbe !== "function") {
    badOption("metrics.memoryProbe", metrics.memoryProbe, "a function or null");
  }
  const telemetry = options.telemetry;
  if (telemetry !== undefined && (typeof telemetry?.stage !== "function" || typeof telemetry?.captureError !== "function")) {
    badOption("telemetry", telemetry, "a SentryTelemetry (createSentryTelemetry(Sentry))");
  }
  return Object.freeze({
    cache: Object.freeze(resolveCache(options.cache)),
    rateLimit,
    allowList: ids("allowList", options.allowList),
    blockList: ids("blockList", options.blockList),
    auditMaxEntries: positiveIntOption("audit.maxEntries", audit.maxEntries ?? TRUST_DEFAULTS.auditMaxEntries),
    metricsWindowSize: positiveIntOption("metrics.windowSize", metrics.windowSize ?? TRUST_DEFAULTS.metricsWindowSize),
    memoryProbe: metrics.memoryProbe,
    telemetry,
  });
}
