/**
 * Retry as data: a policy object, a pure delay function and a decision per failed attempt (the
 * caller runs its own attempts). Only codes whose
 * `recoverability` is `retryable` in ERROR_POLICY are retried; `fallback` codes belong to the
 * circuit-size fallback, `fatal` ones end the job.
 *
 * Backoff is capped exponential with full jitter (AWS Architecture Blog, "Exponential Backoff
 * And Jitter", 2015): delay = random() · min(cap, base · 2^(attempt−1)). Full jitter spreads a
 * burst of failed jobs (e.g. many tabs losing the network at once) instead of synchronising them.
 */
import { classifyError } from "./error-classification.js";
import type { ClassifyContext } from "./error-classification.js";
import { DEFAULTS } from "./defaults.js";
import { createProofError } from "./errors.js";
import { badOption, durationOption, positiveIntOption } from "./option-checks.js";
import type { ProofError } from "./errors.js";

export interface RetryPolicy {
  /** Total tries including the first. @default 3 */
  readonly attempts: number;
  /** Backoff before the 2nd try, before jitter. @default 250 */
  readonly baseMs: number;
  /** Upper bound of any single backoff, before jitter. @default 5000 */
  readonly capMs: number;
  /** `full`: uniform in [0, backoff). `none`: exactly the backoff (deterministic). @default "full" */
  readonly jitter: "full" | "none";
}

/** The policy when none is given (from the one table of defaults). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = DEFAULTS.retry;

/**
 * Fill defaults and validate once, where the caller hands the policy in; errors name the field
 * as `${prefix}${field}` and echo the bad value.
 */
export function resolveRetryPolicy(policy: Partial<RetryPolicy> = {}, prefix = ""): RetryPolicy {
  const resolved: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...policy };
  positiveIntOption(`${prefix}attempts`, resolved.attempts);
  // Backoffs may be 0 (retry at once) but, like every timer, not beyond 2^31 − 1 ms.
  durationOption(`${prefix}baseMs`, resolved.baseMs, 0);
  durationOption(`${prefix}capMs`, resolved.capMs, 0);
  if (resolved.jitter !== "full" && resolved.jitter !== "none") badOption(`${prefix}jitter`, resolved.jitter, '"full" or "none"');
  return Object.freeze(resolved);
}

/**
 * Milliseconds to wait after failed attempt `attempt` (1-based) before the next one.
 * Pure: the same inputs give the same delay.
 * @example retryDelay(2, DEFAULT_RETRY_POLICY, () => 0.5) // 0.5 · min(5000, 250·2) = 250
 */
export function retryDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponent = Math.max(0, attempt - 1);
  // Clamp the exponent so huge attempt numbers cannot overflow to Infinity·0 = NaN.
  const backoff = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 52));
  if (policy.jitter === "none") return backoff;
  const r = Math.min(Math.max(random(), 0), 1);
  return r * backoff;
}

/** True when `error` is retryable and attempt `attempt` (1-based, just failed) was not the last. */
export function shouldRetry(error: ProofError, attempt: number, policy: RetryPolicy): boolean {
  return error.recoverability === "retryable" && attempt < policy.attempts;
}

/** What to do after a failed attempt: try again after `delayMs`, or stop with `error`. */
export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly error: ProofError }
  | { readonly retry: false; readonly error: ProofError };

export interface RetryDecisionOptions {
  /** Resolved by `resolveRetryPolicy` where the caller handed it in. @default DEFAULT_RETRY_POLICY */
  readonly policy?: RetryPolicy;
  /** @default Math.random */
  readonly random?: () => number;
  /** Passed to `classifyError` with the attempt number. */
  readonly context?: Omit<ClassifyContext, "attempt">;
}

/**
 * The decision after attempt `attempt` (1-based) failed with `thrown`: the failure is classified,
 * and it is retried only when its code is retryable and the policy's attempts are not used up.
 * A final error is the last attempt's code with `details.retryAttempts` added (its `cause` is the
 * classified error; other details are kept). The caller runs its own attempts and sleeps, and
 * ends them itself when its signal aborts: a decision is data, it never calls back.
 *
 * @example
 * for (let attempt = 1; ; attempt++) {
 *   try { return await download(url, { signal }); }
 *   catch (thrown) {
 *     if (signal.aborted) throw signal.reason;
 *     const next = retryDecision(thrown, attempt, { policy });
 *     if (!next.retry) throw next.error;
 *     await sleep(next.delayMs, signal);
 *   }
 * }
 */
export function retryDecision(thrown: unknown, attempt: number, options: RetryDecisionOptions = {}): RetryDecision {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const error = classifyError(thrown, { ...options.context, attempt });
  if (!shouldRetry(error, attempt, policy)) return { retry: false, error: withAttempts(error, attempt) };
  return { retry: true, delayMs: retryDelay(attempt, policy, options.random ?? Math.random), error };
}

/**
 * The retry layer's count goes under its own key: `details.attempts` may already be the
 * failing layer's own count (the artifact loader's downloads) and must survive.
 */
function withAttempts(error: ProofError, attempts: number): ProofError {
  if (error.details["retryAttempts"] === attempts) return error;
  return createProofError(error.code, error.message, { cause: error, details: { ...error.details, retryAttempts: attempts } });
}
