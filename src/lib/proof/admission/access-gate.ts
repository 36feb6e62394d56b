/**
 * Admission before queueing: block list, allow list, then the per-user rate limit.
 *
 * The lists: the block list always wins; a non-empty allow list admits only its members (and no
 * anonymous caller). Ids compare through `normalizeUserId` (0x addresses case-insensitively).
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
import { AccessDeniedError } from "../core/errors.js";
import { RateLimiter } from "./rate-limiter.js";
import { normalizeUserId } from "./user-id.js";

export interface AccessListOptions {
  /** If non-empty, only these users are admitted. @default [] */
  readonly allow?: Iterable<string>;
  /** Always denied. @default [] */
  readonly block?: Iterable<string>;
}

export type AccessDecision = { readonly ok: true } | { readonly ok: false; readonly reason: "blocked" | "not-allowed" | "anonymous" };

/** Mutable allow/block lists. @example new AccessList({ block: ["0xBAD..."] }).check(userId) */
export class AccessList {
  readonly #allow = new Set<string>();
  readonly #block = new Set<string>();

  constructor(options: AccessListOptions = {}) {
    for (const id of options.allow ?? []) this.#allow.add(normalizeUserId(id));
    for (const id of options.block ?? []) this.#block.add(normalizeUserId(id));
  }

  /** The decision for a caller; `undefined` is an anonymous caller. */
  decide(userId: string | undefined): AccessDecision {
    if (userId === undefined) return this.#allow.size > 0 ? { ok: false, reason: "anonymous" } : { ok: true };
    const key = normalizeUserId(userId);
    if (this.#block.has(key)) return { ok: false, reason: "blocked" };
    if (this.#allow.size > 0 && !this.#allow.has(key)) return { ok: false, reason: "not-allowed" };
    return { ok: true };
  }

  /** @throws AccessDeniedError with `details.reason` ("blocked" | "not-allowed" | "anonymous"). */
  check(userId: string | undefined): void {
    const decision = this.decide(userId);
    if (!decision.ok) {
      throw new AccessDeniedError(`Access denied (${decision.reason}).`, { details: { reason: decision.reason } });
    }
  }

  allow(userId: string): void {
    this.#allow.add(normalizeUserId(userId));
  }

  disallow(userId: string): void {
    this.#allow.delete(normalizeUserId(userId));
  }

  block(userId: string): void {
    this.#block.add(normalizeUserId(userId));
  }

  unblock(userId: string): void {
    this.#block.delete(normalizeUserId(userId));
  }

  /** Normalised copies of both lists (for display or persistence). */
  snapshot(): { allow: string[]; block: string[] } {
    return { allow: [...this.#allow].sort(), block: [...this.#block].sort() };
  }
}

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
