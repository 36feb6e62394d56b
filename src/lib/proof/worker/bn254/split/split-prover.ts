/**
 * One Groth16 proof across t threads: the lead (the prover worker) and t - 1 helper threads
 * nested in it, each keeping its own slice of every MSM's bases (split-plan.ts, warm-slice.ts).
 *
 * A proof: the lead reads the witness and draws r, s; sends each helper the witness values of
 * its ranges (the helpers start on A, B1, B2 and C at once); computes the H evaluations and
 * sends each helper its range of them; computes its own slice; then sums everyone's partial
 * points with the header terms (split-combine.ts). Only witness values and H evaluations go to
 * the helpers, worker to worker; r and s never leave the lead.
 *
 * The slices are cut for a witness shape (split-plan.ts): at first a full-width one, since none
 * has been seen; after each proof the lead counts its witness's 0s, 1s and large values, and
 * when slices cut for that shape would be clearly faster by the model, the circuit is cut anew
 * before its next proof (or warm-up), at most twice.
 *
 * Memory: the lead keeps the QAP coefficients and its slice, each helper its slice; together
 * about one whole prover's kept bases (ebsl-64: ~40 MiB), split t ways, plus one engine (V8
 * isolate and wasm instance) per helper. The whole single-thread prover (groth16-prover.ts) is a
 * separate instance, kept so a proof on one thread needs no rebuild.
 */
import { PromiseMemo } from "../../../core/shared-flights.js";
import { serialQueue, takeTurn } from "../../../core/serial-queue.js";
import { alloc, allocBytes, instantiateBn254Wasm, readBytes, SCALAR_BYTES, type Bn254Wasm } from "../bn254-wasm.js";
import { check, cryptoRandomBytes, outOfMemory, proofJson, proofResult, publicSignalsOf, randomFrScalar, witnessValues, type Groth16Result, type ProofRun, type RandomBytes } from "../prover/groth16-proof.js";
import { combineProof, type HeaderPoints } from "./split-combine.js";
import { fullWidthShape, proofCosts, witnessShapeOf, type CircuitSizes, type WitnessShape } from "./split-cost.js";
import { gather, leadStarts, planMismatch, sharesFor, sliceRanges, type LeadMsm, type SliceRanges } from "./split-plan.js";
import type { SliceHelperClient } from "./slice-helper-client.js";
import { hPartial, keepCoefficients, loadWarmSlice, sliceBytes, sliceViews, witnessPartialSteps, type WarmSlice } from "./warm-slice.js";
import { readGroth16Zkey, zkeyRef, type ZkeyRef } from "../readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../readers/zkey-validation.js";

/** What the lead needs of a helper (SliceHelperClient; tests may run helpers in-process). */
export type SliceHelper = Pick<SliceHelperClient, "load" | "witness" | "h" | "drop">;

export interface SplitProving {
  /** Threads one proof runs on: the lead plus its helpers. */
  readonly threads: number;
  /** A proof of `wtns` for the circuit of `zkey`, its phases yielded as it goes; the first proof of a zkey slices it (or waits for `warm`), and a proof whose witness the slices fit badly has them cut anew for the next. */
  run(zkey: Uint8Array | ZkeyRef, wtns: Uint8Array): ProofRun;
  /** The same proof, its phases passed over. */
  prove(zkey: Uint8Array | ZkeyRef, wtns: Uint8Array): Promise<Groth16Result>;
  /** Slice a zkey ahead of its first proof (or cut it anew for the last proof's witness, if that is due). */
  warm(zkey: Uint8Array | ZkeyRef): Promise<void>;
}

export interface SplitProvingOptions {
  /** The compiled bn254.wasm: the lead and every helper instantiate it. */
  readonly module: WebAssembly.Module;
  /** @default crypto.getRandomValues (tests inject a seeded one) */
  readonly random?: RandomBytes;
}

interface CircuitSplit {
  readonly key: number;
  readonly sizes: CircuitSizes;
  /** The witness shape the slices were cut for, and how many times this circuit was cut anew. */
  readonly shape: WitnessShape | undefined;
  readonly replans: number;
  /** Where the lead's MSMs start in a proof, by the plan's model (its progress). */
  readonly starts: Readonly<Record<LeadMsm, number>>;
  readonly nPublic: number;
  readonly log2Domain: number;
  readonly header: HeaderPoints;
  readonly plan: SliceRanges[];
  readonly wasm: Bn254Wasm;
  readonly coefs: number;
  readonly slice: WarmSlice;
}

let nextKey = 0;

/**
 * A witness whose proof the model puts this much longer on the slices held than on slices cut
 * for it has the circuit cut anew before its next proof. Cutting anew costs about what the first
 * slicing did (the zkey read again, every slice decoded), so only a clear gain pays for it, and a
 * circuit is cut anew at most MAX_REPLANS times: witnesses whose shapes alternate do not keep it
 * slicing. The first slices assume a full-width witness (split-plan.ts), as does a warm-up's
 * stand-in witness; a bit-heavy circuit's first real proof then says how wrong that was.
 */
const REPLAN_ABOVE = 1.1;
const MAX_REPLANS = 2;

export function createSplitProving(helpers: readonly SliceHelper[], options: SplitProvingOptions): SplitProving {
  const random = options.random ?? cryptoRandomBytes;
  // Keyed by the zkey's key, as the whole prover is: a reloaded circuit gets a new split. The
  // helpers keep a dropped circuit's slice until they are replaced (a new thread count, or the
  // pool recycling the worker).
  const splits = PromiseMemo.weak<object, CircuitSplit>();
  // One proof at a time: the lead's instance and each helper's queue serve one proof's requests.
  const serial = serialQueue();
  // A witness shape the circuit's slices fit badly (REPLAN_ABOVE), by split: its next proof cuts anew.
  const misfits = new WeakMap<CircuitSplit, WitnessShape>();
  // Splits that stay as they are (their zkey's bytes could not be read again).
  const kept = new WeakSet<CircuitSplit>();
  const splitOf = (zkey: Uint8Array | ZkeyRef): Promise<CircuitSplit> => {
    const ref = zkeyRef(zkey);
    return splits.get(ref.key, () => ref.bytes().then((bytes) => slice(bytes, undefined, 0)));
  };

  /**
   * The split a proof of `ref` runs on: the one held, or, when the last proof's witness fit it
   * badly, slices cut anew for that witness's shape. The old slices go first (the helpers drop
   * theirs; the lead's instance goes with the split), so two sets are never held at once.
   */
  const current = async (ref: ZkeyRef): Promise<CircuitSplit> => {
    const held = await splitOf(ref);
    const shape = misfits.get(held);
    if (!shape) return held;
    misfits.delete(held);
    // A zkey whose bytes cannot be had again (an artifact store that lost them) keeps the slices
    // it has: a slower proof, not a failed one.
    const bytes = await ref.bytes().catch(() => undefined);
    if (!bytes) return kept.add(held), held;
    // Returned, not awaited: this frame (and the old split with it) ends here.
    return cutAnew(ref, held.key, held.replans + 1, shape, bytes);
  };
  const cutAnew = (ref: ZkeyRef, oldKey: number, replans: number, shape: WitnessShape, bytes: Uint8Array): Promise<CircuitSplit> =>
    splits.set(ref.key, async () => {
      await Promise.all(helpers.map((h) => h.drop(oldKey)));
      return slice(bytes, shape, replans);
    });

  const slice = async (zkeyBytes: Uint8Array, shape: WitnessShape | undefined, replans: number): Promise<CircuitSplit> => {
    const z = readGroth16Zkey(zkeyBytes);
    const wasm = await instantiateBn254Wasm(options.module);
    validateGroth16Zkey(wasm.exports, z);
    const sizes = { nVars: z.nVars, nPrivate: z.nVars - z.nPublic - 1, domainSize: z.domainSize, nCoefs: z.nCoefs };
    const costs = proofCosts(sizes, shape ?? fullWidthShape(sizes));
    const shares = sharesFor(helpers.length + 1, costs);
    const plan = sliceRanges(sizes, shares);
    const starts = leadStarts(costs, shares);
    const key = ++nextKey;
    // Helpers decode their slices while the lead decodes its own.
    const loading = Promise.all(helpers.map((h, i) => h.load(key, options.module, sliceBytes(z, plan[i + 1]!))));
    loading.catch(() => undefined);
    const coefs = keepCoefficients(wasm.exports, z.coefs);
    const own = loadWarmSlice(wasm.exports, sliceViews(z, plan[0]!));
    await loading;
    const header = { alpha1: z.alpha1.slice(), beta1: z.beta1.slice(), delta1: z.delta1.slice(), beta2: z.beta2.slice(), delta2: z.delta2.slice() };
    return { key, sizes, shape, replans, starts, nPublic: z.nPublic, log2Domain: z.log2Domain, header, plan, wasm, coefs, slice: own };
  };

  async function* prove(s: CircuitSplit, wtns: Uint8Array): ProofRun {
    const w = witnessValues(s.sizes, wtns);
    const r = randomFrScalar(random);
    const sc = randomFrScalar(random);
    const off = 32 * (s.nPublic + 1);
    // Every copy of witness values or H evaluations made here (posted to a helper, which clones
    // it, or used by the lead) is zeroed when the proof ends, failed or not.
    const copies: Uint8Array[] = [];
    const copy = (b: Uint8Array) => (copies.push(b), b);
    const ab = (g: SliceRanges) => copy(gather(w, g.ab, 32));
    const c = (g: SliceRanges) => copy(gather(w.subarray(off), g.c, 32));
    const fromHelpers = helpers.map((h, i) => h.witness(s.key, ab(s.plan[i + 1]!), c(s.plan[i + 1]!)));
    const e = s.wasm.exports;
    try {
      const hAll = outOfMemory(() => {
        e.bn_reset();
        const out = alloc(e, SCALAR_BYTES * s.sizes.domainSize);
        const sw = allocBytes(e, w);
        check(e.h_poly(out, s.coefs, s.sizes.nCoefs, sw, s.sizes.nVars, s.log2Domain), "H evaluations");
        return copy(readBytes(e, out, SCALAR_BYTES * s.sizes.domainSize));
      });
      const hOf = (g: SliceRanges) => copy(gather(hAll, g.h, 32));
      const hFromHelpers = helpers.map((h, i) => h.h(s.key, hOf(s.plan[i + 1]!)));
      // The lead's MSMs start where the plan's model puts them (split-plan.ts), between the 5 %
      // the caller reported before the proof and the 95 % of the wait for the helpers.
      const threads = helpers.length + 1;
      const msm = (label: LeadMsm) => ({ step: `multiexp ${label} slices on ${threads} threads`, fraction: 0.05 + 0.9 * s.starts[label] });
      const helpersDone = Promise.all([Promise.all(fromHelpers), Promise.all(hFromHelpers)]);
      helpersDone.catch(() => undefined); // observed below; the lead's own failure may come first
      const lead = s.plan[0]!;
      const own = witnessPartialSteps(e, s.slice, ab(lead), c(lead));
      let next = own.next();
      for (; !next.done; next = own.next()) yield msm(next.value);
      const ownW = next.value;
      yield msm("H");
      const ownH = hPartial(e, s.slice, hOf(lead));
      if (helpers.length > 0) yield { step: `multiexp slices: waiting for ${helpers.length} helper thread${helpers.length > 1 ? "s" : ""}`, fraction: 0.95 };
      const [parts, hParts] = await helpersDone;
      const all = [ownW, ...parts];
      const partials = { a: all.map((p) => p.a), b1: all.map((p) => p.b1), b2: all.map((p) => p.b2), c: [...all.map((p) => p.c), ownH, ...hParts] };
      // The partial sums are unblinded functions of the witness: zeroed once combined.
      for (const list of Object.values(partials)) copies.push(...list);
      const points = outOfMemory(() => combineProof(s.wasm, s.header, partials, r, sc));
      // The witness's counts of 0s, 1s and large values stay in this worker and only choose a
      // plan; a proof's time already follows them (0s and 1s are cheap in every MSM).
      if (s.replans < MAX_REPLANS && !kept.has(s)) {
        const shape = witnessShapeOf(w, s.nPublic);
        if (planMismatch(s.sizes, helpers.length + 1, s.shape ?? fullWidthShape(s.sizes), shape) > REPLAN_ABOVE) misfits.set(s, shape);
      }
      return { proof: proofJson(points.a, points.b2, points.c), publicSignals: publicSignalsOf(w, s.nPublic) };
    } finally {
      Promise.all(fromHelpers).catch(() => undefined);
      for (const b of copies) b.fill(0);
      // Witness values, H evaluations and r, s do not stay in the lead's memory.
      e.bn_wipe();
    }
  }

  async function* run(zkey: Uint8Array | ZkeyRef, wtns: Uint8Array): ProofRun {
    const leave = await takeTurn(serial);
    try {
      return yield* prove(await current(zkeyRef(zkey)), wtns);
    } finally {
      leave();
    }
  }

  return {
    threads: helpers.length + 1,
    run,
    prove: (zkey, wtns) => proofResult(run(zkey, wtns)),
    // In the proofs' turn: cutting anew drops slices a running proof may be using.
    warm: async (zkey) => {
      const leave = await takeTurn(serial);
      try {
        await current(zkeyRef(zkey));
      } finally {
        leave();
      }
    },
  };
}
