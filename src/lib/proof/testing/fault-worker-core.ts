/**
 * The worker side of worker faults. TEST-ONLY (see fault-plan.ts): used by
 * workers/prover.fault-worker.ts and workers/prover.fault-node-worker.ts, which wrap the REAL
 * prover core (src/lib/proof/worker/prover-core.ts) with it. The production worker entries never import it.
 *
 * The caller's thread decides (seeded schedule) and `arm()`s one fault right before a `prove`;
 * the fault fires INSIDE that proof, after the witness, in snarkjs's prove call:
 * - `crash`: the worker dies at snarkjs's first prover log line (mid-proof): Node worker
 *   threads exit with a non-zero code, Web Workers raise an uncaught error.
 * - `memory`: a capped WebAssembly.Memory is grown past its maximum, so V8 itself throws
 *   `RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded`. The core classifies
 *   it with the one classification table like any real out-of-memory (RESOURCE_EXHAUSTED).
 * - `stall`: the proof waits `stallMs` before proving, so the caller's timeout fires first.
 * Because faults live in snarkjs's prove call, a fault worker always proves with the snarkjs
 * backend, whatever backend the prover's options name (the default is bn254).
 */
import type { ProverWorkerApi, WorkerResult } from "../engine/pool/worker-protocol.js";
import { FAULT_MARKER, WORKER_FAULT_KINDS, type WorkerFaultKind } from "./fault-plan.js";

/** The fault a worker should inject into its next proof. */
export interface ArmedFault {
  readonly kind: WorkerFaultKind;
  /** `stall`: how long the proof waits. @default 3600000 */
  readonly stallMs?: number;
  /** `memory`: pages (64 KiB) of the memory that is exhausted. @default 16 */
  readonly memoryPages?: number;
}

/** The prover worker API plus the fault hook, as the fault worker entries expose it. */
export interface FaultWorkerApi extends ProverWorkerApi {
  /** Inject `fault` into the next `prove` call of this worker. */
  arm(fault: ArmedFault): Promise<WorkerResult<{ armed: WorkerFaultKind }>>;
}

export interface FaultInjectorHooks {
  /** Kill this worker now (Node: `process.exit(code)`; browsers: an uncaught error). */
  crash(): void;
}

/** The slice of snarkjs the wrapper touches. */
interface SnarkjsLike {
  groth16: { prove(zkey: unknown, wtns: unknown, logger?: unknown, options?: unknown): Promise<unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}

interface Logger {
  debug(message: unknown): void;
  [key: string]: unknown;
}

/** Grow a capped WebAssembly memory past its maximum: V8 throws a real RangeError. */
export function exhaustWasmMemory(pages = 16): never {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: pages });
  for (let i = 0; i <= pages; i++) memory.grow(1);
  // Unreachable: grow() throws once the maximum is reached.
  throw new RangeError(`${FAULT_MARKER}: WebAssembly memory did not hit its maximum`);
}

export interface FaultInjector {
  /** Wrap the snarkjs import the prover core uses, so armed faults fire inside its prove. */
  wrapSnarkjs<S>(load: () => Promise<S>): () => Promise<S>;
  /** The core's API plus `arm()`, ready for comlink. */
  expose(core: ProverWorkerApi): FaultWorkerApi;
}

/** Create the worker-side injector. One per worker. */
export function createFaultInjector(hooks: FaultInjectorHooks): FaultInjector {
  let armed: ArmedFault | undefined;

  const faultyProve =
    (real: SnarkjsLike["groth16"]["prove"]) =>
    async (zkey: unknown, wtns: unknown, logger?: unknown, options?: unknown): Promise<unknown> => {
      const fault = armed;
      armed = undefined;
      if (!fault) return real(zkey, wtns, logger, options);
      if (fault.kind === "memory") exhaustWasmMemory(fault.memoryPages);
      if (fault.kind === "stall") {
        await new Promise((resolve) => setTimeout(resolve, fault.stallMs ?? 3_600_000));
        return real(zkey, wtns, logger, options);
      }
      // crash: at snarkjs's first log line, i.e. once the real proving has started.
      const inner = logger as Logger | undefined;
      let crashed = false;
      const crashing: Logger = {
        ...(inner ?? {}),
        debug: (message: unknown) => {
          if (!crashed) {
            crashed = true;
            hooks.crash();
          }
          inner?.debug(message);
        },
      };
      return real(zkey, wtns, crashing, options);
    };

  return {
    wrapSnarkjs<S>(load: () => Promise<S>) {
      return async () => {
        const mod = (await load()) as unknown as SnarkjsLike;
        const groth16 = { ...mod.groth16, prove: faultyProve(mod.groth16.prove.bind(mod.groth16)) };
        return { ...mod, groth16 } as unknown as S;
      };
    },
    expose(core) {
      return {
        init: (o) => core.init({ ...o, backend: "snarkjs" }),
        load: (circuitId, wasm, zkey) => core.load(circuitId, wasm, zkey),
        ...(core.loadPinned ? { loadPinned: core.loadPinned.bind(core) } : {}),
        prove: (circuitId, input, onProgress, options) => core.prove(circuitId, input, onProgress, options),
        verify: (vkey, publicSignals, proof) => core.verify(vkey, publicSignals, proof),
        async arm(fault) {
          if (!WORKER_FAULT_KINDS.includes(fault?.kind)) {
            return { ok: false, error: { code: "SYSTEM_ERROR", message: `${FAULT_MARKER}: unknown worker fault`, details: { kind: String(fault?.kind) } } };
          }
          armed = fault;
          return { ok: true, value: { armed: fault.kind } };
        },
      };
    },
  };
}
