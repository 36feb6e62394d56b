/**
 * A started worker as jobs call it: a method's name and arguments (no callback into the caller's
 * code), each call's wire result unwrapped, and a failed call back as its typed ProofError. Apart from worker-handle.ts, which knows nothing of jobs.
 */
import { fromWire, SystemError } from "../../core/errors.js";
import type { PooledWorker, WorkerMethod } from "./pool-types.js";
import type { WorkerResult } from "./worker-protocol.js";
import type { WorkerHandle } from "./worker-handle.js";

/** The worker as jobs call it: a failed call's wire error comes back as its typed ProofError. */
export function pooledWorker(id: number, handle: WorkerHandle): PooledWorker {
  return {
    id,
    circuits: new Set<string>(),
    has(method: WorkerMethod) {
      return typeof handle.api[method] === "function";
    },
    async call(method, ...args) {
      if (typeof handle.api[method] !== "function") throw new SystemError(`This prover worker has no ${method}().`, { details: { workerId: id } });
      // Called as a method of the api: a Comlink proxy forwards it, a plain object keeps its `this`.
      const api = handle.api as unknown as Record<WorkerMethod, (...a: unknown[]) => Promise<WorkerResult<never>>>;
      const result = await api[method](...args);
      if (!result.ok) throw fromWire(result.error);
      return result.value;
    },
  };
}
