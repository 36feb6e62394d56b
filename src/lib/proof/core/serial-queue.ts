/**
 * Runs tasks one at a time in call order: each starts once the one before it has settled,
 * fulfilled or not, and a failure rejects only its own caller's promise. For a resource that
 * serves one task at a time, such as one wasm instance whose scratch memory a proof fills.
 *
 * @example
 * const serial = serialQueue();
 * const a = serial(() => prove(first)); // runs now
 * const b = serial(() => prove(second)); // runs after `a` settles
 */
export type SerialQueue = <T>(run: () => Promise<T> | T) => Promise<T>;

export function serialQueue(): SerialQueue {
  let last: Promise<unknown> = Promise.resolve();
  return <T>(run: () => Promise<T> | T): Promise<T> => {
    const next = last.then(run, run);
    // The chain only orders; each caller observes its own task's failure.
    last = next.catch(() => undefined);
    return next;
  };
}

/**
 * Waits for `queue`'s turn and holds it across awaits of the caller's own: resolves with the
 * function that ends the turn (call it once, failed or not). For work that pauses in the middle,
 * such as a proof that yields its phases to its caller.
 *
 * @example
 * const leave = await takeTurn(serial);
 * try { yield* proof; } finally { leave(); }
 */
export async function takeTurn(queue: SerialQueue): Promise<() => void> {
  let leave!: () => void;
  const left = new Promise<void>((resolve) => (leave = resolve));
  await new Promise<void>((enter) => void queue(() => (enter(), left)));
  return leave;
}
