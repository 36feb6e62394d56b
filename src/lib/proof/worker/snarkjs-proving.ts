/**
 * One proof with the snarkjs backend, as the prover worker runs it: on snarkjs's threaded curve
 * when the proof was granted threads and helpers start, else on the warm single-threaded curve.
 * snarkjs's debug log is read here (snarkjs-steps.ts) and leaves as typed steps.
 */
import type { Groth16Result, ProofPhase } from "./bn254/prover/groth16-prover.js";
import type { Snarkjs } from "./prover-core-options.js";
import type { Curve, ThreadedCurve } from "./threaded-curve.js";
import type { WarmCurve } from "./warm-curve.js";
import { SnarkjsLogSteps } from "./snarkjs-steps.js";

/** The curve one proof runs on, and the threads it really has. */
export interface SnarkjsCurve {
  /** Absent: the warm single-threaded curve. */
  readonly threaded?: { readonly curve: Curve; readonly helpers: ThreadedCurve };
  readonly threads: number;
}

/**
 * The curve for a proof granted `threads`. Helpers that cannot start (a page's CSP without
 * worker-src blob:, a platform limit) cost the proof its parallelism, not its result.
 */
export async function snarkjsCurve(helpers: ThreadedCurve | undefined, threads: number): Promise<SnarkjsCurve> {
  const curve = helpers && threads > 1 ? await helpers.get(threads).catch(() => undefined) : undefined;
  if (!helpers || !curve) return { threads: 1 };
  // What the proof really runs on (ffjavascript's thread count), not what was asked.
  return { threaded: { curve, helpers }, threads: (curve as { tm?: { concurrency?: number } }).tm?.concurrency ?? threads };
}

/** Proves `wtns` against `zkey` on `on`'s curve; each step snarkjs logs reaches `onStep` once. */
export function proveWithSnarkjs(
  parts: { readonly snarkjs: Snarkjs; readonly warmCurve: WarmCurve },
  on: SnarkjsCurve,
  zkey: Uint8Array,
  wtns: Uint8Array,
  onStep: (step: ProofPhase) => void,
): Promise<Groth16Result> {
  const steps = new SnarkjsLogSteps();
  const quiet = () => undefined;
  const debug = (line: unknown) => {
    const step = steps.read(String(line));
    if (step) onStep(step);
  };
  const logger = { debug, info: quiet, warn: quiet, error: quiet, log: quiet };
  const prove = () => parts.snarkjs.groth16.prove(zkey, wtns, logger);
  const threaded = on.threaded;
  if (threaded) return parts.warmCurve.with(threaded.curve, () => threaded.helpers.race(prove()));
  parts.warmCurve.install();
  return prove();
}
