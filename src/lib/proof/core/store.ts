/**
 * Svelte store contract without importing svelte: any object whose `subscribe(run)` calls `run`
 * at once with the current value and returns an unsubscribe is a store (`$store`, `get`,
 * `derived` all accept it). The core stays framework-free; Svelte 5 components use these as is.
 *
 * Values are immutable snapshots and change notification uses `Object.is`, so a subscriber
 * runs only when a new snapshot was produced (unlike svelte's own stores, which re-run for
 * every object `set`).
 */

export type Subscriber<T> = (value: T) => void;
export type Unsubscriber = () => void;
/** Called when the first subscriber arrives; returns the cleanup run when the last leaves. */
export type StartStopNotifier<T> = (set: (value: T) => void, update: (fn: (value: T) => T) => void) => void | (() => void);

export interface Readable<T> {
  /** Calls `run` now and on every change; the second argument exists for svelte compatibility. */
  subscribe(run: Subscriber<T>, invalidate?: () => void): Unsubscriber;
}

export interface Writable<T> extends Readable<T> {
  set(value: T): void;
  update(fn: (value: T) => T): void;
}

/**
 * A writable store. `start` runs when the first subscriber arrives and its cleanup when the
 * last leaves, so a store backed by a source does no work while nobody listens.
 */
export function writable<T>(initial: T, start?: StartStopNotifier<T>): Writable<T> {
  let value = initial;
  let stop: (() => void) | undefined;
  // False until `start` has returned: values it sets synchronously reach the first subscriber
  // through its initial call only, not twice (svelte behaves the same).
  let active = false;
  const subscribers = new Set<{ run: Subscriber<T>; invalidate: (() => void) | undefined }>();

  const set = (next: T): void => {
    if (Object.is(value, next)) return;
    value = next;
    if (!active) return;
    // Invalidate all first so derived stores see one consistent change (svelte's order).
    for (const s of subscribers) s.invalidate?.();
    for (const s of [...subscribers]) if (subscribers.has(s)) s.run(value);
  };
  const update = (fn: (value: T) => T): void => set(fn(value));

  return {
    set,
    update,
    subscribe(run, invalidate) {
      const entry = { run, invalidate };
      subscribers.add(entry);
      if (subscribers.size === 1) {
        stop = start?.(set, update) ?? undefined;
        active = true;
      }
      run(value);
      return () => {
        if (!subscribers.delete(entry) || subscribers.size > 0) return;
        active = false;
        stop?.();
        stop = undefined;
      };
    },
  };
}

/** A read-only store; the value changes only through `start`'s `set`/`update`. */
export function readable<T>(initial: T, start?: StartStopNotifier<T>): Readable<T> {
  return { subscribe: writable(initial, start).subscribe };
}

/** A store whose value is `fn(source value)`; subscribes to `source` only while it has subscribers. */
export function derived<S, T>(source: Readable<S>, fn: (value: S) => T, initial?: T): Readable<T> {
  return readable<T>(initial as T, (set) => source.subscribe((value) => set(fn(value))));
}
