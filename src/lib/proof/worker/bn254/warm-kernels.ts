/**
 * A workout for bn254.wasm's kernels: point decoding (G1 and G2), the H evaluations, the G1 MSM
 * and the constant-time multiply-adds run once on a small made-up input in a throwaway instance,
 * while a prover worker waits for its first circuit's artifacts, so that V8 has compiled them
 * with its optimising tier when the zkey is decoded and the first proof runs.
 *
 * Why: V8 first runs a wasm function on code from its baseline compiler (Liftoff) and compiles
 * it again with TurboFan in the background once it has run for a while; a call already running
 * stays on the baseline code until it returns (wasm has no on-stack replacement), and a proof
 * calls each MSM once. Measured in Chromium 156 (a module worker, 16,384 G1 bases, 2 loaded
 * cores, load 6-7): the first G1 MSM of a fresh instance took 390-1110 ms against 250-400 for
 * the next ones, and 240-510 ms after this workout with 256 points; decoding 16,384 G1 and G2
 * bases took 83-219 ms cold and 59-101 after it. The G2 MSM showed no such gap (1.1-1.8 s
 * whichever call), so the workout leaves it out: it is the costliest kernel on baseline code.
 * The compiled code belongs to the module, which the worker shares with every instance it makes
 * and with its helper threads, so one workout serves all of them.
 *
 * The input is not a zkey or a witness: coordinates and scalars are a fixed pseudo-random
 * sequence below both moduli (the kernels do not check that points are on the curve; that is a
 * separate export, which a remembered zkey skips), and the coefficient records name valid rows
 * and signals. Nothing computed here is read or kept: the instance is dropped.
 */
import { alloc, allocBytes, COEF_RECORD_BYTES, decodeInto, G1_POINT_BYTES, G2_POINT_BYTES, instantiateBn254Wasm, keptBytes, mulAdd, SCALAR_BYTES, type Bn254Exports } from "./bn254-wasm.js";

export interface KernelWorkoutOptions {
  /** Bases of the MSM and signals of the H evaluations (the domain is the next power of two). @default 256 */
  readonly points?: number;
  /** Makes the throwaway instance (tests watch the kernels through it). @default instantiateBn254Wasm */
  readonly instantiate?: (module: WebAssembly.Module) => Promise<Bn254Exports>;
}

/** The statuses the kernels returned (0: they ran to the end on the made-up input). */
export interface KernelWorkout {
  readonly hPoly: number;
  readonly g1Msm: number;
}

/** xorshift32 words of 32 bytes, each with its top byte masked so every value is below both moduli. */
function fieldWords(words: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(32 * words);
  const view = new DataView(bytes.buffer);
  let x = seed >>> 0 || 1;
  for (let at = 0; at < bytes.byteLength; at += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    view.setUint32(at, x >>> 0, true);
  }
  for (let top = 31; top < bytes.byteLength; top += 32) bytes[top]! &= 0x0f;
  return bytes;
}

/** `count` coefficient records (zkey section 4 form) over `signals` signals and 2^log2 rows, in both matrices. */
function coefficientRecords(count: number, signals: number, log2: number): Uint8Array {
  const values = fieldWords(count, 0x5eed);
  const bytes = new Uint8Array(count * COEF_RECORD_BYTES);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < count; i++) {
    const at = i * COEF_RECORD_BYTES;
    view.setUint32(at, i & 1, true);
    view.setUint32(at + 4, (i >>> 1) % (1 << log2), true);
    view.setUint32(at + 8, (i * 7919) % signals, true);
    bytes.set(values.subarray(32 * i, 32 * i + 32), at + 12);
  }
  return bytes;
}

/** A turn of the event loop between kernels: the worker answers calls and takes its artifacts' reads meanwhile. */
const turn = (): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Run the workout in a new instance of `module` (the worker's compiled bn254.wasm), one kernel
 * per task. It only ever costs time: a caller ignores its failure.
 * @example void compiledBn254Module().then((m) => warmKernels(m)).catch(() => undefined);
 */
export async function warmKernels(module: WebAssembly.Module, options: KernelWorkoutOptions = {}): Promise<KernelWorkout> {
  const n = options.points ?? 256;
  if (!Number.isSafeInteger(n) || n < 2 || n > 1 << 16) throw new RangeError(`points must be an integer in 2..65536, got ${String(n)}`);
  const e = options.instantiate ? await options.instantiate(module) : (await instantiateBn254Wasm(module)).exports;
  const log2 = Math.ceil(Math.log2(n));
  const nCoefs = 2 * n;
  e.bn_reset();
  const g1 = alloc(e, n * keptBytes(1));
  e.bn_keep();
  decodeInto(e, 1, g1, 0, fieldWords(2 * n, 0x1234));
  await turn();
  const g2 = alloc(e, n * keptBytes(2));
  e.bn_keep();
  decodeInto(e, 2, g2, 0, fieldWords(4 * n, 0x4321));
  const coefs = allocBytes(e, coefficientRecords(nCoefs, n, log2));
  e.bn_keep();
  await turn();
  const scalars = fieldWords(n, 0xabcd);
  const out = alloc(e, G1_POINT_BYTES);
  const s = allocBytes(e, scalars);
  const hPoly = e.h_poly(alloc(e, SCALAR_BYTES << log2), coefs, nCoefs, s, n, log2);
  await turn();
  const g1Msm = e.g1_msm_decoded(out, g1, s, n, 0, 0);
  await turn();
  const k = scalars.subarray(0, SCALAR_BYTES);
  mulAdd(e, 1, new Uint8Array(G1_POINT_BYTES), scalars.subarray(0, G1_POINT_BYTES), k);
  mulAdd(e, 2, new Uint8Array(G2_POINT_BYTES), scalars.subarray(0, G2_POINT_BYTES), k);
  e.bn_wipe();
  return { hPoly, g1Msm };
}
