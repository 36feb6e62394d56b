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
} from "../core/errors.js";
import { canonicalizeInput } from "./canonical-input.js";
import { plainSnapshot } from "../core/plain-data.js";
import { checkCallOptions, resolveOptions, type ProverOptions } from "./prover-options.js";
import { ProvingProgress } from "./proving-progress.js";
import { checkMemoryBudget, pinnedMinimumBytes } from "./memory-budget.js";
import { createCircuitLoading, type CircuitLoad } from "./artifacts/circuit-loading.js";
import type { ArtifactProgress, CircuitDefinition, CircuitInput, Groth16Proof, ProveOptions, ProveProgress, ProveResult } from "./types.js";
import { WorkerPool, type JobCores, type PooledWorker, type RunOptions } from "./pool/worker-pool.js";
import type { WarmCallOptions, WorkerProgress } from "./pool/worker-protocol.js";

export { DEFAULTS, defaultPoolSize, resolveOptions } from "./prover-options.js";
export type { ProverOptions, ResolvedProverOptions } from "./prover-options.js";

/** The signal of a call made without one (made on first use: nothing runs at import time). */
let neverAborted: AbortSignal | undefined;

/** Planning guesses before anything was measured (Chromium, this project's 2-core machine). */
const DEFAULT_START_MS = 600;
const DEFAULT_PROVE_MS = 1500;
const PROVE_MS_PER_CONSTRAINT = 0.2;

export interface CallOptions {
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

export interface PreloadOptions extends CallOptions {
  /**
   * A valid input of the circuit that is not secret (an empty statement, a public example): the
   * warm-up computes its witness, proves and verifies it once and throws all of it away, so the
   * first real proof finds every piece of code it runs already optimised. Without it the
   * warm-up still rehearses the proof, on a stand-in witness, but not the witness calculation.
   */
  readonly warmInput?: CircuitInput;
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
  /**
   * Start a worker (import the prover, build the curve) and load a circuit's artifacts into it,
   * so the next proof is warm. A proof requested meanwhile waits for this worker.
   */
  preload(circuitId: string, options?: PreloadOptions): Promise<void>;
  /** Terminate every worker; pending and running calls reject with DISPOSED. */
  dispose(): void;
}

/** The calls of provers made by `createProver` that skip checking their options, for callers that checked them. */
interface ResolvedCalls {
  prove(circuitId: string, input: CircuitInput, options: ProveOptions): Promise<ProveResult>;
  verify(circuitId: string, proof: Groth16Proof, publicSignals: string[], options: CallOptions): Promise<boolean>;
  rerandomize(circuitId: string, proof: Groth16Proof, options: RerandomizeCallOptions): Promise<Groth16Proof>;
}
const resolvedCalls = new WeakMap<Prover, ResolvedCalls>();

/**
 * `prover.prove` for a caller that checked and resolved the call's options at its own edge (the
 * proof API): a prover made by `createProver` runs the proof without checking them a second
 * time; any other prover (a custom one) is asked through its own `prove`.
 */
export function proveResolved(prover: Prover, circuitId: string, input: CircuitInput, options: ProveOptions): Promise<ProveResult> {
  const calls = resolvedCalls.get(prover);
  return calls ? calls.prove(circuitId, input, options) : prover.prove(circuitId, input, options);
}

/** `prover.verify` for a caller that checked the call's options at its own edge: as {@link proveResolved}. */
export function verifyResolved(prover: Prover, circuitId: string, proof: Groth16Proof, publicSignals: string[], options: CallOptions): Promise<boolean> {
  const calls = resolvedCalls.get(prover);
  return calls ? calls.verify(circuitId, proof, publicSignals, options) : prover.verify(circuitId, proof, publicSignals, options);
}

/** `prover.rerandomize` for a caller that checked the call's options at its own edge: as {@link proveResolved}; undefined when the prover cannot. */
export function rerandomizeResolved(prover: Prover): ((circuitId: string, proof: Groth16Proof, options: RerandomizeCallOptions) => Promise<Groth16Proof>) | undefined {
  const calls = resolvedCalls.get(prover);
  return calls ? calls.rerandomize : prover.rerandomize?.bind(prover);
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
    backend: o.backend,
    cores: o.cores,
    memoryBudgetMB: o.memoryBudgetMB,
    clock,
  });
  let disposed = false;

  const circuitOf = (circuitId: string): CircuitDefinition => {
    const circuit = o.circuits.get(circuitId);
    if (!circuit) throw new CircuitNotFoundError(`No circuit "${circuitId}" in this prover.`, { details: { circuitId } });
    // Before anything is queued or downloaded: a circuit whose pinned sizes alone exceed the
    // budget is refused here (its zkey header is checked again in the worker, before decoding).
    checkMemoryBudget(circuitId, pinnedMinimumBytes(circuit.zkey.bytes, circuit.wasm.bytes), o.memoryBudgetMB, "pins");
    return circuit;
  };

  /**
   * A call's signal and time budget. No signal of its own: the pool ends a job on the caller's
   * abort, on its budget (`deadline`) and on disposal, and terminates the worker it ran on.
   */
  const budgetOf = (callerSignal: AbortSignal | undefined, timeoutMs: number | undefined, circuitId: string) => {
    // Both checked where they were handed in (checkCallOptions, resolveOptions).
    const ms = timeoutMs ?? o.timeoutMs;
    const deadline = { ms, error: () => new TimeoutError(`The proof exceeded its ${ms} ms budget.`, { details: { circuitId, timeoutMs: ms } }) };
    return { signal: callerSignal ?? (neverAborted ??= new AbortController().signal), deadline };
  };

  const loading = createCircuitLoading(o.artifacts, clock);
  /** Last measured witness + proof time per circuit: sizes the progress bar's phases. */
  const provedMs = new Map<string, number>();
  const expectedProveMs = (circuit: CircuitDefinition) =>
    provedMs.get(circuit.id) ?? (circuit.constraints ? circuit.constraints * PROVE_MS_PER_CONSTRAINT : DEFAULT_PROVE_MS);

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw error instanceof ProofError ? error : new SystemError("Unexpected failure in the prover.", { cause: error });
    }
  };
  /**
   * Run `task` on a worker leased from the pool that holds `circuit`. When a worker has to be
   * started for this job, its artifacts start loading into it at once, alongside its start-up
   * (on a returning visit the IndexedDB read overlaps importing the prover and building the
   * curve); that load is the job's own, with its signal, progress and errors. Should another
   * worker free up first, the job loads there, and the started worker keeps what it loaded.
   */
  const onCircuit = <T>(
    circuit: CircuitDefinition,
    signal: AbortSignal,
    run: { warmup?: boolean; countsAsProof?: boolean; deadline: RunOptions["deadline"]; onStarting?: () => void },
    onArtifact: ((p: ArtifactProgress) => void) | undefined,
    task: (worker: PooledWorker, load: CircuitLoad, waitedMs: number, job: JobCores) => Promise<T>,
  ): Promise<T> => {
    const submitted = clock.now();
    const ticket = pool.request({ signal, deadline: run.deadline, ...(run.warmup ? { warmup: true } : {}), ...(run.countsAsProof === false ? { countsAsProof: false } : {}) });
    let assigned: PooledWorker | undefined;
    const progressFrom = (worker: PooledWorker) => (p: ArtifactProgress) => {
      if (assigned === undefined || assigned === worker) onArtifact?.(p);
    };
    const early = ticket.starting;
    if (early) run.onStarting?.();
    const earlyLoad = early ? loading.ensure(early, circuit, signal, progressFrom(early)) : undefined;
    earlyLoad?.catch(() => undefined); // observed by the job if this worker becomes its own
    return ticket.lease.then(async (lease) => {
      assigned = lease.worker;
      const waitedMs = clock.now() - submitted;
      try {
        const work = async () => {
          const load = lease.worker === early ? await earlyLoad! : await loading.ensure(lease.worker, circuit, signal, progressFrom(lease.worker));
          return task(lease.worker, load, waitedMs, lease.cores);
        };
        const value = await Promise.race([work(), lease.failed]);
        lease.end();
        return value;
      } catch (error) {
        lease.end(error);
        throw error;
      }
    });
  };

  /** The frame shared by the calls that are not proofs: a worker holding the circuit, and its pinned vkey. */
  const onWorker = <T>(circuitId: string, opts: CallOptions, run: { warmup?: boolean; resolved?: boolean }, fn: (worker: PooledWorker, load: CircuitLoad, job: JobCores) => Promise<T>): Promise<T> =>
    guard(async () => {
      if (disposed) throw new DisposedError("The prover was disposed.");
      if (!run.resolved) checkCallOptions(opts);
      const circuit = circuitOf(circuitId);
      const { signal, deadline } = budgetOf(opts.signal, opts.timeoutMs, circuitId);
      return onCircuit(circuit, signal, { ...(run.warmup ? { warmup: true } : {}), countsAsProof: false, deadline }, undefined, (worker, load, _waited, job) => fn(worker, load, job));
    });

  /** Whether `proof` verifies against the circuit's pinned vkey; `resolved`: its options were checked by the caller. */
  const verifyJob = (circuitId: string, proof: Groth16Proof, publicSignals: string[], opts: CallOptions, resolved: boolean): Promise<boolean> => {
    // Copied before anything is queued: a reactive proxy cannot be posted to a worker.
    let plain: { proof: Groth16Proof; publicSignals: string[] };
    try {
      plain = { proof: plainSnapshot(proof, "proof"), publicSignals: plainSnapshot(publicSignals, "publicSignals") };
    } catch (error) {
      return Promise.reject(error);
    }
    return onWorker(circuitId, opts, { resolved }, async (worker, load) => (await worker.call("verify", load.vkey, plain.publicSignals, plain.proof)).valid);
  };

  /** One proof; `check`: whether its call options still need checking (not when the caller resolved them at its edge). */
  const proveJob = (circuitId: string, input: CircuitInput, opts: ProveOptions, check: boolean): Promise<ProveResult> =>
    guard(async () => {
      const t0 = clock.now();
      if (disposed) throw new DisposedError("The prover was disposed.");
      if (check) checkCallOptions(opts);
      const circuit = circuitOf(circuitId);
      const wire = canonicalizeInput(input);
      const listener = opts.onProgress;
      const progress = new ProvingProgress();
      /** The bar's new value, if it moved, to the caller's listener. */
      const tell = (p: ProveProgress | undefined) => {
        if (p === undefined || listener === undefined) return;
        try {
          listener(p);
        } catch {
          /* a throwing listener must not fail the proof */
        }
      };
      const { signal, deadline } = budgetOf(opts.signal, opts.timeoutMs, circuitId);
      // Size the bar's phases for what this job will have to do, before it waits.
      const holder = pool.idleWorkers().some((w) => w.circuits.has(circuitId));
      progress.plan({
        startingMs: pool.wouldStart ? (pool.lastStartMs ?? DEFAULT_START_MS) : 0,
        artifactsMs: holder ? 0 : loading.expectedMs(circuit),
        provingMs: expectedProveMs(circuit),
      });
      const total = circuit.wasm.bytes + circuit.zkey.bytes + circuit.vkey.bytes;
      const loadedBytes = new Map<string, number>();
      const onArtifact = (p: ArtifactProgress) => {
        loadedBytes.set(p.artifact, p.loadedBytes);
        const sum = [...loadedBytes.values()].reduce((a, b) => a + b, 0);
        tell(progress.report("artifacts", total > 0 ? sum / total : 0, `artifacts: ${p.artifact}`, { artifact: p }));
      };
      let queueMs = 0;
      let artifactsMs = 0;
      const result = await onCircuit(
        circuit,
        signal,
        { deadline, onStarting: () => tell(progress.report("starting", 0, "starting a worker")) },
        onArtifact,
        async (worker, load, waitedMs, job) => {
          queueMs = waitedMs;
          artifactsMs = load.artifactsMs;
          // Threads are decided now, not when the job got its worker: by now a burst
          // submitted in one tick is queued, and a lone proof still finds the cores idle.
          const threads = job.threads();
          const onWorkerProgress = Comlink.proxy((e: WorkerProgress) => tell(progress.fromWorker(e)));
          const proved = await (threads > 1 ? worker.call("prove", circuitId, wire, onWorkerProgress, { threads }) : worker.call("prove", circuitId, wire, onWorkerProgress));
          provedMs.set(circuitId, proved.witnessMs + proved.proveMs);
          if (opts.verify === false) return { proved, verifyMs: undefined };
          tell(progress.report("verifying", 0, "verifying"));
          const v = await worker.call("verify", load.vkey, proved.publicSignals, proved.proof);
          if (!v.valid) throw new VerificationError("The proof did not verify against the pinned verification key.", { details: { circuitId } });
          return { proved, verifyMs: v.verifyMs };
        },
      );
      tell(progress.report("done", 1, "done"));
      const { proved, verifyMs } = result;
      return {
        proof: proved.proof,
        publicSignals: proved.publicSignals,
        circuitId,
        verified: verifyMs !== undefined,
        ...(proved.threads === undefined ? {} : { threads: proved.threads }),
        timings: {
          queueMs,
          artifactsMs,
          witnessMs: proved.witnessMs,
          proveMs: proved.proveMs,
          ...(verifyMs === undefined ? {} : { verifyMs }),
          totalMs: clock.now() - t0,
        },
      };
    });

  /** A re-randomisation of `proof`, verified when its public signals are given; `resolved`: its options were checked by the caller. */
  const rerandomizeJob = (circuitId: string, proof: Groth16Proof, opts: RerandomizeCallOptions, resolved: boolean): Promise<Groth16Proof> => {
    let plainProof: Groth16Proof;
    let signals: string[] | undefined;
    try {
      plainProof = plainSnapshot(proof, "proof");
      signals = opts.publicSignals ? plainSnapshot([...opts.publicSignals], "publicSignals") : undefined;
    } catch (error) {
      return Promise.reject(error);
    }
    return onWorker(circuitId, opts, { resolved }, async (worker, load) => {
      if (!worker.has("rerandomize")) throw new SystemError("This prover worker cannot re-randomise proofs.", { details: { circuitId } });
      const r = await worker.call("rerandomize", load.vkey, plainProof, signals);
      if (r.valid === false) throw new VerificationError("The re-randomised proof did not verify against the pinned verification key.", { details: { circuitId } });
      return r.proof;
    });
  };

  const prover: Prover = {
    prove: (circuitId, input, opts = {}) => proveJob(circuitId, input, opts, true),

    verify: (circuitId, proof, publicSignals, opts = {}) => verifyJob(circuitId, proof, publicSignals, opts, false),

    rerandomize: (circuitId, proof, opts = {}) => rerandomizeJob(circuitId, proof, opts, false),

    preload(circuitId, opts = {}) {
      // A warm-up: a request arriving meanwhile waits for this worker instead of a cold one. It
      // builds what the next lone proof would build first (witness calculator, decoded zkey, and
      // on a machine with idle cores the helper threads and their slices), then rehearses that
      // proof once, so the proof is warm.
      let input: ReturnType<typeof canonicalizeInput> | undefined;
      try {
        input = opts.warmInput === undefined ? undefined : canonicalizeInput(opts.warmInput);
      } catch (error) {
        return Promise.reject(error);
      }
      return onWorker(circuitId, opts, { warmup: true }, async (worker, load, job) => {
        // Helpers for every core, unless another worker's helpers are in use (one set per pool).
        const threads = job.warmThreads();
        const warm = { ...(threads > 1 ? { threads } : {}), ...(input ? { input } : {}), vkey: load.vkey };
        const warmOn = async (options: WarmCallOptions) => {
          if (worker.has("warm")) await worker.call("warm", circuitId, options);
        };
        // Built first, rehearsed second (a proof's time, cold): a job that began to wait for this
        // worker meanwhile gets it at once, built but not rehearsed, rather than wait.
        await warmOn({ ...warm, rehearse: false });
        if (pool.stats.waiting === 0) await warmOn(warm);
      });
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      pool.dispose();
    },
  };
  resolvedCalls.set(prover, {
    prove: (circuitId, input, opts) => proveJob(circuitId, input, opts, false),
    verify: (circuitId, proof, publicSignals, opts) => verifyJob(circuitId, proof, publicSignals, opts, true),
    rerandomize: (circuitId, proof, opts) => rerandomizeJob(circuitId, proof, opts, true),
  });
  return prover;
}
