/**
 * How one proof's MSMs are cut across t threads, thread 0 being the lead (the prover worker
 * itself): every MSM (A, B1, B2 over the signals, C over the private signals, H over the domain)
 * is split t ways, the witness MSMs by one set of fractions and the H MSM by another.
 *
 * The signals are dealt in blocks, not cut in t contiguous ranges: a circuit's expensive
 * full-width witness values sit together (ebsl-64: all 7907 of them in the first half of its
 * 29474 signals; the second half is bits, nearly free), so contiguous ranges gave one thread
 * almost all of A, B and C. Blocks dealt in turn give every thread its share of each kind. The H
 * scalars are uniformly random field elements: contiguous ranges of the domain are balanced.
 *
 * Why two sets of fractions: the lead alone computes the H evaluations (E), and every thread's H
 * range waits for them, while the witness MSMs (W) can start at once. So the helpers run their
 * witness ranges while the lead evaluates H, and everyone then runs an equal H range (H / t):
 * the lead's time is E + f0 W + H / t, a helper's max(E, f W) + H / t with f = (1 - f0) / (t - 1).
 * Equal times give f0 = (1 - (t - 1) E / W) / t, and f0 = 0 once the helpers' witness ranges
 * fit inside E (they then wait for the H evaluations whatever the plan). E / W is anything but
 * constant: E follows the domain, W the witness (split-cost.ts): synthetic-full-17 measured E / W
 * ~ 0.09 and synthetic-bits-17 (all 0/1) ~ 10. One set of fractions for all MSMs, the lead's
 * lowered by a fixed E / M = 0.15 (E against all MSMs, measured on ebsl-64), gave the bit-heavy
 * circuit's lead 42.5 % of the H MSM after its 470 ms of evaluations while the helper, its
 * witness ranges done in 30 ms, waited: 1.9-2.0 s against 1.65 s on one thread.
 *
 * The first slices are cut before any witness is seen (a warm-up slices ahead of the first
 * proof), so the plan assumes every witness value is large: the largest W, the largest lead
 * share. That guess costs a bit-heavy witness little (its W is cheap wherever it runs), the other
 * way (a lead without witness work beside a costly W) would leave the helpers all of it; between
 * the two (a few percent of the values large) it costs up to a third by the model, so the split
 * prover cuts a circuit anew for the shape of the witnesses it proves (planMismatch).
 */
import { fullWidthShape, proofCosts, witnessCost, type CircuitSizes, type ProofCosts, type WitnessShape } from "./split-cost.js";

/** A half-open range [lo, hi) of one MSM's bases. */
export interface BaseRange {
  readonly lo: number;
  readonly hi: number;
}

/** One thread's ranges of every MSM, in increasing order; a slice is their concatenation. */
export interface SliceRanges {
  /** Signals 0..nVars: the A, B1 and B2 MSMs (without their header terms). */
  readonly ab: readonly BaseRange[];
  /** Private signals 0..nPrivate (C's witness part). */
  readonly c: readonly BaseRange[];
  /** Domain points 0..domainSize (C's H part). */
  readonly h: readonly BaseRange[];
}

/** Signals per dealt block: large enough that copying a slice's values is a few hundred copies. */
export const SIGNAL_BLOCK = 256;

/** Equal fractions, one per thread. */
function evenShares(threads: number): number[] {
  return Array.from({ length: threads }, () => 1 / threads);
}

/**
 * Fractions of the witness MSMs per thread (lead first; they sum to 1) for H evaluations that
 * cost `evaluationsOverWitness` times the witness MSMs (module comment).
 */
export function witnessShares(threads: number, evaluationsOverWitness: number): number[] {
  checkThreads(threads);
  if (threads === 1) return [1];
  const ratio = Number.isFinite(evaluationsOverWitness) ? Math.max(0, evaluationsOverWitness) : Number.POSITIVE_INFINITY;
  const lead = Math.max(0, (1 - (threads - 1) * ratio) / threads);
  const helper = (1 - lead) / (threads - 1);
  return [lead, ...Array.from({ length: threads - 1 }, () => helper)];
}

/** Fractions of one proof's MSMs per thread, lead first: the witness MSMs' and the H MSM's. */
export interface ThreadShares {
  readonly witness: readonly number[];
  readonly h: readonly number[];
}

/** The shares for `threads` threads and a proof's modelled costs (module comment). */
export function sharesFor(threads: number, costs: ProofCosts): ThreadShares {
  checkThreads(threads);
  const w = witnessCost(costs);
  return { witness: witnessShares(threads, w > 0 ? costs.evaluations / w : Number.POSITIVE_INFINITY), h: evenShares(threads) };
}

/**
 * Each thread's modelled finish time for `shares` (lead first): the lead evaluates H, then runs
 * its witness and H ranges; a helper runs its witness ranges, then its H range once the
 * evaluations are done. What the plan balances, and what its tests check.
 */
export function modelledFinish(costs: ProofCosts, shares: ThreadShares): number[] {
  const w = witnessCost(costs);
  return shares.witness.map((f, i) => (i === 0 ? costs.evaluations + f * w : Math.max(costs.evaluations, f * w)) + shares.h[i]! * costs.h);
}

/**
 * How much longer a proof of a witness shaped `seen` takes, by the model, on slices planned for
 * `plannedFor` than on slices planned for itself: 1 when the plan fits.
 */
export function planMismatch(sizes: CircuitSizes, threads: number, plannedFor: WitnessShape, seen: WitnessShape): number {
  const costs = proofCosts(sizes, seen);
  const makespan = (shares: ThreadShares) => Math.max(...modelledFinish(costs, shares));
  return makespan(sharesFor(threads, proofCosts(sizes, plannedFor))) / makespan(sharesFor(threads, costs));
}

/** The lead's MSMs of a split proof, in the order it runs them. */
export type LeadMsm = "A" | "B1" | "B2" | "C" | "H";

/**
 * When the lead starts each of its MSMs, as a fraction of the proof's modelled time (the latest
 * thread's finish): its progress, which stands for everyone's since the plan balances them.
 */
export function leadStarts(costs: ProofCosts, shares: ThreadShares): Readonly<Record<LeadMsm, number>> {
  const end = Math.max(...modelledFinish(costs, shares));
  const f = shares.witness[0]!;
  const a = costs.evaluations;
  const b1 = a + f * costs.a;
  const b2 = b1 + f * costs.b1;
  const c = b2 + f * costs.b2;
  const h = c + f * costs.c;
  return { A: a / end, B1: b1 / end, B2: b2 / end, C: c / end, H: h / end };
}

function checkThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
}

/**
 * Contiguous ranges of 0..n by the given fractions: cumulative rounding, so the ranges cover
 * 0..n exactly once, in order, whatever the fractions' rounding.
 */
export function cutRange(n: number, shares: readonly number[]): BaseRange[] {
  const total = shares.reduce((a, b) => a + b, 0);
  const out: BaseRange[] = [];
  let acc = 0;
  let lo = 0;
  for (const [i, share] of shares.entries()) {
    acc += share;
    const hi = i === shares.length - 1 ? n : Math.min(n, Math.round((acc / total) * n));
    out.push({ lo, hi: Math.max(lo, hi) });
    lo = Math.max(lo, hi);
  }
  return out;
}

/**
 * 0..n dealt in blocks of `block` by the given fractions: each block goes to the thread furthest
 * below its share so far (the first such on a tie), so every thread gets blocks from everywhere
 * and its total is within one block of its share. Adjacent blocks of one thread are merged.
 */
export function dealBlocks(n: number, shares: readonly number[], block: number = SIGNAL_BLOCK): BaseRange[][] {
  const total = shares.reduce((a, b) => a + b, 0);
  const out: BaseRange[][] = shares.map(() => []);
  const dealt = shares.map(() => 0);
  for (let lo = 0, j = 1; lo < n; lo += block, j++) {
    let best = 0;
    for (let k = 1; k < shares.length; k++) if (j * (shares[k]! / total) - dealt[k]! > j * (shares[best]! / total) - dealt[best]!) best = k;
    dealt[best]! += 1;
    const hi = Math.min(n, lo + block);
    const ranges = out[best]!;
    const last = ranges.at(-1);
    if (last && last.hi === lo) ranges[ranges.length - 1] = { lo: last.lo, hi };
    else ranges.push({ lo, hi });
  }
  return out;
}

/** Items in a thread's ranges. */
export const countOf = (ranges: readonly BaseRange[]): number => ranges.reduce((n, r) => n + (r.hi - r.lo), 0);

/** The items of `ranges` out of `bytes` (`size` bytes each), concatenated in order. */
export function gather(bytes: Uint8Array, ranges: readonly BaseRange[], size: number): Uint8Array {
  const out = new Uint8Array(countOf(ranges) * size);
  let at = 0;
  for (const r of ranges) {
    out.set(bytes.subarray(r.lo * size, r.hi * size), at);
    at += (r.hi - r.lo) * size;
  }
  return out;
}

/**
 * Every thread's ranges for a circuit's sizes; index 0 is the lead's. `shape`: the witness the
 * plan is for (default: every value large, module comment).
 */
export function planSlices(sizes: CircuitSizes, threads: number, shape: WitnessShape = fullWidthShape(sizes)): SliceRanges[] {
  return sliceRanges(sizes, sharesFor(threads, proofCosts(sizes, shape)));
}

/** Every thread's ranges for given shares. */
export function sliceRanges(sizes: CircuitSizes, shares: ThreadShares): SliceRanges[] {
  const ab = dealBlocks(sizes.nVars, shares.witness);
  const c = dealBlocks(sizes.nPrivate, shares.witness);
  const h = cutRange(sizes.domainSize, shares.h);
  return h.map((range, i) => ({ ab: ab[i]!, c: c[i]!, h: range.hi > range.lo ? [range] : [] }));
}
