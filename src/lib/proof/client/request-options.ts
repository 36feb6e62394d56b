/**
 * One `requestProof` call: its id, and its options validated once at submission, before
 * anything is queued: every wrong type or range is a ValidationError naming the option
 * (`details.field`), never a TypeError from deep inside (e.g. `addEventListener` of a signal
 * that is not one). Each option is read exactly once, so a getter cannot show validation one
 * value and the pipeline another; the pipeline only ever sees the resolved form.
 */
import { isAbortSignal } from "../core/abort.js";
import { invalid } from "../core/option-checks.js";
import type { ProgressEvent } from "../request/request-types.js";
import { isProofPriority, type ProofPriority } from "../request/priority-queue.js";
import { canonicalUserId } from "../admission/user-id.js";
import type { EbslRequestOptions } from "../ebsl/ebsl-plan.js";
import { MAX_THRESHOLD } from "../ebsl/fixed-point.js";
import type { RegistryMembership } from "../ebsl/registry.js";
import type { ProvingMode } from "../remote/remote-options.js";

let fallbackIdCounter = 0;
/** A request's id when the API's options give no `generateId`: a UUID where the platform has one. */
export function newRequestId(): string {
  const uuid = globalThis.crypto?.randomUUID?.();
  return uuid ?? `req-${Date.now().toString(36)}-${(++fallbackIdCounter).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Longest `subject` accepted (an id like a user id: an address, a DID). */
export const MAX_SUBJECT_LENGTH = 256;

/** A threshold on the 10^6 scale: an integer (number or bigint) in [0, 10^6]. */
export function isThreshold(value: unknown): value is number | bigint {
  const t = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
  return typeof t === "bigint" && t >= 0n && t <= MAX_THRESHOLD;
}

export interface RequestProofOptions extends EbslRequestOptions {
  /** @default the API's `defaultPriority` (ProofPriority.NORMAL) */
  readonly priority?: ProofPriority;
  /**
   * Who asks (rate limits, allow/block lists, audit); passed to `beforeQueue` and lifecycle
   * events in its canonical form (admission/user-id.ts: NFKC, trimmed, hex by value, at most 256
   * characters, no control or invisible characters).
   */
  readonly userId?: string;
  /** Aborting it cancels the request (queued: removed; proving: worker replaced). */
  readonly signal?: AbortSignal;
  /** Every progress event of this request; the first one already carries the `requestId`. */
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Overrides the API's `allowFallback` for this request. */
  readonly allowFallback?: boolean;
  /**
   * Where to prove: "local" (default), "remote" (the API's `remote` service: the attestations
   * are SENT to it), "auto" (locally; remotely only when this device cannot prove).
   */
  readonly mode?: ProvingMode;
}

export interface ResolvedRequestOptions {
  readonly priority: ProofPriority;
  /** Canonical (see `canonicalUserId`), or undefined for an anonymous request. */
  readonly userId: string | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((event: ProgressEvent) => void) | undefined;
  readonly allowFallback: boolean;
  /** Where it is proved ("local" unless asked and the API has a `remote` service). */
  readonly mode: ProvingMode;
  /** What the EBSL plan validates further (subject, now, threshold, registry). */
  readonly plan: EbslRequestOptions;
}

export interface RequestDefaults {
  readonly priority: ProofPriority;
  readonly allowFallback: boolean;
  /** Whether the API was given a `remote` service ("remote" and "auto" need one). */
  readonly remoteAvailable: boolean;
}

function asRecord(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  if (typeof options !== "object" || Array.isArray(options)) invalid("options", "must be an object");
  return options as Record<string, unknown>;
}

/**
 * A request's `mode` (the raw option value): "local" unless asked; "remote" and "auto" need the
 * API's `remote` option (`remoteAvailable`).
 */
export function requestMode(mode: unknown, remoteAvailable: boolean): ProvingMode {
  if (mode === undefined || mode === "local") return "local";
  if (mode !== "remote" && mode !== "auto") return invalid("mode", 'must be "local", "remote" or "auto"');
  if (!remoteAvailable) return invalid("mode", `"${mode}" needs the API's remote option (remote proving sends the attestations to that server)`);
  return mode;
}

/** One read of one option; a throwing getter or Proxy is a ValidationError naming the option. */
function read(o: Record<string, unknown>, field: string): unknown {
  try {
    return o[field];
  } catch {
    return invalid(field, "could not be read");
  }
}

/**
 * The request's canonical user id (admission/user-id.ts), read first and on its own so that a
 * request refused for another option is still attributed to its user in the audit log.
 * @throws ValidationError (`field: "options"` or `"userId"`)
 */
export function requestUserId(options: unknown): string | undefined {
  const raw = read(asRecord(options), "userId");
  return raw === undefined ? undefined : canonicalUserId(raw, "userId");
}

/**
 * Validate and resolve one request's options; `userId` is the result of `requestUserId` for the
 * same options (the id is not read twice).
 * @throws ValidationError with `details.field` (options, priority, signal, onProgress,
 *   allowFallback, mode, subject, now, threshold, registry) and a reason; values are never echoed.
 */
export function resolveRequestOptions(options: unknown, defaults: RequestDefaults, userId: string | undefined): ResolvedRequestOptions {
  const o = asRecord(options);
  const priority = read(o, "priority") ?? defaults.priority;
  if (!isProofPriority(priority)) invalid("priority", "must be 0..3 (ProofPriority)");
  const signal = read(o, "signal");
  if (signal !== undefined && !isAbortSignal(signal)) invalid("signal", "must be an AbortSignal");
  const onProgress = read(o, "onProgress");
  if (onProgress !== undefined && typeof onProgress !== "function") invalid("onProgress", "must be a function");
  const allowFallback = read(o, "allowFallback") ?? defaults.allowFallback;
  if (typeof allowFallback !== "boolean") invalid("allowFallback", "must be a boolean");
  const mode = requestMode(read(o, "mode"), defaults.remoteAvailable);

  const subject = read(o, "subject");
  if (subject !== undefined && (typeof subject !== "string" || subject.length === 0 || subject.length > MAX_SUBJECT_LENGTH)) {
    invalid("subject", `must be a non-empty string of at most ${MAX_SUBJECT_LENGTH} characters`);
  }
  const now = read(o, "now");
  if (now !== undefined && (typeof now !== "number" || !Number.isSafeInteger(now))) invalid("now", "must be an integer epoch ms");
  const threshold = read(o, "threshold");
  if (threshold !== undefined && !isThreshold(threshold)) invalid("threshold", "must be an integer in [0, 1000000] on the 10^6 scale (e.g. 600000 for 0.6)");
  // Read once here (a getter is not asked twice); its contents are checked by the EBSL plan.
  const registry = read(o, "registry");
  return {
    priority,
    userId,
    signal: signal as AbortSignal | undefined,
    onProgress: onProgress as ((event: ProgressEvent) => void) | undefined,
    allowFallback,
    mode,
    plan: {
      ...(subject !== undefined ? { subject: subject as string } : {}),
      ...(now !== undefined ? { now: now as number } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
      ...(registry !== undefined ? { registry: registry as RegistryMembership } : {}),
    },
  };
}
