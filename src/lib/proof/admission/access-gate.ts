/**
 * Admission before queueing: block list, allow list, then the per-user rate limit.
 * Synchronous on purpose: the facade calls it right before queueing, with no await in between,
 * so two concurrent requests cannot both pass the last free slot of a window.
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

  /**
   * Admit one request now: check the lists and the limit, run `enqueue`, and count the request
   * only when `enqueue` returned (a QueueFullError thrown by it leaves the user's budget alone).
   * Synchronous end to end, so the last free slot goes to one request only.
   * @throws AccessDeniedError (`details.reason`: blocked | not-allowed | anonymous)
   * @throws RateLimitError (`details.retryAfterMs`: when a request would next be admitted)
   */
  admit<T>(userId: string | undefined, enqueue: () => T): T {
    this.#access.check(userId);
    if (userId !== undefined) this.#limiter?.check(userId);
    const queued = enqueue();
    if (userId !== undefined) this.#limiter?.record(userId);
    return queued;
  }

  /** The mutable lists (e.g. block a user at run time). */
  get accessList(): AccessList {
    return this.#access;
  }
}
