/**
 * The prover worker's logic, independent of where it runs (module Web Worker or Node
 * worker_threads): the entry files only expose it with comlink.
 *
 * Warm means three things kept across proofs: snarkjs imported once, each circuit's wasm and
 * zkey bytes held in memory (transferred once by `load`), and ONE bn128 curve. Single-threaded
 * snarkjs rebuilds its curve on every proof (~0.2–0.5 s): only the threaded curve is cached,
 * as `globalThis.curve_bn128`, and ffjavascript's `buildBn128(singleThread)` returns that global
 * whenever `singleThread` is falsy. So in `single` mode we build a single-threaded curve once,
 * install it as the global, and call snarkjs WITHOUT `singleThread`: prove, verify and the zkey
 * reader all pick up the warm single-threaded curve (measured: 388 → 199 ms median on a
 * 900-constraint fixture). A side effect we rely on: `groth16.verify` (which takes no options
 * and always asks for the threaded curve) also works inside Node worker_threads.
 *
 * In `adaptive` mode the worker also holds a threaded curve (threaded-curve.ts) whose helper
 * threads run nested in this worker; a proof the pool granted more than one thread swaps it in
 * for snarkjs's prove call only (witness and verify stay on the warm curve). With
 * `backend: "bn254"` the helpers are bn254 helper threads instead (slice-helper-set.ts): a proof
 * granted t threads is split across this worker and t - 1 helpers, each holding a slice of every
 * MSM's bases. Helpers start on the first proof granted more than one thread (alongside its
 * witness), or on `warm` (a preload announcing a lone proof), never at start-up or load: a worker
 * that only ever proves on one thread (bursts on a many-core machine) never holds any, and the
 * pool keeps one set of helpers for all its workers (`releaseHelpers` when another takes it). A
 * loaded circuit's witness calculator is built in the background at once; `warm` also decodes
 * its zkey, waits for the verifying curve and rehearses one proof (proof-rehearsal.ts).
 *
 * Nothing here throws: every method resolves to a WorkerResult, and error messages never
 * contain the circuit input (snarkjs messages may; they are classified, not echoed).
 */
import type { WireError } from "../core/errors.js";
import { classifyError } from "../core/error-classification.js";
import type { ArtifactProgress, ArtifactSource, Groth16Proof } from "../engine/types.js";
import { ProofError } from "../core/errors.js";
import { verifyGroth16, type Groth16Vkey, type PairingCurve } from "./groth16-verify.js";
import { loadBn128, rerandomizeProof, type Bn128Curve, type VkeyDelta } from "./rerandomize.js";
import type {
  ProveCallOptions,
  ProverWorkerApi,
  WireInput,
  WorkerInfo,
  WorkerInitOptions,
  WorkerLoaded,
  WorkerProgress,
  WorkerProof,
  WorkerRerandomized,
  WorkerResult,
  WorkerVerification,
  WorkerWarmed,
} from "../engine/pool/worker-protocol.js";
import { createBn254Proving, type Bn254Proving } from "./bn254/bn254-proving.js";
import { compiledBn254Module } from "./bn254/prover/groth16-prover.js";
import { SliceHelperDied, type SpawnedHelper } from "./bn254/split/slice-helper-client.js";
import { SliceHelperSet } from "./bn254/split/slice-helper-set.js";
import type { SplitProving } from "./bn254/split/split-prover.js";
import type { Groth16Result } from "./bn254/prover/groth16-prover.js";
import { rehearseProof } from "./proof-rehearsal.js";
import { pinZkey } from "./bn254/readers/zkey-check-memo.js";
import { HelperLease } from "./helper-lease.js";
import type { WarmWitness } from "./warm-witness.js";
import { checkMemoryBudget, provingBytes, zkeyFootprint } from "../engine/memory-budget.js";
import { HelperThreadDied, ThreadedCurve, type Curve, type HelperThreads } from "./threaded-curve.js";

/** The slice of snarkjs this worker uses (snarkjs ships no types). */
interface Snarkjs {
  wtns: { calculate(input: unknown, wasm: Uint8Array, out: { type: "mem"; data?: Uint8Array }): Promise<void> };
  groth16: {
    prove(zkey: Uint8Array, wtns: Uint8Array, logger?: unknown, options?: unknown): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean>;
  };
}

export interface ProverCoreOptions {
  /** False where snarkjs's nested workers cannot start (Node worker_threads). */
  readonly nestedThreadsSupported: boolean;
  /** Injected for tests; defaults to dynamic imports of snarkjs and ffjavascript. */
  readonly importSnarkjs?: () => Promise<Snarkjs>;
  readonly buildSingleThreadCurve?: () => Promise<Curve>;
  /** Where helper threads start (adaptive mode); absent: every proof runs on one thread. */
  readonly helperThreads?: HelperThreads;
  /**
   * Starts one bn254 helper thread (adaptive mode, `backend: "bn254"`); absent: bn254 proofs run
   * on one thread.
   */
  readonly sliceHelpers?: () => SpawnedHelper;
  /**
   * Makes witnesses with circom's calculator kept built per circuit (warm-witness.ts); absent:
   * snarkjs's `wtns.calculate`, which rebuilds it every call.
   */
  readonly witness?: WarmWitness;
  /** Longest helper threads may take to start before this worker proves on one thread only. @default 10000 */
  readonly helperStartTimeoutMs?: number;
  readonly now?: () => number;
  /**
   * The worker's own artifact loader (fetch, SHA-256, persistent store), created on first
   * `loadPinned`. Absent: the worker only takes bytes through `load`.
   */
  readonly artifacts?: () => ArtifactSource;
}

const CURVE_GLOBAL = "curve_bn128";

/** Least time between two byte-progress reports of one artifact (the last one always goes). */
const PROGRESS_INTERVAL_MS = 20;

type Global = typeof globalThis & { [CURVE_GLOBAL]?: Curve | null };

/**
 * Every thrown value goes through the project-wide classification table, which never echoes
 * snarkjs's message text (circom and BigInt messages can quote input values).
 */
function toWireError(error: unknown, context: { circuitId?: string; stage: string }): WireError {
  return classifyError(error, context).toWire();
}

const fail = (error: WireError): { ok: false; error: WireError } => ({ ok: false, error });

/** Build the worker API. One instance per worker. */
export function createProverCore(options: ProverCoreOptions): ProverWorkerApi {
  const now = options.now ?? (() => performance.now());
  const importSnarkjs = options.importSnarkjs ?? (() => import("snarkjs") as Promise<unknown> as Promise<Snarkjs>);
  const buildCurve =
    options.buildSingleThreadCurve ??
    (async () => ((await import("ffjavascript")) as unknown as { buildBn128(single: boolean): Promise<Curve> }).buildBn128(true));
  const circuits = new Map<string, { wasm: Uint8Array; zkey: Uint8Array }>();
  let snarkjs: Snarkjs | undefined;
  let artifactSource: ArtifactSource | undefined;
  let warmCurve: Curve | undefined;
  /** Memory a circuit may take (init's option; absent: not checked here). */
  let budgetMB: number | undefined;
  /** Settles when the warm curve is built (at once unless init builds it in the background). */
  let curveReady: Promise<void> = Promise.resolve();
  let info: WorkerInfo | undefined;
  /** Set by init when the pool asked for proofline's BN254 prover instead of snarkjs's. */
  let bn254: Bn254Proving | undefined;
  const threaded = options.helperThreads
    ? new ThreadedCurve(options.helperThreads, options.helperStartTimeoutMs === undefined ? {} : { startTimeoutMs: options.helperStartTimeoutMs })
    : undefined;
  const threadedCurve = (threads: number): Promise<Curve> => (threaded as ThreadedCurve).get(threads);
  const split = options.sliceHelpers
    ? new SliceHelperSet({ spawn: options.sliceHelpers, module: compiledBn254Module, ...(options.helperStartTimeoutMs === undefined ? {} : { startTimeoutMs: options.helperStartTimeoutMs }) })
    : undefined;
  /**
   * The split prover for a proof granted `threads` (bn254, adaptive), with `zkey` sliced: its
   * helpers start here, on the first proof (or warm-up) that can use them, never at start-up or
   * load. Undefined when the proof runs on one thread (helpers that cannot start included).
   */
  const splitFor = (threads: number, zkey: Uint8Array): Promise<SplitProving | undefined> => {
    if (!bn254 || !split || info?.threads !== "adaptive" || threads < 2) return Promise.resolve(undefined);
    return split
      .get(threads - 1)
      .then(async (p) => (await p.warm(zkey), p))
      .catch(() => undefined);
  };
  /**
   * A zkey whose header says it needs more than the memory budget is refused before anything is
   * decoded (RESOURCE_EXHAUSTED): at load, and again at the first proof or warm-up (a load that
   * overlapped start-up ran before init gave the budget). Bytes that are not a zkey pass: the
   * prover reports them itself.
   */
  const footprints = new WeakMap<Uint8Array, number>();
  const overBudget = (circuitId: string, wasm: Uint8Array, zkey: Uint8Array): WireError | undefined => {
    if (!budgetMB) return undefined;
    let needed = footprints.get(zkey);
    if (needed === undefined) {
      try {
        needed = provingBytes(zkeyFootprint(zkey), wasm.byteLength);
      } catch {
        return undefined;
      }
      footprints.set(zkey, needed);
    }
    try {
      checkMemoryBudget(circuitId, needed, budgetMB, "zkey header");
      return undefined;
    } catch (error) {
      return (error as ProofError).toWire();
    }
  };
  const helperLease = new HelperLease(() => {
    split?.dispose();
    threaded?.dispose();
  });
  const holdingHelpers = <T>(work: () => Promise<T>): Promise<T> => helperLease.hold(work);
  /** The witness calculator of a just-loaded circuit, built in the background (no helper starts). */
  const prepareWitness = (wasm: Uint8Array): void => {
    void options.witness?.prepare(wasm).catch(() => undefined);
  };

  // The global may have been cleared (curve.terminate() nulls it); re-install ours before use.
  const ensureCurve = (): void => {
    if (warmCurve) (globalThis as Global)[CURVE_GLOBAL] = warmCurve;
  };

  /**
   * Verification on the warm single-threaded curve with a prepared vkey (3-4x faster than
   * snarkjs's, which hands each pairing to helper threads; worker/groth16-verify.ts). A curve
   * without ffjavascript's pairing functions (a test's stand-in), or none (snarkjs threads),
   * verifies through snarkjs.
   */
  const verifyProof = async (vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean> => {
    await curveReady;
    const curve = warmCurve as Partial<PairingCurve> | undefined;
    if (typeof curve?.millerLoop === "function") return verifyGroth16(curve as PairingCurve, vkey as Groth16Vkey, publicSignals, proof);
    ensureCurve();
    return (await (snarkjs as Snarkjs).groth16.verify(vkey, publicSignals, proof)) === true;
  };

  const notInitialised = (): { ok: false; error: WireError } =>
    fail({ code: "SYSTEM_ERROR", message: "The prover worker was used before init().", details: {} });

  return {
    async init(opts: WorkerInitOptions): Promise<WorkerResult<WorkerInfo>> {
      if (info) return { ok: true, value: info };
      const t0 = now();
      try {
        if (opts.threads === "snarkjs" && !options.nestedThreadsSupported) {
          return fail({
            code: "WORKER_START_FAILED",
            message: "snarkjs threads are not available in this worker (Node worker_threads); use threads: 'single'.",
            details: { threads: opts.threads },
          });
        }
        snarkjs = await importSnarkjs();
        if (opts.threads === "single" || opts.threads === "adaptive") {
          const building = buildCurve().then((c) => {
            warmCurve = c;
            ensureCurve();
          });
          // With the bn254 backend the warm curve only verifies (and re-randomises): it is built
          // while the first proof's artifacts load and its witness and proof are computed, not
          // before the worker reports ready. snarkjs proves on it, so that backend waits for it.
          if (opts.backend === "bn254") {
            curveReady = building;
            curveReady.catch(() => undefined);
          } else await building;
        }
        if (opts.backend === "bn254") bn254 = createBn254Proving();
        budgetMB = opts.memoryBudgetMB;
        const helpers = opts.threads === "adaptive" && (bn254 ? split : threaded) !== undefined;
        // Helpers are not started here: a worker may only ever run proofs on one thread (a burst
        // on a many-core machine); the first proof granted more threads, or a warm-up, starts them.
        info = { threads: opts.threads, initMs: now() - t0, ...(opts.threads === "adaptive" ? { helpers } : {}), ...(opts.backend ? { backend: opts.backend } : {}) };
        return { ok: true, value: info };
      } catch (error) {
        return fail({ ...toWireError(error, { stage: "init" }), code: "WORKER_START_FAILED" });
      }
    },

    async load(circuitId, wasm, zkey) {
      if (!(wasm instanceof Uint8Array) || !(zkey instanceof Uint8Array)) {
        return fail({ code: "SYSTEM_ERROR", message: "load() needs wasm and zkey bytes.", details: { circuitId } });
      }
      const refused = overBudget(circuitId, wasm, zkey);
      if (refused) return fail(refused);
      circuits.set(circuitId, { wasm, zkey });
      prepareWitness(wasm);
      return { ok: true, value: { circuitId } };
    },

    async loadPinned(circuit, onProgress): Promise<WorkerResult<WorkerLoaded>> {
      if (!options.artifacts) return fail({ code: "SYSTEM_ERROR", message: "This prover worker has no artifact loader.", details: { circuitId: circuit.id } });
      const t0 = now();
      // Byte progress is best effort, like proof progress: the caller may be gone. A local
      // download delivers hundreds of chunks back to back; each report is a message the page
      // handles on its main thread, so they are thinned to one per artifact every few ms.
      const last = new Map<string, number>();
      const report = (p: ArtifactProgress): void => {
        const t = now();
        if (p.loadedBytes < p.totalBytes && t - (last.get(p.artifact) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
        last.set(p.artifact, t);
        try {
          void Promise.resolve(onProgress?.(p)).catch(() => undefined);
        } catch {
          /* ignored on purpose */
        }
      };
      try {
        artifactSource ??= options.artifacts();
        const pin = pinZkey(circuit.zkey.sha256);
        const loaded = await artifactSource.load(circuit, { onProgress: report });
        const refused = overBudget(circuit.id, loaded.wasm, loaded.zkey);
        if (refused) return fail(refused);
        circuits.set(circuit.id, { wasm: loaded.wasm, zkey: loaded.zkey });
        prepareWitness(loaded.wasm);
        // The loader matched these bytes against the pin: a key that passed its checks on an earlier visit skips them.
        await pin(loaded.zkey);
        return { ok: true, value: { circuitId: circuit.id, vkey: loaded.vkey, networkBytes: loaded.networkBytes, loadMs: now() - t0 } };
      } catch (error) {
        // The loader's errors are already typed (integrity, network, storage) and safe to send.
        return fail(error instanceof ProofError ? error.toWire() : toWireError(error, { circuitId: circuit.id, stage: "artifacts" }));
      }
    },

    warm(circuitId, callOptions) {
      return holdingHelpers(async (): Promise<WorkerResult<WorkerWarmed>> => {
        if (!snarkjs || !info) return notInitialised();
        const circuit = circuits.get(circuitId);
        if (!circuit) return fail({ code: "SYSTEM_ERROR", message: "Circuit not loaded in this worker.", details: { circuitId } });
        const refused = overBudget(circuitId, circuit.wasm, circuit.zkey);
        if (refused) return fail(refused);
        const t0 = now();
        const wanted = info.threads === "adaptive" ? Math.floor(callOptions?.threads ?? 1) : 1;
        try {
          const witness = options.witness?.prepare(circuit.wasm);
          let threads = 1;
          let proveOnce: ((wtns: Uint8Array) => Promise<Groth16Result>) | undefined;
          if (bn254) {
            const splitProver = await splitFor(wanted, circuit.zkey);
            const whole = bn254;
            if (splitProver) threads = splitProver.threads;
            else await whole.prepare(circuit.zkey);
            proveOnce = splitProver ? (wtns) => splitProver.prove(circuit.zkey, wtns) : (wtns) => whole.prove(circuit.zkey, wtns);
          } else if (wanted > 1 && threaded) {
            const curve = await threadedCurve(wanted).catch(() => undefined);
            if (curve) threads = wanted;
          }
          await witness;
          // The verifying curve, built in the background since init, is on the first proof's path too.
          await curveReady;
          const vkey = callOptions?.vkey;
          const verify = async (r: Groth16Result) => {
            ensureCurve();
            await (snarkjs as Snarkjs).groth16.verify(vkey as Record<string, unknown>, r.publicSignals, r.proof).catch(() => undefined);
          };
          const rehearsalMs = proveOnce && callOptions?.rehearse !== false
            ? await rehearseProof(
                { wasm: circuit.wasm, zkey: circuit.zkey, prove: proveOnce, ...(callOptions?.input ? { input: callOptions.input } : {}), ...(options.witness ? { witness: options.witness } : {}), ...(vkey ? { verify } : {}) },
                now,
              )
            : undefined;
          return { ok: true, value: { circuitId, threads, warmMs: now() - t0, ...(rehearsalMs === undefined ? {} : { rehearsalMs }) } };
        } catch (error) {
          return fail(toWireError(error, { circuitId, stage: "warm" }));
        }
      });
    },

    async releaseHelpers(): Promise<WorkerResult<void>> {
      helperLease.release();
      return { ok: true, value: undefined };
    },

    prove(circuitId: string, input: WireInput, onProgress?: (p: WorkerProgress) => void, callOptions?: ProveCallOptions) {
      return holdingHelpers(async (): Promise<WorkerResult<WorkerProof>> => {
        if (!snarkjs) return notInitialised();
        const circuit = circuits.get(circuitId);
        if (!circuit) return fail({ code: "SYSTEM_ERROR", message: "Circuit not loaded in this worker.", details: { circuitId } });
        // Progress is best effort: a failing callback (caller gone) must never fail the proof.
        const report = (p: WorkerProgress): void => {
          try {
            void Promise.resolve(onProgress?.(p)).catch(() => undefined);
          } catch {
            /* ignored on purpose */
          }
        };
        // A load that overlapped start-up ran before the budget was known: checked again here.
        const refused = overBudget(circuitId, circuit.wasm, circuit.zkey);
        if (refused) return fail(refused);
        const t0 = now();
        let stage: "witness" | "proving" = "witness";
        const wanted = Math.floor(callOptions?.threads ?? 1);
        let threads = (bn254 ? split : threaded) && info?.threads === "adaptive" && wanted > 1 ? wanted : 1;
        // Helpers (and the zkey's slices) start now, alongside the witness calculation.
        const splitting = threads > 1 && bn254 ? splitFor(threads, circuit.zkey) : undefined;
        try {
          report({ kind: "witness-start" });
          const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem", data: await options.witness?.calculate(input, circuit.wasm) };
          if (!wtns.data) await snarkjs.wtns.calculate(input, circuit.wasm, wtns);
          const witnessMs = now() - t0;
          report({ kind: "witness-done", witnessMs });
          stage = "proving";
          const logger = {
            debug: (message: unknown) => report({ kind: "prover-log", message: String(message) }),
            info: () => undefined,
            warn: () => undefined,
            error: () => undefined,
            log: () => undefined,
          };
          const t1 = now();
          let result: { proof: Groth16Proof; publicSignals: string[] };
          // Helpers that cannot start (a page's CSP without worker-src blob:, a platform limit)
          // cost this proof its parallelism, not its result.
          const curve = threads > 1 && !bn254 ? await threadedCurve(threads).catch(() => undefined) : undefined;
          const splitProver = await splitting;
          // Report what the proof really runs on (ffjavascript's thread count, the split's), not what was asked.
          threads = curve ? ((curve as { tm?: { concurrency?: number } }).tm?.concurrency ?? threads) : (splitProver?.threads ?? 1);
          if (bn254) {
            // The same zkey and witness; the phases are reported as the snarkjs path names them.
            report({ kind: "prover-step", step: "multiexp A, B, C, H", fraction: 0.05 });
            const onStep = (step: string, fraction: number) => report({ kind: "prover-step", step, fraction });
            result = splitProver ? await splitProver.prove(circuit.zkey, wtns.data as Uint8Array, onStep) : await bn254.prove(circuit.zkey, wtns.data as Uint8Array, onStep);
          } else if (curve) {
            (globalThis as Global)[CURVE_GLOBAL] = curve;
            try {
              result = await (threaded as ThreadedCurve).race(snarkjs.groth16.prove(circuit.zkey, wtns.data as Uint8Array, logger));
            } finally {
              ensureCurve();
            }
          } else {
            ensureCurve();
            result = await snarkjs.groth16.prove(circuit.zkey, wtns.data as Uint8Array, logger);
          }
          return { ok: true, value: { proof: result.proof, publicSignals: result.publicSignals, witnessMs, proveMs: now() - t1, threads } };
        } catch (error) {
          if (error instanceof HelperThreadDied || error instanceof SliceHelperDied) {
            // A helper that ran out of memory is the same failure as this thread running out
            // (RESOURCE_EXHAUSTED, which callers fall back on); any other death is a crash. Either
            // way this worker's threaded curve is gone, and the pool replaces the worker on both codes.
            const cause = error.cause === undefined ? undefined : toWireError(error.cause, { circuitId, stage });
            if (cause?.code === "RESOURCE_EXHAUSTED") return fail({ ...cause, details: { ...cause.details, threads } });
            return fail({ code: "WORKER_CRASHED", message: "A helper thread of the prover worker died during the proof.", details: { circuitId, threads } });
          }
          return fail(toWireError(error, { circuitId, stage }));
        }
      });
    },

    async verify(vkey, publicSignals, proof): Promise<WorkerResult<WorkerVerification>> {
      if (!snarkjs) return notInitialised();
      const t0 = now();
      try {
        const valid = await verifyProof(vkey, publicSignals, proof);
        return { ok: true, value: { valid, verifyMs: now() - t0 } };
      } catch (error) {
        return fail(toWireError(error, { stage: "verifying" }));
      }
    },

    async rerandomize(vkey, proof, publicSignals): Promise<WorkerResult<WorkerRerandomized>> {
      if (!snarkjs) return notInitialised();
      const t0 = now();
      try {
        // The warm single-threaded curve when there is one (threads: "single"); otherwise a
        // single-threaded curve built once for this purpose (the threaded one lives in snarkjs).
        await curveReady;
        const curve = (warmCurve ?? (await loadBn128())) as unknown as Bn128Curve;
        const fresh = rerandomizeProof(curve, proof, vkey as unknown as VkeyDelta);
        let valid: boolean | undefined;
        if (publicSignals) {
          valid = await verifyProof(vkey, publicSignals, fresh);
        }
        return { ok: true, value: { proof: fresh, ...(valid === undefined ? {} : { valid }), rerandomizeMs: now() - t0 } };
      } catch (error) {
        return fail(toWireError(error, { stage: "rerandomize" }));
      }
    },
  };
}
