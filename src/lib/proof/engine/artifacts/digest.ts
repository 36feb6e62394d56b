/**
 * SHA-256 of artifact bytes, as lower-case hex.
 *
 * Two paths, chosen by where we run (measured in Chromium):
 * - WebCrypto (`crypto.subtle.digest`) hashes natively, but copies its whole input
 *   synchronously first: ≈ 45 ms of main-thread time for a 25 MB zkey, a long task on a page.
 *   It is the path for small inputs, for workers and for Node, where no UI waits.
 * - On a page's main thread, inputs larger than `incrementalAboveBytes` (1 MiB: WebCrypto's
 *   copy of that is well under a millisecond) are hashed incrementally with
 *   `@noble/hashes` (`sha256.create().update(slice)`), yielding whenever a task has hashed for
 *   `taskBudgetMs`, so no task is long whatever the artifact's size. A time budget rather than
 *   a fixed byte count per task because the same slice costs 10× more while the hash code is
 *   still interpreted (a fresh page) or when the machine is loaded. Slices are views: nothing is copied.
 *   Cost: ≈ 125 MB/s instead of WebCrypto's ≈ 1 GB/s, i.e. ≈ 0.25 s more CPU for a 30 MB
 *   circuit, spread over short tasks.
 * - Anywhere, inputs larger than `copyFreeAboveBytes` (16 MiB) are hashed with `@noble/hashes` as
 *   well, in 1 MiB updates (yielding only on a page's main thread): WebCrypto's copy of a 250 MB
 *   zkey is a second copy of the whole file at the moment a prover worker's memory is highest
 *   but for the proof itself (the file read, about to be decoded). Cost: measured in Node at
 *   92-117 MB/s against WebCrypto's 171-187 (load 5.9), ≈ 1 s more for 250 MB, once per load.
 * `@noble/hashes` is also the fallback for insecure contexts (no `crypto.subtle`) and for views
 * WebCrypto refuses (SharedArrayBuffer); it is imported lazily.
 */
import { isUiThread, noYield, yieldToEventLoop, type YieldFn } from "../../core/clock.js";

export interface DigestOptions {
  /**
   * The WebCrypto implementation to use; `null` forces the pure-JS path.
   * @default globalThis.crypto?.subtle
   */
  readonly subtle?: SubtleCrypto | null;
  /**
   * Hash inputs larger than `incrementalAboveBytes` incrementally, yielding between slices.
   * @default true on a window's main thread, false in workers and Node
   */
  readonly incremental?: boolean;
  /** Inputs up to this size are hashed in one shot even when `incremental`. @default 1 MiB */
  readonly incrementalAboveBytes?: number;
  /** Inputs above this size are hashed without WebCrypto's copy of them. @default 16 MiB */
  readonly copyFreeAboveBytes?: number;
  /** Bytes per `update` on the incremental path. @default 8 KiB */
  readonly sliceBytes?: number;
  /** On the incremental path, yield once a task has hashed this long. @default 8 */
  readonly taskBudgetMs?: number;
  /** Milliseconds clock for `taskBudgetMs`. @default performance.now */
  readonly now?: () => number;
  /** How to give the event loop a turn between slices. @default yieldToEventLoop */
  readonly yield?: YieldFn;
}

/**
 * Update size of the incremental path. Small because the budget is checked between updates and
 * the first updates on a fresh page run interpreted: a 64 KiB update was measured at up to 75 ms
 * there (one microtask). 8 KiB: a few ms at worst, ≈ 60 µs once compiled.
 */
export const DEFAULT_DIGEST_SLICE_BYTES = 8 * 1024;
/** Hashing time per task on a page's main thread: far below the 50 ms long-task line. */
export const DEFAULT_DIGEST_TASK_BUDGET_MS = 8;
/** Above this size a page's main thread hashes incrementally (WebCrypto copies its input synchronously). */
export const DEFAULT_INCREMENTAL_ABOVE_BYTES = 1024 * 1024;
/** Above this size every thread hashes without WebCrypto's copy of the input. */
export const DEFAULT_COPY_FREE_ABOVE_BYTES = 16 * 1024 * 1024;
/** Update size of the copy-free path off the main thread (no yields there, so no budget to check). */
const COPY_FREE_SLICE_BYTES = 1024 * 1024;

interface Incremental {
  readonly sliceBytes: number;
  readonly budgetMs: number;
  readonly now: () => number;
  readonly pause: YieldFn;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** Lower-case hex of a byte string. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += HEX[bytes[i]!];
  return out;
}

async function nobleSha256(bytes: Uint8Array, incremental: Incremental | undefined): Promise<Uint8Array> {
  const { sha256 } = await import("@noble/hashes/sha2.js");
  if (!incremental || bytes.byteLength <= incremental.sliceBytes) return sha256(bytes);
  const { sliceBytes, budgetMs, now, pause } = incremental;
  const hash = sha256.create();
  let taskStart = now();
  for (let start = 0; start < bytes.byteLength; start += sliceBytes) {
    if (now() - taskStart >= budgetMs) {
      await pause();
      taskStart = now();
    }
    hash.update(bytes.subarray(start, Math.min(start + sliceBytes, bytes.byteLength)));
  }
  return hash.digest();
}

/**
 * Lower-case hex SHA-256 of `bytes`. The input is never copied by us or modified; on the
 * incremental path it must not change until the promise settles.
 * @example const hex = await sha256Hex(zkeyBytes);
 */
export async function sha256Hex(bytes: Uint8Array, options: DigestOptions = {}): Promise<string> {
  const sliceBytes = options.sliceBytes ?? DEFAULT_DIGEST_SLICE_BYTES;
  if (!Number.isSafeInteger(sliceBytes) || sliceBytes <= 0) throw new RangeError(`sliceBytes must be a positive integer, got ${String(sliceBytes)}`);
  const budgetMs = options.taskBudgetMs ?? DEFAULT_DIGEST_TASK_BUDGET_MS;
  if (!(budgetMs >= 0)) throw new RangeError(`taskBudgetMs must be >= 0, got ${String(budgetMs)}`);
  const incremental: Incremental | undefined =
    (options.incremental ?? isUiThread())
      ? { sliceBytes, budgetMs, now: options.now ?? (() => performance.now()), pause: options.yield ?? yieldToEventLoop }
      : undefined;
  const above = options.incrementalAboveBytes ?? DEFAULT_INCREMENTAL_ABOVE_BYTES;
  if (incremental && bytes.byteLength > above) return toHex(await nobleSha256(bytes, incremental));
  if (bytes.byteLength > (options.copyFreeAboveBytes ?? DEFAULT_COPY_FREE_ABOVE_BYTES)) {
    return toHex(await nobleSha256(bytes, { sliceBytes: COPY_FREE_SLICE_BYTES, budgetMs: Infinity, now: () => 0, pause: noYield }));
  }

  const subtle = options.subtle === undefined ? globalThis.crypto?.subtle : options.subtle;
  if (subtle) {
    try {
      // The cast only narrows the TS buffer type; SharedArrayBuffer views reject and fall through.
      const digest = await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
      return toHex(new Uint8Array(digest));
    } catch {
      // fall back to the JS implementation below
    }
  }
  return toHex(await nobleSha256(bytes, incremental));
}
