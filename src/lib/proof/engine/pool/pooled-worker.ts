/**
 * A started worker as jobs call it: each call's wire result is unwrapped, and a failed call
 * comes back as its typed ProofError. Apart from worker-handle.ts, which knows nothing of jobs.
 */
import { fromWire } from "../../core/errors.js";
import type { PooledWorker } from "./pool-types.js";
import type { WorkerHandle } from "./worker-handle.js";

/** The worker as jobs call it: a failed call's wire error comes back as its typed ProofError. */
export function pooledWorker(id: number, handle: WorkerHandle): PooledWorker {
  return {
    id,
    circuits: new Set<string>(),
    async call(fn) {
      const result = await fn(handle.api);
      if (!result.ok) throw fromWire(result.error);
      return result.value;
    },
  };
}
