/**
 * Fault-aware worker factories: the pool gets ordinary `WorkerHandle`s whose workers run the
 * real prover core wrapped with the fault injector. TEST-ONLY (see fault-plan.ts).
 *
 * Decisions are taken HERE, in the caller's thread, by one seeded schedule shared by every
 * worker the factory makes: replacing a crashed worker does not reset the plan, and the same
 * seed gives the same faults on the same sequence of proofs. A fired fault is `arm()`ed in the
 * worker right before its `prove` (comlink keeps the two messages in order).
 *
 * The Node factory takes the `Worker` class from the caller (`import { Worker } from
 * "node:worker_threads"`), so `proofline/testing` itself imports no Node module and stays
 * loadable in browser test harnesses.
 */
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createWorkerHandle, nodeWorkerDeaths, webWorkerDeaths } from "../engine/pool/worker-handle.js";
import type { WorkerFactory } from "../engine/pool/worker-pool.js";
import type { ProverWorkerApi } from "../engine/pool/worker-protocol.js";
import { FaultSchedule, WORKER_FAULT_KINDS, type FaultPlan, type WorkerFaultKind } from "./fault-plan.js";
import type { FaultWorkerApi } from "./fault-worker-core.js";

export interface FaultWorkerOptions {
  /** `stall` faults wait this long (make it longer than the prover's timeout). @default 3600000 */
  readonly stallMs?: number;
  /** `memory` faults exhaust a WebAssembly memory of this many pages. @default 16 */
  readonly memoryPages?: number;
  /** Run every worker as a small device: growable WebAssembly memories capped at this many pages. */
  readonly wasmPageCap?: number;
}

/** A worker factory with the log of the faults it injected. */
export type FaultWorkerFactory = WorkerFactory & { readonly schedule: FaultSchedule<WorkerFaultKind> };

/** The pool-facing API: the remote's calls, with an `arm()` before each faulted `prove`. */
export function withFaultSchedule(remote: FaultWorkerApi, schedule: FaultSchedule<WorkerFaultKind>, options: FaultWorkerOptions = {}): ProverWorkerApi {
  return {
    init: (o) => remote.init(o),
    load: (circuitId, wasm, zkey) => remote.load(circuitId, wasm, zkey),
    loadPinned: (circuit, onProgress) => (remote.loadPinned ? remote.loadPinned(circuit, onProgress) : Promise.resolve({ ok: false as const, error: { code: "SYSTEM_ERROR" as const, message: "No artifact loader in this worker.", details: {} } })),
    verify: (vkey, publicSignals, proof) => remote.verify(vkey, publicSignals, proof),
    async prove(circuitId, input, onProgress) {
      const fault = schedule.decide({ circuitId });
      if (fault) {
        const armed = await remote.arm({
          kind: fault.kind,
          ...(options.stallMs !== undefined ? { stallMs: options.stallMs } : {}),
          ...(options.memoryPages !== undefined ? { memoryPages: options.memoryPages } : {}),
        });
        if (!armed.ok) return armed;
      }
      return remote.prove(circuitId, input, onProgress);
    },
  };
}

/** The `Worker` class of node:worker_threads (structural: this module imports no Node code). */
export interface NodeWorkerLike {
  on(event: "error" | "messageerror", listener: (error: unknown) => void): unknown;
  on(event: "exit", listener: (exitCode: number) => void): unknown;
  terminate(): Promise<number>;
  postMessage(message: unknown, transfer?: readonly unknown[]): void;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}
export type NodeWorkerClass = new (url: URL | string, options: { workerData?: unknown; resourceLimits?: Record<string, number> }) => NodeWorkerLike;

export interface NodeFaultWorkerFactoryOptions extends FaultWorkerOptions {
  /** `Worker` from `node:worker_threads`. */
  readonly Worker: NodeWorkerClass;
  /** @default dist/prover.fault-node-worker.js (next to dist/testing.js) */
  readonly url?: URL | string;
  readonly resourceLimits?: Record<string, number>;
  /** Called with each raw worker. */
  readonly onSpawn?: (worker: NodeWorkerLike) => void;
}

// See node-worker-factory.ts: ffjavascript's web-worker shim reads workerData.mod in any thread.
const SHIM_DATA = { mod: "data:text/javascript,", name: "proofline-prover", type: "classic" } as const;
const NODE_WORKER = "./prover.fault-node-worker.js";
const WEB_WORKER = "./prover.fault-worker.js";

/**
 * A Node worker factory whose workers inject the planned faults.
 * @example
 * import { Worker } from "node:worker_threads";
 * const workerFactory = createNodeFaultWorkerFactory({ kind: "crash", nth: 1, seed: 1 }, { Worker });
 * const api = createNodeProofAPI({ workerFactory, proverOptions: { poolSize: 1 } });
 */
export function createNodeFaultWorkerFactory(plans: FaultPlan | readonly FaultPlan[], options: NodeFaultWorkerFactoryOptions): FaultWorkerFactory {
  const schedule = new FaultSchedule<WorkerFaultKind>(plans, WORKER_FAULT_KINDS);
  const url = options.url ?? new URL(/* @vite-ignore */ NODE_WORKER, import.meta.url);
  const factory: WorkerFactory = () => {
    const worker = new options.Worker(url, {
      workerData: { ...SHIM_DATA, ...(options.wasmPageCap !== undefined ? { wasmPageCap: options.wasmPageCap } : {}) },
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    options.onSpawn?.(worker);
    const remote = Comlink.wrap<FaultWorkerApi>(nodeEndpoint(worker as never)) as unknown as FaultWorkerApi;
    return createWorkerHandle(
      withFaultSchedule(remote, schedule, options),
      nodeWorkerDeaths(worker),
      () => void worker.terminate(),
    );
  };
  return Object.assign(factory, { schedule });
}

export interface FaultWorkerFactoryOptions extends FaultWorkerOptions {
  /** The built fault worker's URL. @default dist/prover.fault-worker.js (next to dist/testing.js) */
  readonly url?: URL | string;
  /** @default globalThis.Worker */
  readonly Worker?: typeof Worker;
}

/** A browser (module Web Worker) factory whose workers inject the planned faults. */
export function createFaultWorkerFactory(plans: FaultPlan | readonly FaultPlan[], options: FaultWorkerFactoryOptions = {}): FaultWorkerFactory {
  const schedule = new FaultSchedule<WorkerFaultKind>(plans, WORKER_FAULT_KINDS);
  // A variable, not a literal: this worker is test-only and must never be pulled into a
  // consumer's production bundle by a bundler that recognises `new Worker(new URL("..."))`.
  const url = options.url ?? new URL(/* @vite-ignore */ WEB_WORKER, import.meta.url);
  const factory: WorkerFactory = () => {
    const Ctor = options.Worker ?? globalThis.Worker;
    const name = options.wasmPageCap !== undefined ? `proofline-fault wasmPageCap=${options.wasmPageCap}` : "proofline-fault";
    const worker = new Ctor(url, { type: "module", name });
    const remote = Comlink.wrap<FaultWorkerApi>(worker) as unknown as FaultWorkerApi;
    return createWorkerHandle(
      withFaultSchedule(remote, schedule, options),
      webWorkerDeaths(worker),
      () => worker.terminate(),
    );
  };
  return Object.assign(factory, { schedule });
}
