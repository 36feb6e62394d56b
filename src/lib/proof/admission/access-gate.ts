/**
 * Admission before queueing: block list, allow list, then the per-user rate limit.
 * Synchronous on purpose: the facade checks right before queueing and records right after, with
 * no await in between, so two concurrent requests cannot both pass the last free slot of a window.
 *
 * Decisions: every admitted request counts against the limit (including ones later served from
 * the cache or failing), because admission is where the limit protects; a request refused after
 * the check (QUEUE_FULL) does not count: the user got nothing for it. Anonymous requests
 * (no `userId`) are not rate limited, since there is nobody to attribute them to. A dapp that
 * must limit everyone requires ids with `allowList` or its own `beforeQueue`.
 */
import type { Clock } from "../core/clock.js";
import { AccessList } from "./access-list.js";
import { RateLimiter } from "./rate-limiter.js";
/** What admission needs, resolved by the caller: the gate reads it and never validates it. */
export interface AccessGateConfig {
  /** Requests per user per window, or false for no limit. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number } | false;
  readonly allowList: readonly string[];
  readonly blockList: readonly string[];
}

export class AccessGate {
  readonly #access: AccessList;
  readonly #limiter: RateLimiter | undefined;

  constructor(options: AccessGateConfig, clock: Clock) {
    this.#access = new AccessList({ allow: options.allowList, block: options.blockList });
    this.#limiter = options.rateLimit ? new RateLimiter({ limit: options.rateLimit.max, windowMs: options.rateLimit.windowMs, clock }) : undefined;
  }

  /** True when there is something to enforce: a list or a rate limit. */
  static needed(options: AccessGateConfig): boolean {
    return options.rateLimit !== false || options.allowList.length > 0 || options.blockList.length > 0;
  }

  /**
   * Check one request now against the lists and the limit. The caller queues it and then calls
   * `record` with no await in between, so the last free slot goes to one request only; a request
   * the queue refused (QueueFullError) is never recorded and leaves the user's budget alone.
   * @throws AccessDeniedError (`details.reason`: blocked | not-allowed | anonymous)
   * @throws RateLimitError (`details.retryAfterMs`: when a request would next be admitted)
   */
  check(userId: string | undefined): void {
    this.#access.check(userId);
    if (userId !== undefined) this.#limiter?.check(userId);
  }

  /** Count an admitted request against its user's limit. */
  record(userId: string | undefined): void {
    if (userId !== undefined) this.#limiter?.record(userId);
  }

  /** The mutable lists (e.g. block a user at run time). */
  get accessList(): AccessList {
    return this.#access;
  }
}
