/**
 * What proving a circuit costs in memory, known before anything is allocated, and the budget it
 * is checked against: a circuit that does not fit is refused with RESOURCE_EXHAUSTED (which
 * callers fall back on) instead of growing a tab until the browser kills it.
 *
 * Two checks. Before download, from the pinned sizes alone: the zkey bytes are held while their
 * decoded copy (at least as large) exists, so a circuit needs at least twice its zkey plus its
 * witness calculator. Before decoding, from the zkey's section table: the bn254 prover keeps
 * every G1 and G2 base in its internal form (1.125 times the file's point bytes) and the QAP
 * coefficients as they are, and a proof's scratch: the MSM scalars (about 96 bytes per domain
 * element), and the larger of the H evaluations (about 110) and one MSM's sorted points and
 * digits (about 200 bytes per base with its GLV half, C having up to two bases per domain
 * element), which stops growing at one pass of the MSM (2^20 points; about 130 MiB with
 * the bucket sums carried between passes).
 *
 * Sizes are plain numbers of bytes (exact integers up to 2^53: 64-bit safe for any real file).
 */
import { ResourceExhaustedError } from "../core/errors.js";
import { readBinFile } from "./artifacts/bin-file.js";

const MB = 1024 * 1024;
/** Per worker: its isolate, snarkjs, the warm curve, bn254.wasm's code (measured 30-60 MB). */
const WORKER_BASE_BYTES = 64 * MB;
/**
 * A proof's scratch in the prover's wasm memory (module comment): per domain element for the
 * scalars, plus the MSM's, capped at one pass, plus a fixed part (code data, arena rounding).
 * Measured after one proof, wasm memory less what the loaded prover keeps: ebsl-16 (2^14) 7.3 MiB,
 * ebsl-64 (2^16) 23.7 MiB, a 2^17 chain of full-width values 60.8 MiB (486 B per element), a
 * 2^17 circuit of range checks 35.6 MiB; the estimate is 10, 33 and 64 MiB for these.
 */
const SCRATCH_PER_DOMAIN_ELEMENT = 96;
const MSM_SCRATCH_PER_DOMAIN_ELEMENT = 400;
const MSM_SCRATCH_CAP_BYTES = 130 * MB;
const SCRATCH_FIXED_BYTES = 2 * MB;
/** Decoded base bytes per file point byte: 72-byte internal affine form per 64-byte G1 point (G2 alike). */
const DECODED_PER_POINT_BYTE = 1.125;
/** The witness calculator's memory per byte of circuit wasm (its own memory, the witness). */
const WITNESS_PER_WASM_BYTE = 2;

/** Groth16 zkey sections: 4 coefficients, 5-9 the A, B1, B2, C and H points. */
const COEF_SECTION = 4;
const POINT_SECTIONS = [5, 6, 7, 8, 9] as const;

/** What a zkey's section table says about proving it. */
export interface ZkeyFootprint {
  readonly zkeyBytes: number;
  readonly pointBytes: number;
  readonly coefBytes: number;
  readonly domainSize: number;
  /** Bytes the bn254 prover keeps decoded. */
  readonly decodedBytes: number;
  /** Bytes one proof adds while it runs. */
  readonly scratchBytes: number;
}

/** The footprint from a zkey's section table and header (no section is copied or decoded). */
export function zkeyFootprint(zkey: Uint8Array): ZkeyFootprint {
  const file = readBinFile(zkey, "zkey", "zkey");
  const size = (id: number) => file.sections.get(id)?.byteLength ?? 0;
  const pointBytes = POINT_SECTIONS.reduce((n, id) => n + size(id), 0);
  const coefBytes = size(COEF_SECTION);
  const header = file.sections.get(2);
  // Header: n8q, q, n8r, r, nVars, nPublic, domainSize (u32 at byte 80).
  const domainSize = header && header.byteLength >= 84 ? new DataView(header.buffer, header.byteOffset, header.byteLength).getUint32(80, true) : size(9) / 64;
  const decodedBytes = Math.ceil(pointBytes * DECODED_PER_POINT_BYTE) + coefBytes;
  const scratchBytes = SCRATCH_FIXED_BYTES + domainSize * SCRATCH_PER_DOMAIN_ELEMENT + Math.min(MSM_SCRATCH_CAP_BYTES, domainSize * MSM_SCRATCH_PER_DOMAIN_ELEMENT);
  return { zkeyBytes: zkey.byteLength, pointBytes, coefBytes, domainSize, decodedBytes, scratchBytes };
}

/**
 * Peak bytes of proving with this zkey in one worker: its decoded copy, the witness calculator,
 * and the file's bytes and a proof's scratch, both at once, or, when the worker lets the file go
 * once decoded (`released`), whichever is larger: the file during the decode, the scratch after.
 */
export function provingBytes(f: ZkeyFootprint, wasmBytes: number, released = false): number {
  const transient = released ? Math.max(f.zkeyBytes, f.scratchBytes) : f.zkeyBytes + f.scratchBytes;
  return WORKER_BASE_BYTES + f.decodedBytes + transient + wasmBytes * WITNESS_PER_WASM_BYTE;
}

/** The least a circuit can need, from its pinned sizes only (before anything is downloaded). */
export function pinnedMinimumBytes(zkeyBytes: number, wasmBytes: number): number {
  return WORKER_BASE_BYTES + 2 * zkeyBytes + wasmBytes * WITNESS_PER_WASM_BYTE;
}

/** What the platform says about memory (each optional). */
export interface MemoryPlatform {
  /** `navigator.deviceMemory`: GB of device memory, rounded and capped (8) by browsers. */
  readonly deviceMemoryGB?: number;
  /** `performance.memory.jsHeapSizeLimit` (Chromium). */
  readonly jsHeapSizeLimit?: number;
  /** `os.totalmem()` in Node (a worker factory carries it). */
  readonly totalMemoryBytes?: number;
}

/** Without any platform figure: what one wasm32 memory can address. */
const FALLBACK_BUDGET_MB = 4096;

/**
 * The default budget in MB: three quarters of a Node machine's memory; half a browser device's
 * memory (a tab shares it with the rest of the browser and the system); else the JS heap limit;
 * else 4096. Always at least 256.
 */
export function defaultMemoryBudgetMB(p: MemoryPlatform = browserMemoryPlatform()): number {
  const mb = (bytes: number) => Math.floor(bytes / MB);
  let budget = FALLBACK_BUDGET_MB;
  if (isPositive(p.totalMemoryBytes)) budget = mb(p.totalMemoryBytes * 0.75);
  else if (isPositive(p.deviceMemoryGB)) budget = Math.floor(p.deviceMemoryGB * 512);
  else if (isPositive(p.jsHeapSizeLimit)) budget = mb(p.jsHeapSizeLimit);
  return Math.max(256, budget);
}

const isPositive = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x) && x > 0;

/** The browser's figures, where it has them (read when a prover is created, never at import). */
export function browserMemoryPlatform(g: { navigator?: unknown; performance?: unknown } = globalThis): MemoryPlatform {
  const deviceMemoryGB = (g.navigator as { deviceMemory?: unknown } | undefined)?.deviceMemory;
  const jsHeapSizeLimit = (g.performance as { memory?: { jsHeapSizeLimit?: unknown } } | undefined)?.memory?.jsHeapSizeLimit;
  return {
    ...(isPositive(deviceMemoryGB) ? { deviceMemoryGB } : {}),
    ...(isPositive(jsHeapSizeLimit) ? { jsHeapSizeLimit } : {}),
  };
}

/** RESOURCE_EXHAUSTED when `neededBytes` exceed the budget; says what was needed against what. */
export function checkMemoryBudget(circuitId: string, neededBytes: number, budgetMB: number, stage: "pins" | "zkey header"): void {
  const neededMB = Math.ceil(neededBytes / MB);
  if (neededMB <= budgetMB) return;
  throw new ResourceExhaustedError(`Circuit "${circuitId}" needs about ${neededMB} MB to prove (from its ${stage}), more than the memory budget of ${budgetMB} MB.`, {
    details: { circuitId, neededMB, memoryBudgetMB: budgetMB, stage },
  });
}
