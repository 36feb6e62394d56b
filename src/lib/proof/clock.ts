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
