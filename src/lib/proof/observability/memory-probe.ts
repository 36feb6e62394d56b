/**
 * Memory where the platform reports it: Chromium's non-standard `performance.memory` (JS heap of
 * the page or worker) and Node's `process.memoryUsage()`. Other browsers report nothing and the
 * probe returns undefined rather than a guess.
 */

export interface MemoryUsage {
  /** Bytes in use (JS heap in Chromium; resident set size in Node). */
  readonly usedBytes: number;
  /** Heap bytes allocated (Chromium `totalJSHeapSize`, Node `heapTotal`). */
  readonly totalBytes?: number;
  /** Heap limit (Chromium `jsHeapSizeLimit`); absent in Node. */
  readonly limitBytes?: number;
  readonly source: "performance.memory" | "process.memoryUsage" | "custom";
}

export type MemoryProbe = () => MemoryUsage | undefined;

interface ChromiumMemory {
  usedJSHeapSize: number;
  totalJSHeapSize: number;
  jsHeapSizeLimit: number;
}

/** The platform's probe; never throws. */
export const defaultMemoryProbe: MemoryProbe = () => {
  try {
    const mem = (globalThis.performance as { memory?: ChromiumMemory } | undefined)?.memory;
    if (mem && typeof mem.usedJSHeapSize === "number") {
      return { usedBytes: mem.usedJSHeapSize, totalBytes: mem.totalJSHeapSize, limitBytes: mem.jsHeapSizeLimit, source: "performance.memory" };
    }
    const proc = (globalThis as { process?: { memoryUsage?: () => { rss: number; heapTotal: number } } }).process;
    if (typeof proc?.memoryUsage === "function") {
      const usage = proc.memoryUsage();
      return { usedBytes: usage.rss, totalBytes: usage.heapTotal, source: "process.memoryUsage" };
    }
  } catch {
    // a probe must never break a metrics snapshot
  }
  return undefined;
};
