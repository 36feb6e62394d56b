/**
 * `createProver`: the generic proving engine. Proves any circom circuit described by a pinned
 * `CircuitDefinition`, in a pool of warm workers, with cancellation, timeouts and real progress.
 * Nothing EBSL-specific lives here.
 */
import * as Comlink from "comlink";
import {
  CircuitNotFoundError,
  DisposedError,
  ProofError,
  SystemError,
  TimeoutError,
  VerificationError,
} from "../errors.js";
import { AbortScope, raceSignal } from "../abort.js";
import { canonicalizeInput } from "./canonical-input.js";
import { checkCallOptions, durationMs, resolveOptions, type ProverOptions } from "./prover-options.js";
import { ProvingProgress } from "./proving-progress.js";
import type {
  ArtifactProgress,
  CircuitDefinition,
  CircuitInput,
  Groth16Proof,
  LoadedArtifacts,
  ProveOptions,
  ProveResult,
} from "./types.js";
import { WorkerPool, type PooledWorker } from "./worker-pool.js";
import type { WorkerProgress } from "./worker-protocol.js";

export { DEFAULTS, defaultPoolSize, resolveOptions } from "./prover-options.js";
export type { ProverOptions, ResolvedProverOptions } from "./prover-options.js";

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface RerandomizeCallOptions extends CallOptions {
  /** When given, the re-randomised proof is also verified against the pinned vkey (VERIFICATION_FAILED otherwise). */
  readonly publicSignals?: readonly string[];
}

export interface Prover {
  /** Prove `input` with circuit `circuitId`; verifies against the pinned vkey unless `verify: false`. */
  prove(circuitId: string, input: CircuitInput, options?: ProveOptions): Promise<ProveResult>;
  /** Verify a proof against the circuit's pinned vkey (in a worker: the caller's thread stays free). */
  verify(circuitId: string, proof: Groth16Proof, publicSignals: string[], options?: CallOptions): Promise<boolean>;
  /**
   * A Groth16 re-randomisation of `proof` with the circuit's pinned vkey, computed in a worker
   * with its warm curve: the same statement, different bytes. Optional for custom provers.
   */
  rerandomize?(circuitId: string, proof: Groth16Proof, options?: RerandomizeCallOptions): Promise<Groth16Proof>;
  /** Load a circuit's artifacts and start a worker holding them, so the next proof is warm. */
  preload(circuitId: string, options?: CallOptions): Promise<void>;
  /** Terminate every worker; pending and running calls reject with DISPOSED. */
  dispose(): void;
}

/**
 * Create a prover. Nothing starts until the first call.
 * @example
 * const prover = createProver({ circuits: manifest.circuits, artifacts, workerFactory });
 * const { proof, publicSignals } = await prover.prove("ebsl-16", input, { signal, onProgress });
 */
export function createProver(options: ProverOptions): Prover {
  const o = resolveOptions(options);
  const clock = o.clock;
  const pool = new WorkerPool({
    factory: o.workerFactory,
    size: o.poolSize,
    maxProofsPerWorker: o.maxProofsPerWorker,
    maxStartFailures: o.maxStartFailures,
    startTimeoutMs: o.startTimeoutMs,
    threads: o.threads,
    clock,
  });
  // Jobs join this scope instead of listening to one shared disposal signal: any number of
  // concurrent calls adds no listener to it (no MaxListenersExceededWarning, nothing kept).
  const disposal = new AbortScope();

  const circuitOf = (circuitId: string): CircuitDefinition => {
    const circuit = o.circuits.get(circuitId);
    if (!circuit) throw new CircuitNotFoundError(`No circuit "${circuitId}" in this prover.`, { details: { circuitId } });
    return circuit;
  };

  /** One signal for a call: the caller's abort, the time budget, and disposal. */
  const jobSignal = (callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, circuitId: string) => {
    const budget = durationMs("timeoutMs", timeoutMs ?? o.timeoutMs);
    const job = disposal.link([callerSignal]);
    const timer = clock.setTimeout(
      () => job.abort(new TimeoutError(`The proof exceeded its ${budget} ms budget.`, { details: { circuitId, timeoutMs: budget } })),
      budget,
    );
    const cleanup = () => {
      clock.clearTimeout(timer);
      job.release();
    };
    return { signal: job.signal, cleanup };
  };

  const loadArtifacts = (circuit: CircuitDefinition, signal: AbortSignal, onProgress?: (p: ArtifactProgress) => void) =>
    raceSignal(o.artifacts.load(circuit, { signal, ...(onProgress ? { onProgress } : {}) }), signal);

  /** Artifacts go to each worker once; a copy is transferred since the loader keeps its own. */
  const ensureLoaded = async (worker: PooledWorker, artifacts: LoadedArtifacts): Promise<void> => {
    if (worker.circuits.has(artifacts.circuitId)) return;
    const wasm = artifacts.wasm.slice();
    const zkey = artifacts.zkey.slice();
    await worker.call((api) => api.load(artifacts.circuitId, Comlink.transfer(wasm, [wasm.buffer]), Comlink.transfer(zkey, [zkey.buffer])));
    worker.circuits.add(artifacts.circuitId);
  };

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw error instanceof ProofError ? error : new SystemError("Unexpected failure in the prover.", { cause: error });
    }
  };
  /** The frame shared by the calls that are not proofs: disposal check, job signal, pinned artifacts. */
  const withArtifacts = <T>(circuitId: string, opts: CallOptions, fn: (artifacts: LoadedArtifacts, signal: AbortSignal) => Promise<T>): Promise<T> =>
    guard(async () => {
      if (disposal.signal.aborted) throw new DisposedError("The prover was disposed.");
      checkCallOptions(opts);
      const circuit = circuitOf(circuitId);
      const { signal, cleanup } = jobSignal(opts.signal, opts.timeoutMs, circuitId);
      try {
        return await fn(await loadArtifacts(circuit, signal), signal);
      } finally {
        cleanup();
      }
    });


  return {
    prove(circuitId, input, opts = {}) {
      return guard(async () => {
        const t0 = clock.now();
        if (disposal.signal.aborted) throw new DisposedError("The prover was disposed.");
        checkCallOptions(opts);
        const circuit = circuitOf(circuitId);
        const wire = canonicalizeInput(input);
        const emit = opts.onProgress;
        const progress = new ProvingProgress((p) => {
          try {
            emit?.(p);
          } catch {
            /* a throwing listener must not fail the proof */
          }
        });
        const { signal, cleanup } = jobSignal(opts.signal, opts.timeoutMs, circuitId);
        try {
          progress.report("artifacts", 0, "artifacts");
          const total = circuit.wasm.bytes + circuit.zkey.bytes + circuit.vkey.bytes;
          const loaded = new Map<string, number>();
          const artifacts = await loadArtifacts(circuit, signal, (p) => {
            loaded.set(p.artifact, p.loadedBytes);
            const sum = [...loaded.values()].reduce((a, b) => a + b, 0);
            progress.report("artifacts", total > 0 ? sum / total : 0, `artifacts: ${p.artifact}`, { artifact: p });
          });
          const artifactsMs = clock.now() - t0;
          const queuedAt = clock.now();
          let queueMs = 0;
          const result = await pool.run(
            async (worker) => {
              queueMs = clock.now() - queuedAt;
              await ensureLoaded(worker, artifacts);
              const proved = await worker.call((api) => api.prove(circuitId, wire, Comlink.proxy((e: WorkerProgress) => progress.fromWorker(e))));
              if (opts.verify === false) return { proved, verifyMs: undefined };
              progress.report("verifying", 0, "verifying");
              const v = await worker.call((api) => api.verify(artifacts.vkey, proved.publicSignals, proved.proof));
              if (!v.valid) throw new VerificationError("The proof did not verify against the pinned verification key.", { details: { circuitId } });
              return { proved, verifyMs: v.verifyMs };
            },
            { signal },
          );
          progress.report("done", 1, "done");
          const { proved, verifyMs } = result;
          return {
            proof: proved.proof,
            publicSignals: proved.publicSignals,
            circuitId,
            verified: verifyMs !== undefined,
            timings: {
              queueMs,
              artifactsMs,
              witnessMs: proved.witnessMs,
              proveMs: proved.proveMs,
              ...(verifyMs === undefined ? {} : { verifyMs }),
              totalMs: clock.now() - t0,
            },
          };
        } finally {
          cleanup();
        }
      });
    },

    verify(circuitId, proof, publicSignals, opts = {}) {
      return withArtifacts(circuitId, opts, async (artifacts, signal) => {
        const v = await pool.run((worker) => worker.call((api) => api.verify(artifacts.vkey, publicSignals, proof)), { signal, countsAsProof: false });
        return v.valid;
      });
    },

    rerandomize(circuitId, proof, opts = {}) {
      return withArtifacts(circuitId, opts, async (artifacts, signal) => {
        const signals = opts.publicSignals ? [...opts.publicSignals] : undefined;
        const r = await pool.run(
          (worker) =>
            worker.call((api) =>
              typeof api.rerandomize === "function"
                ? api.rerandomize(artifacts.vkey, proof, signals)
                : Promise.resolve({ ok: false as const, error: { code: "SYSTEM_ERROR" as const, message: "This prover worker cannot re-randomise proofs.", details: { circuitId } } }),
            ),
          { signal, countsAsProof: false },
        );
        if (r.valid === false) throw new VerificationError("The re-randomised proof did not verify against the pinned verification key.", { details: { circuitId } });
        return r.proof;
      });
    },

    preload(circuitId, opts = {}) {
      return withArtifacts(circuitId, opts, async (artifacts, signal) => {
        await pool.run((worker) => ensureLoaded(worker, artifacts), { signal, countsAsProof: false });
      });
    },

    dispose() {
      if (disposal.signal.aborted) return;
      disposal.abort(new DisposedError("The prover was disposed."));
      pool.dispose();
    },
  };
}
