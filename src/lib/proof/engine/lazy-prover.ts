/**
 * A prover created on first use: a proof API that is never asked for a proof starts no worker
 * and opens no artifact store. After `dispose`, `get` throws DisposedError rather than start a
 * new prover behind a disposed API.
 */
import { DisposedError } from "../core/errors.js";
import type { Prover } from "./prover.js";

export interface LazyProver {
  get(): Prover;
  /** Dispose the prover if this owner created it (a prover passed in belongs to its owner). */
  dispose(): void;
}

/** `create` runs on the first `get`; `owns` says whether `dispose` disposes what it made. */
export function lazyProver(create: () => Prover, owns: boolean): LazyProver {
  let prover: Prover | undefined;
  let disposed = false;
  return {
    get() {
      if (disposed) throw new DisposedError("The proof API was disposed.");
      return (prover ??= create());
    },
    dispose() {
      disposed = true;
      if (owns) prover?.dispose();
    },
  };
}
