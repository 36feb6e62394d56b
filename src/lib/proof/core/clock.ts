/**
 * Injected time. Pools, retries, queues, rate limits and metrics read time only through a
 * `Clock`, so tests drive them with a fake clock instead of sleeping.
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
