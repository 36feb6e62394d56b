/**
 * One promise per key, kept until it rejects: callers asking for a key share its pending or
 * fulfilled result, and a rejected one is dropped so the next call starts afresh (and reports
 * its error again) instead of replaying a stale failure forever. A rejection removes only the
 * promise that failed, never one started later under the same key.
 *
 * Backed by a WeakMap when keys are objects whose lifetime should bound the entry (a circuit's
 * zkey or wasm buffer: a reloaded circuit gets new bytes, and the old entry goes with the old
 * buffer), or by a Map for plain keys.
 */

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
