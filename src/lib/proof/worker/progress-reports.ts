/**
 * How a prover worker reports progress across the worker boundary: best effort (the caller may
 * be gone; a failing listener must never fail a load or a proof), and artifact byte progress
 * thinned, since a local download delivers hundreds of chunks back to back and each report is a
 * message the page handles on its main thread.
 */
import type { ArtifactProgress } from "../engine/types.js";

/** Least time between two byte-progress reports of one artifact (the last one always goes). */
export const PROGRESS_INTERVAL_MS = 20;

/** `listener`, with whatever it throws or rejects ignored. */
export function bestEffort<T>(listener: ((p: T) => unknown) | undefined): (p: T) => void {
  return (p) => {
    try {
      void Promise.resolve(listener?.(p)).catch(() => undefined);
    } catch {
      /* ignored on purpose */
    }
  };
}

/** `listener` (best effort) hearing one report per artifact every PROGRESS_INTERVAL_MS at most, and always the last. */
export function thinnedProgress(listener: ((p: ArtifactProgress) => unknown) | undefined, now: () => number): (p: ArtifactProgress) => void {
  const last = new Map<string, number>();
  const report = bestEffort(listener);
  return (p) => {
    const t = now();
    if (p.loadedBytes < p.totalBytes && t - (last.get(p.artifact) ?? -Infinity) < PROGRESS_INTERVAL_MS) return;
    last.set(p.artifact, t);
    report(p);
  };
}
