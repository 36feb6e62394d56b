/**
 * How one proof's MSMs are cut across t threads: every MSM (A, B1, B2 over the signals, C over
 * the private signals, H over the domain) is split into t contiguous ranges of bases, the same
 * fractions for each, thread 0 being the lead (the prover worker itself).
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

/** One thread's ranges of every MSM. */
export interface SliceRanges {
  /** Signals 0..nVars: the A, B1 and B2 MSMs (without their header terms). */
  readonly ab: BaseRange;
  /** Private signals 0..nPrivate (C's witness part). */
  readonly c: BaseRange;
  /** Domain points 0..domainSize (C's H part). */
  readonly h: BaseRange;
}

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

/** Every thread's ranges for a circuit's sizes; index 0 is the lead's. */
export function planSlices(sizes: { readonly nVars: number; readonly nPrivate: number; readonly domainSize: number }, threads: number): SliceRanges[] {
  const shares = shareOfThreads(threads);
  const ab = cutRange(sizes.nVars, shares);
  const c = cutRange(sizes.nPrivate, shares);
  const h = cutRange(sizes.domainSize, shares);
  return shares.map((_, i) => ({ ab: ab[i]!, c: c[i]!, h: h[i]! }));
}
