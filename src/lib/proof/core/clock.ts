/**
 * Injected time and scheduling. Pools, retries, queues, rate limits and metrics read time only
 * through a `Clock`, so tests drive them with a fake clock instead of sleeping. Main-thread work
 * gives the event loop a turn between its slices through an injected `YieldFn` (no task over
 * 50 ms on the page's main thread, also while artifacts are hashed, stored and read back), so
 * tests pass `noYield` and never sleep either.
 */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds, monotonic where the platform allows (performance.now based). */
  now(): number;
  /** Wall-clock epoch milliseconds (for `now` public inputs, audit timestamps). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The longest duration any option accepts: 2^31 − 1 ms (about 24.8 days). Timers take a signed
 * 32-bit delay; Node and browsers fire a longer one almost at once (Node prints a
 * TimeoutOverflowWarning and waits 1 ms), so a "practically never" budget would expire at once.
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** True for a whole number of ms in [min, MAX_DURATION_MS] (min 1 for budgets, 0 for backoffs). */
export function isDuration(value: unknown, min: 0 | 1 = 1): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= min && value <= MAX_DURATION_MS;
}

export const systemClock: Clock = {
  now: () => globalThis.performance?.now() ?? Date.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Resolve after `ms`, or reject with the signal's reason as soon as it aborts.
 * The timer is cleared on abort so nothing keeps the event loop alive.
 */
export function sleep(ms: number, signal: AbortSignal | undefined, clock: Clock = systemClock): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal?.reason);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves after the host had a chance to run other tasks (input, rendering, timers). */
export type YieldFn = () => Promise<void>;

interface SchedulerLike {
  yield?: () => Promise<void>;
}

/**
 * The default {@link YieldFn}: `scheduler.yield()` when available (Chromium 129+: the
 * continuation runs before other queued tasks of the page, without `setTimeout`'s 4 ms clamp
 * after nested calls); else `setImmediate` (Node: runs after pending I/O, without
 * `setTimeout`'s 1 ms minimum, which alone was a quarter of a 4 ms cache hit); else a
 * `setTimeout(0)` task.
 */
export const yieldToEventLoop: YieldFn = () => {
  const g = globalThis as { scheduler?: SchedulerLike; setImmediate?: (fn: () => void) => unknown };
  if (typeof g.scheduler?.yield === "function") return g.scheduler.yield();
  if (typeof g.setImmediate === "function") {
    const immediate = g.setImmediate;
    return new Promise<void>((resolve) => void immediate(resolve));
  }
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
};

/** A {@link YieldFn} that only waits for a microtask (tests, and hosts without a UI thread). */
export const noYield: YieldFn = () => Promise.resolve();

/**
 * True on a window's main thread (a page), where a long task delays input and rendering; false
 * in workers and in Node, where the thread is not a UI thread.
 */
export function isUiThread(): boolean {
  const g = globalThis as { window?: unknown; document?: unknown };
  return typeof g.window !== "undefined" && g.window === globalThis && typeof g.document !== "undefined";
}
