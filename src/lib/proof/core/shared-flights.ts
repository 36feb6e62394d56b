/**
 * Sharing one promise by key, so that callers asking for the same thing at once start it once.
 * Two lifetimes:
 *
 * - `SharedFlights`, the one in-flight deduplication (artifact loads, identical proof
 *   requests): concurrent callers asking for the same key share one task while it runs; a
 *   caller's abort ends only its own wait, and the task itself is aborted when its last waiter
 *   leaves. The map holds flights as data and never calls into its owner: the owner starts a
 *   task with the flight's signal, tells the flight's current listeners its events, and hands
 *   the flight to `add`; later callers `wait` for it. lru-cache's `fetch()` also dedups, but one caller's abort aborts the
 *   shared fetch for all (or, with `ignoreFetchAbort`, never aborts it): neither is what a proof
 *   queue needs.
 * - `PromiseMemo`, one promise per key kept until it rejects: callers share its pending or
 *   fulfilled result, and a rejected one is dropped so the next call starts afresh (and reports
 *   its error again) instead of replaying a stale failure forever. A rejection removes only the
 *   promise that failed, never one started later under the same key. Backed by a WeakMap when
 *   keys are objects whose lifetime should bound the entry (a circuit's zkey or wasm buffer: a
 *   reloaded circuit gets new bytes, and the old entry goes with the old buffer), or by a Map
 *   for plain keys.
 */
import { abortError, type AbortErrorOptions } from "./abort.js";
import { CancelledError } from "./errors.js";

/** One shared task. */
export interface Flight<T, E> {
  /** Its task's controller: the map aborts it when the last waiter leaves. */
  readonly controller: AbortController;
  /** The current waiters' listeners (the map adds and removes them; the owner tells them events). */
  readonly listeners: Set<(event: E) => void>;
  readonly promise: Promise<T>;
}

export class SharedFlights<T, E> {
  readonly #flights = new Map<string, Flight<T, E>>();

  /** Number of tasks currently running. */
  get size(): number {
    return this.#flights.size;
  }

  /** True while a task runs under `key` (a `wait` now would share it). */
  has(key: string): boolean {
    return this.#flights.has(key);
  }

  /** Run `flight` under `key` until it settles; a later `wait` for `key` shares it. */
  add(key: string, flight: Flight<T, E>): void {
    const done = () => {
      if (this.#flights.get(key) === flight) this.#flights.delete(key);
    };
    flight.promise.then(done, done);
    this.#flights.set(key, flight);
  }

  /**
   * Wait for the task under `key`, with `listener` among its listeners until this wait ends
   * (pass a listener of this wait's own: listeners are a set). Undefined when no task runs under
   * `key`. Rejects with the caller's abort reason (`abortError(signal, abort)`) when `signal`
   * aborts first; the task is aborted when its last waiter has left so.
   */
  wait(key: string, listener: (event: E) => void, signal: AbortSignal | undefined, abort: AbortErrorOptions = {}): Promise<T> | undefined {
    const flight = this.#flights.get(key);
    if (!flight) return undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal, abort));
    flight.listeners.add(listener);
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        flight.listeners.delete(listener);
        signal?.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        leave();
        if (flight.listeners.size === 0) {
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

}

/** What both Map and WeakMap offer. */
interface PromiseStore<K, V> {
  get(key: K): Promise<V> | undefined;
  set(key: K, value: Promise<V>): unknown;
  delete(key: K): boolean;
}

export class PromiseMemo<K, V> {
  readonly #store: PromiseStore<K, V>;

  private constructor(store: PromiseStore<K, V>) {
    this.#store = store;
  }

  /** Entries held as long as their key object lives. */
  static weak<K extends object, V>(): PromiseMemo<K, V> {
    return new PromiseMemo<K, V>(new WeakMap<K, Promise<V>>());
  }

  /** Entries held until they reject or are deleted. */
  static strong<K, V>(): PromiseMemo<K, V> {
    return new PromiseMemo<K, V>(new Map<K, Promise<V>>());
  }

  /** The promise under `key`, started with `start()` when none is held. */
  get(key: K, start: () => Promise<V>): Promise<V> {
    return this.#store.get(key) ?? this.set(key, start);
  }

  /** The promise under `key`, if one is held (pending or fulfilled). */
  peek(key: K): Promise<V> | undefined {
    return this.#store.get(key);
  }

  /** Starts `start()` under `key`, replacing whatever was held there. */
  set(key: K, start: () => Promise<V>): Promise<V> {
    // Started now (callers may rely on the work having begun); a synchronous throw becomes this
    // key's rejection, like any other failure of `start`.
    let promise: Promise<V>;
    try {
      promise = start();
    } catch (error) {
      promise = Promise.reject(error);
    }
    return this.keep(key, promise);
  }

  /**
   * Holds `promise`, already started by the caller, under `key` (replacing whatever was held
   * there) until it rejects: with `peek`, a caller runs its own work and the memo only keeps it.
   */
  keep(key: K, promise: Promise<V>): Promise<V> {
    this.#store.set(key, promise);
    promise.catch(() => {
      if (this.#store.get(key) === promise) this.#store.delete(key);
    });
    return promise;
  }

  /** Forget `key` (e.g. a calculator that failed after it was built): the next `get` starts afresh. */
  delete(key: K): void {
    this.#store.delete(key);
  }
}
