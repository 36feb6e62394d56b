/**
 * An origin-wide lock, so that the loaders of several prover workers (and other tabs) do not
 * download or store the same artifact at the same time: Web Locks where the platform has them.
 */

/** Hold an origin-wide lock while `fn` runs (the shape of `navigator.locks.request`). */
export type Exclusive = <T>(name: string, signal: AbortSignal, fn: () => Promise<T>) => Promise<T>;

interface LockManagerLike {
  request<T>(name: string, options: { signal: AbortSignal }, fn: () => Promise<T>): Promise<T>;
}

/** Web Locks where the platform has them (browsers, in windows and workers alike); else null. */
export function webLocks(): Exclusive | null {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (typeof locks?.request !== "function") return null;
  return (name, signal, fn) => locks.request(name, { signal }, fn);
}
