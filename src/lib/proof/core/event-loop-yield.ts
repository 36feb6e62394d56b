/**
 * Giving the event loop a turn between slices of main-thread work (no task over 50 ms
 * on the page's main thread, also while artifacts are hashed, stored and read back).
 *
 * `scheduler.yield()` where the browser has it (Chromium 129+): the continuation runs before
 * other queued tasks of the page, without `setTimeout`'s 4 ms clamp after nested calls.
 * `setImmediate` in Node; elsewhere a `setTimeout(0)` macrotask. Work is injected with a `YieldFn` so unit tests can
 * pass `noYield` and never sleep.
 */

/** Resolves after the host had a chance to run other tasks (input, rendering, timers). */
export type YieldFn = () => Promise<void>;

interface SchedulerLike {
  yield?: () => Promise<void>;
}

/**
 * The default {@link YieldFn}: `scheduler.yield()` when available; else `setImmediate` (Node:
 * runs after pending I/O, without `setTimeout`'s 1 ms minimum, which alone was a quarter of a
 * 4 ms cache hit); else a `setTimeout(0)` task.
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
