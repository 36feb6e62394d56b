/**
 * Per-user sliding-window rate limit (default 10 proofs per hour), checked before a
 * request is queued. An event recorded at `t` counts while `now < t + windowMs`.
 *
 * Memory is bounded: a user keeps at most `limit` timestamps (older ones can never decide a
 * check: the limit is reached by the newest `limit` events alone), and users whose window is
 * empty are dropped on touch and by a periodic sweep.
 */
import { systemClock, type Clock } from "../core/clock.js";
import { RateLimitError } from "../core/errors.js";
import { normalizeUserId } from "./user-id.js";

/** The limit and window are resolved by the facade's options (`rateLimit`) and trusted here. */
export interface RateLimiterOptions {
  /** Events allowed per window and user (an integer >= 1). */
  readonly limit: number;
  /** Window length in ms (a timer duration). */
  readonly windowMs: number;
  /** Time source (its monotonic `now()`). @default systemClock */
  readonly clock?: Clock;
  /** Sweep all users for empty windows every this many operations. @default 256 */
  readonly sweepEvery?: number;
}

/** Often enough to bound the memory of users gone quiet, rare enough to cost nothing per check. */
const SWEEP_EVERY = 256;

/** A sliding-window limiter. @example limiter.checkAndRecord(address) // throws RateLimitError */
export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  readonly #sweepEvery: number;
  /** Per user, ascending timestamps still inside the window (at most `limit`). */
  readonly #events = new Map<string, number[]>();
  #ops = 0;

  constructor(options: RateLimiterOptions) {
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#sweepEvery = options.sweepEvery ?? SWEEP_EVERY;
    this.#clock = options.clock ?? systemClock;
  }

  /** Live timestamps of a user after dropping expired ones (and the user, when none are left). */
  #live(key: string, now: number): number[] {
    if (++this.#ops % this.#sweepEvery === 0) this.prune();
    const events = this.#events.get(key);
    if (!events) return [];
    let expired = 0;
    while (expired < events.length && events[expired]! + this.windowMs <= now) expired++;
    if (expired > 0) events.splice(0, expired);
    if (events.length === 0) this.#events.delete(key);
    return events;
  }

  /**
   * Throw if recording one more event now would exceed the limit.
   * @throws RateLimitError with `details.retryAfterMs`: exactly when the oldest counted event
   *   leaves the window, i.e. when a check would next pass.
   */
  check(userId: string): void {
    const now = this.#clock.now();
    const events = this.#live(normalizeUserId(userId), now);
    if (events.length < this.limit) return;
    // Only the newest `limit` are kept, so the first is the one whose expiry frees a slot.
    const retryAfterMs = events[events.length - this.limit]! + this.windowMs - now;
    throw new RateLimitError(`Rate limit of ${this.limit} proofs per ${this.windowMs} ms reached.`, {
      details: { retryAfterMs, limit: this.limit, windowMs: this.windowMs },
    });
  }

  /** Count one event now, without checking (e.g. a request admitted by other means). */
  record(userId: string): void {
    const key = normalizeUserId(userId);
    const now = this.#clock.now();
    const events = this.#live(key, now);
    events.push(now);
    if (events.length > this.limit) events.splice(0, events.length - this.limit);
    this.#events.set(key, events);
  }

  /** `check` then `record`: the usual call before queueing a request. */
  checkAndRecord(userId: string): void {
    this.check(userId);
    this.record(userId);
  }

  /** Events this user may still make in the current window. */
  remaining(userId: string): number {
    return Math.max(0, this.limit - this.#live(normalizeUserId(userId), this.#clock.now()).length);
  }

  /** Forget one user, or everyone. */
  reset(userId?: string): void {
    if (userId === undefined) this.#events.clear();
    else this.#events.delete(normalizeUserId(userId));
  }

  /** Drop every user whose window is empty. */
  prune(): void {
    const now = this.#clock.now();
    for (const [key, events] of this.#events) {
      if (events.length === 0 || events[events.length - 1]! + this.windowMs <= now) this.#events.delete(key);
    }
  }

  /** Users currently tracked (bounded by users active within one window). */
  get trackedUsers(): number {
    return this.#events.size;
  }
}
