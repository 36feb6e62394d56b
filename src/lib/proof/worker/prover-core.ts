/**
 * The prover worker's logic, independent of where it runs (module Web Worker or Node
 * worker_threads): the entry files only expose it with comlink.
 *
 * Warm means three things kept across proofs: snarkjs imported once (if used), each circuit's witness
 * calculator and zkey (held-circuits.ts: a big zkey's bytes only until the bn254 prover's decoded
 * copy exists), and ONE single-threaded bn128 curve (warm-curve.ts).
 *
 * In `adaptive` mode a proof the pool granted more than one thread runs on helper threads
 * nested in this worker (prover-helpers.ts): snarkjs's threaded curve, or with `backend: "bn254"`
 * slice helpers that each keep a slice of every MSM's bases. A loaded circuit's witness calculator
 * is built in the background at once; `warm` also decodes its zkey, waits for the verifying curve
 * and rehearses one proof (proof-rehearsal.ts).
 *
 * Nothing here throws: every method resolves to a WorkerResult, and error messages never
 * contain the circuit input (snarkjs messages may; they are classified, not echoed).
 */
import type { WireError } from "../core/errors.js";
import { classifyError } from "../core/error-classification.js";
import type { ArtifactSource, Groth16Proof } from "../engine/types.js";
import { ProofError } from "../core/errors.js";
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
import { createBn254Proving, type Bn254Proving, type Groth16Result, type ProofPhase, type ProofRun } from "./bn254/prover/groth16-prover.js";
import type { SplitProving } from "./bn254/split/split-prover.js";
import type { ZkeyRef } from "./bn254/readers/zkey-groth16.js";
import { rehearseProof } from "./proof-rehearsal.js";
import { budgetRefusal, holdCircuit, loadPinnedCircuit, type HeldCircuit } from "./held-circuits.js";
import { WarmCurve } from "./warm-curve.js";
import type { Curve } from "./threaded-curve.js";
import { proveWithSnarkjs, snarkjsCurve } from "./snarkjs-proving.js";
import { helperDeath, ProverHelpers } from "./prover-helpers.js";
import type { ProverCoreOptions, Snarkjs } from "./prover-core-options.js";
import { bestEffort, thinnedProgress } from "./progress-reports.js";

export type { ProverCoreOptions } from "./prover-core-options.js";

/** Every thrown value goes through the classification table, which never echoes snarkjs's message text (it can quote inputs). */
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
  const circuits = new Map<string, HeldCircuit>();
  /** snarkjs, imported once: by init for its own backend; with bn254 only if a fallback needs it, so a new worker does not parse it first. */
  let snarkjs: Promise<Snarkjs> | undefined;
  const snarkjsNow = (): Promise<Snarkjs> => (snarkjs ??= importSnarkjs().catch((error: unknown) => ((snarkjs = undefined), Promise.reject(error))));
  let artifactSource: ArtifactSource | undefined;
  const warmCurve = new WarmCurve();
  /** Memory a circuit may take (init's option; absent: not checked here). */
  let budgetMB: number | undefined;
  /** Circuits loaded while init was under way, before the budget was known: checked on use until one check passes. */
  const uncheckedLoads = new WeakSet<HeldCircuit>();
  const refusal = (circuit: HeldCircuit): WireError | undefined => {
    if (!uncheckedLoads.has(circuit)) return undefined;
    const refused = budgetRefusal(circuit, budgetMB);
    if (!refused && info) uncheckedLoads.delete(circuit);
    return refused;
  };
  let info: WorkerInfo | undefined;
  /** Set by init when the pool asked for proofline's BN254 prover instead of snarkjs's. */
  let bn254: Bn254Proving | undefined;
  const helpers = new ProverHelpers(options);
  /** The split prover for a proof granted `threads` (bn254, adaptive); helpers start here (prover-helpers.ts). */
  const splitFor = (threads: number, zkey: ZkeyRef): Promise<SplitProving | undefined> =>
    bn254 && info?.threads === "adaptive" ? helpers.splitFor(threads, zkey) : Promise.resolve(undefined);
  /** Runs `work` holding the helpers if it may use them (a release meanwhile waits); work on one thread uses none. */
  const holdingHelpers = async <T>(threads: number, work: () => Promise<T>): Promise<T> => {
    if (threads <= 1) return work();
    const end = helpers.hold();
    try {
      return await work();
    } finally {
      end();
    }
  };
  /** The witness calculator of a circuit, built in the background (keyed by the wasm's bytes: built once). */
  const prepareWitness = (wasm: Uint8Array): void => void options.witness?.prepare(wasm).catch(() => undefined);
  /** Keeps a loaded circuit; its witness calculator is built in the background (no helper starts). */
  const keep = (held: HeldCircuit, wasm: Uint8Array): void => {
    circuits.set(held.id, held);
    if (!info) uncheckedLoads.add(held);
    prepareWitness(wasm);
  };

  const verifyProof = (vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean> =>
    warmCurve.verify(async (k, p, q) => (await snarkjsNow()).groth16.verify(k, p, q), vkey, publicSignals, proof);

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
        if (opts.backend !== "bn254") await snarkjsNow();
        if (opts.threads === "single" || opts.threads === "adaptive") {
          const building = warmCurve.build(buildCurve);
          // With the bn254 backend the warm curve only verifies (and re-randomises): it is built
          // while the first proof's artifacts load and its witness and proof are computed, not
          // before the worker reports ready. snarkjs proves on it, so that backend waits for it.
          if (opts.backend === "bn254") building.catch(() => undefined);
          else await building;
        }
        if (opts.backend === "bn254") bn254 = createBn254Proving();
        budgetMB = opts.memoryBudgetMB;
        const withHelpers = opts.threads === "adaptive" && helpers.available(bn254 !== undefined);
        // Helpers are not started here: a worker may only ever run proofs on one thread (a burst
        // on a many-core machine); the first proof granted more threads, or a warm-up, starts them.
        info = { threads: opts.threads, initMs: now() - t0, ...(opts.threads === "adaptive" ? { helpers: withHelpers } : {}), ...(opts.backend ? { backend: opts.backend } : {}) };
        return { ok: true, value: info };
      } catch (error) {
        return fail({ ...toWireError(error, { stage: "init" }), code: "WORKER_START_FAILED" });
      }
    },

    async load(circuitId, wasm, zkey) {
      if (!(wasm instanceof Uint8Array) || !(zkey instanceof Uint8Array)) {
        return fail({ code: "SYSTEM_ERROR", message: "load() needs wasm and zkey bytes.", details: { circuitId } });
      }
      // Bytes handed in cannot be read again: this worker keeps them.
      const held = holdCircuit(circuitId, wasm, zkey);
      const refused = budgetRefusal(held, budgetMB);
      if (refused) return fail(refused);
      keep(held, wasm);
      return { ok: true, value: { circuitId } };
    },

    async loadPinned(circuit, onProgress): Promise<WorkerResult<WorkerLoaded>> {
      if (!options.artifacts) return fail({ code: "SYSTEM_ERROR", message: "This prover worker has no artifact loader.", details: { circuitId: circuit.id } });
      const t0 = now();
      const report = thinnedProgress(onProgress, now);
      try {
        artifactSource ??= options.artifacts();
        const { loaded, held } = await loadPinnedCircuit(artifactSource, circuit, report, options.releaseZkeysAboveBytes, prepareWitness);
        const refused = budgetRefusal(held, budgetMB);
        if (refused) return fail(refused);
        keep(held, loaded.wasm);
        return { ok: true, value: { circuitId: circuit.id, vkey: loaded.vkey, networkBytes: loaded.networkBytes, loadMs: now() - t0 } };
      } catch (error) {
        // The loader's errors are already typed (integrity, network, storage) and safe to send.
        return fail(error instanceof ProofError ? error.toWire() : toWireError(error, { circuitId: circuit.id, stage: "artifacts" }));
      }
    },

    warm(circuitId, callOptions) {
      const wanted = info?.threads === "adaptive" ? Math.floor(callOptions?.threads ?? 1) : 1;
      return holdingHelpers(wanted, async (): Promise<WorkerResult<WorkerWarmed>> => {
        if (!info) return notInitialised();
        const circuit = circuits.get(circuitId);
        if (!circuit) return fail({ code: "SYSTEM_ERROR", message: "Circuit not loaded in this worker.", details: { circuitId } });
        const refused = refusal(circuit);
        if (refused) return fail(refused);
        const t0 = now();
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
            circuit.zkey.release(); // decoded: the file goes before the rehearsal's proof fills wasm memory
          } else threads = (await snarkjsCurve(helpers.threaded, wanted)).threads;
          await witness;
          // The verifying curve, built in the background since init, is on the first proof's path too.
          await warmCurve.ready;
          const vkey = callOptions?.vkey;
          // The verification a real proof runs (the warm curve's prepared-vkey check).
          const verify = async (r: Groth16Result) => void (await verifyProof(vkey, r.publicSignals, r.proof).catch(() => undefined));
          const rehearsalMs = proveOnce && callOptions?.rehearse !== false
            ? await rehearseProof(
                { wasm: circuit.wasm, nVars: circuit.nVars, prove: proveOnce, ...(callOptions?.input ? { input: callOptions.input } : {}), ...(options.witness ? { witness: options.witness } : {}), ...(vkey ? { verify } : {}) },
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
      helpers.release();
      return { ok: true, value: undefined };
    },

    prove(circuitId: string, input: WireInput, onProgress?: (p: WorkerProgress) => void, callOptions?: ProveCallOptions) {
      const wanted = Math.floor(callOptions?.threads ?? 1);
      let threads = wanted > 1 && info?.threads === "adaptive" && helpers.available(bn254 !== undefined) ? wanted : 1;
      return holdingHelpers(threads, async (): Promise<WorkerResult<WorkerProof>> => {
        if (!info) return notInitialised();
        const circuit = circuits.get(circuitId);
        if (!circuit) return fail({ code: "SYSTEM_ERROR", message: "Circuit not loaded in this worker.", details: { circuitId } });
        const report = bestEffort(onProgress);
        // A load that overlapped start-up ran before the budget was known: checked here.
        const refused = refusal(circuit);
        if (refused) return fail(refused);
        const t0 = now();
        let stage: "witness" | "proving" = "witness";
        // Helpers (and the zkey's slices) start now, alongside the witness calculation.
        const splitting = threads > 1 && bn254 ? splitFor(threads, circuit.zkey) : undefined;
        try {
          report({ kind: "witness-start" });
          const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem", data: await options.witness?.calculate(input, circuit.wasm) };
          if (!wtns.data) await (await snarkjsNow()).wtns.calculate(input, circuit.wasm, wtns);
          const witnessMs = now() - t0;
          report({ kind: "witness-done", witnessMs });
          stage = "proving";
          const t1 = now();
          let result: Groth16Result;
          const step = (p: ProofPhase) => report({ kind: "prover-step", step: p.step, fraction: p.fraction });
          if (bn254) {
            const splitProver = await splitting;
            // Report what the proof really runs on (the split's threads), not what was asked.
            threads = splitProver?.threads ?? 1;
            // The same zkey and witness; the phases are reported as the snarkjs path names them.
            step({ step: "multiexp A, B, C, H", fraction: 0.05 });
            // Decoded first, then the file's bytes go: they never sit beside the proof's scratch.
            if (!splitProver) await bn254.prepare(circuit.zkey);
            circuit.zkey.release();
            const run: ProofRun = (splitProver ?? bn254).run(circuit.zkey, wtns.data as Uint8Array);
            // The proof yields its phases; each crosses the boundary as a typed progress event.
            let next = await run.next();
            for (; !next.done; next = await run.next()) step(next.value);
            result = next.value;
          } else {
            const on = await snarkjsCurve(threads > 1 ? helpers.threaded : undefined, threads);
            threads = on.threads;
            result = await proveWithSnarkjs({ snarkjs: await snarkjsNow(), warmCurve }, on, await circuit.zkey.bytes(), wtns.data as Uint8Array, step);
          }
          return { ok: true, value: { proof: result.proof, publicSignals: result.publicSignals, witnessMs, proveMs: now() - t1, threads } };
        } catch (error) {
          const died = helperDeath(error, { circuitId, stage, threads });
          if (died) return fail(died);
          return fail(toWireError(error, { circuitId, stage }));
        }
      });
    },

    async verify(vkey, publicSignals, proof): Promise<WorkerResult<WorkerVerification>> {
      if (!info) return notInitialised();
      const t0 = now();
      try {
        const valid = await verifyProof(vkey, publicSignals, proof);
        return { ok: true, value: { valid, verifyMs: now() - t0 } };
      } catch (error) {
        return fail(toWireError(error, { stage: "verifying" }));
      }
    },

    async rerandomize(vkey, proof, publicSignals): Promise<WorkerResult<WorkerRerandomized>> {
      if (!info) return notInitialised();
      const t0 = now();
      try {
        // The warm single-threaded curve when there is one (threads: "single"); otherwise a
        // single-threaded curve built once for this purpose (the threaded one lives in snarkjs).
        await warmCurve.ready;
        const curve = (warmCurve.curve ?? (await loadBn128())) as unknown as Bn128Curve;
        const fresh = rerandomizeProof(curve, proof, vkey as unknown as VkeyDelta);
        const valid = publicSignals ? await verifyProof(vkey, publicSignals, fresh) : undefined;
        return { ok: true, value: { proof: fresh, ...(valid === undefined ? {} : { valid }), rerandomizeMs: now() - t0 } };
      } catch (error) {
        return fail(toWireError(error, { stage: "rerandomize" }));
      }
    },
  };
}
