/**
 * How one proof's MSMs are cut across t threads: every MSM (A, B1, B2 over the signals, C over
 * the private signals, H over the domain) is split t ways, the same fractions for each, thread 0
 * being the lead (the prover worker itself).
 *
 * The signals are dealt in blocks, not cut in t contiguous ranges: a circuit's expensive
 * full-width witness values sit together (ebsl-64: all 7907 of them in the first half of its
 * 29474 signals; the second half is bits, nearly free), so contiguous ranges gave one thread
 * almost all of A, B and C. Blocks dealt in turn give every thread its share of each kind. The H
 * scalars are uniformly random field elements: contiguous ranges of the domain are balanced.
 *
 * The lead also computes the H evaluations (the FFTs), which must finish before anyone's H range
 * can start; so its share of the MSMs is smaller by that work. With E the H evaluations and M all
 * MSMs, equal time per thread means E + f0 M = (1 - f0) M / (t - 1), i.e.
 * f0 = (1 - (t - 1) E / M) / t (never below 0). Measured at 2^15 (ebsl-64, one thread): H
 * evaluations 123 ms against 847 ms of MSMs, E / M ≈ 0.15; at 2^13 (ebsl-16) it is about the same.
 * The helpers' A, B, C ranges are ready to run while the lead evaluates H, so they do not wait.
 */

/** The H evaluations' time over all MSMs' time of one proof (module comment). */
export const H_EVALUATIONS_SHARE = 0.15;

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

/** Fractions of the work per thread (lead first); they sum to 1. */
export function shareOfThreads(threads: number, hShare: number = H_EVALUATIONS_SHARE): number[] {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (threads === 1) return [1];
  const lead = Math.max(0, (1 - (threads - 1) * hShare) / threads);
  const helper = (1 - lead) / (threads - 1);
  return [lead, ...Array.from({ length: threads - 1 }, () => helper)];
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

/** Every thread's ranges for a circuit's sizes; index 0 is the lead's. */
export function planSlices(sizes: { readonly nVars: number; readonly nPrivate: number; readonly domainSize: number }, threads: number): SliceRanges[] {
  const shares = shareOfThreads(threads);
  const ab = dealBlocks(sizes.nVars, shares);
  const c = dealBlocks(sizes.nPrivate, shares);
  const h = cutRange(sizes.domainSize, shares);
  return shares.map((_, i) => ({ ab: ab[i]!, c: c[i]!, h: h[i]!.hi > h[i]!.lo ? [h[i]!] : [] }));
}
