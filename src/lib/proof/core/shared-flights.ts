/**
 * The one in-flight deduplication (artifact loads, identical proof requests): concurrent callers
 * asking for the same key share one task; a caller's abort ends only its own wait, and the task
 * itself is aborted when its last waiter leaves. Progress events fan out to every current waiter.
 *
 * lru-cache's `fetch()` also dedups, but one caller's abort aborts the shared fetch for all
 * (or, with `ignoreFetchAbort`, never aborts it): neither is what a proof queue needs.
 */
import { abortError, type AbortErrorOptions } from "./abort.js";
import { CancelledError } from "./errors.js";

interface Flight<T, E> {
  readonly controller: AbortController;
  readonly waiters: Set<(event: E) => void>;
  readonly promise: Promise<T>;
}

export class SharedFlights<T, E> {
  readonly #flights = new Map<string, Flight<T, E>>();

  /** Number of tasks currently running. */
  get size(): number {
    return this.#flights.size;
  }

  /** True while a task runs under `key` (a `join` now would share it). */
  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /**
   * Wait for the task under `key`, starting it with `start` when none is running.
   * `start` gets the task's own signal (aborted only when every waiter has left) and an emitter.
   * Rejects with the caller's abort reason (`abortError(signal, abort)`) when `signal` aborts first.
   */
  join(
    key: string,
    start: (signal: AbortSignal, emit: (event: E) => void) => Promise<T>,
    onEvent: (event: E) => void,
    signal: AbortSignal | undefined,
    abort: AbortErrorOptions = {},
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError(signal, abort));
    const flight = this.#flights.get(key) ?? this.#start(key, start);
    flight.waiters.add(onEvent);
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        flight.waiters.delete(onEvent);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        leave();
        if (flight.waiters.size === 0) {
          // Forget it first so a new caller starts afresh instead of joining a dying task.
          if (this.#flights.get(key) === flight) this.#flights.delete(key);
          flight.controller.abort(new CancelledError("Shared task cancelled: no waiters left", abort.details ? { details: abort.details } : {}));
        }
        reject(abortError(signal, abort));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      flight.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }

  #start(key: string, start: (signal: AbortSignal, emit: (event: E) => void) => Promise<T>): Flight<T, E> {
    const controller = new AbortController();
    const waiters = new Set<(event: E) => void>();
    const emit = (event: E) => waiters.forEach((w) => w(event));
    // Started in a microtask so the first waiter is registered before any event is emitted.
    const promise = Promise.resolve().then(() => start(controller.signal, emit));
    const flight: Flight<T, E> = { controller, waiters, promise };
    const done = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    promise.then(done, done);
    this.#flights.set(key, flight);
    return flight;
  }
}
