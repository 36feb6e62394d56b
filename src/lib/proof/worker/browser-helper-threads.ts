/**
 * Helper threads for ffjavascript inside a browser prover worker (a module Web Worker).
 *
 * ffjavascript's threads are nested Web Workers: they work in a dedicated worker as they are. Two
 * things are added, before snarkjs is imported: the `Worker` constructor ffjavascript captures is
 * replaced by a subclass that reports a helper's error event (its task queue would otherwise wait
 * for that thread forever), and the thread count ffjavascript reads
 * (`navigator.hardwareConcurrency`) is shown as the granted count while a curve is built.
 * Terminating the prover worker (cancel, dispose) stops its nested workers with it.
 */
import { buildAside, type Curve, type HelperThreads } from "./threaded-curve.js";

type Scope = { Worker?: typeof Worker; navigator?: object };

/** Install the reporting Worker (call before snarkjs or ffjavascript is imported). */
export function installBrowserHelperThreads(scope: Scope = globalThis as unknown as Scope): HelperThreads {
  const listeners: Array<(cause?: unknown) => void> = [];
  const Native = scope.Worker;
  if (Native) {
    scope.Worker = class HelperWorker extends Native {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener("error", (event) => {
          event.preventDefault();
          // Only the message crosses from a nested worker; it is classified, never echoed.
          const cause = new Error(event.message);
          for (const listener of listeners) listener(cause);
        });
      }
    };
  }
  return {
    async build(threads) {
      const { buildBn128 } = (await import("ffjavascript")) as unknown as { buildBn128(single: boolean): Promise<Curve> };
      const nav = scope.navigator;
      if (nav) Object.defineProperty(nav, "hardwareConcurrency", { configurable: true, get: () => threads });
      try {
        return await buildAside(buildBn128);
      } finally {
        // The own property shadowed the prototype's getter; removing it restores the real count.
        if (nav) delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
      }
    },
    onDeath(listener) {
      listeners.push(listener);
    },
  };
}
