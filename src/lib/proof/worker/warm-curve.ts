/**
 * The prover worker's ONE warm single-threaded bn128 curve. Single-threaded snarkjs rebuilds its
 * curve on every proof (~0.2–0.5 s): only the threaded curve is cached, as
 * `globalThis.curve_bn128`, and ffjavascript's `buildBn128(singleThread)` returns that global
 * whenever `singleThread` is falsy. So we build a single-threaded curve once, install it as the
 * global, and call snarkjs WITHOUT `singleThread`: prove, verify and the zkey reader all pick up
 * the warm curve (measured: 388 → 199 ms median on a 900-constraint fixture). A side effect we
 * rely on: `groth16.verify` (which takes no options and always asks for the threaded curve) also
 * works inside Node worker_threads.
 */
import type { Groth16Proof } from "../engine/types.js";
import { verifyGroth16, type Groth16Vkey, type PairingCurve } from "./groth16-verify.js";
import type { Curve } from "./threaded-curve.js";

const CURVE_GLOBAL = "curve_bn128";

type Global = typeof globalThis & { [CURVE_GLOBAL]?: Curve | null };

/** What verification falls back on: snarkjs's own. */
export type SnarkjsVerify = (vkey: unknown, publicSignals: string[], proof: Groth16Proof) => Promise<boolean>;

export class WarmCurve {
  #curve: Curve | undefined;
  /** Settles when the curve is built (at once until `build` is called). */
  ready: Promise<void> = Promise.resolve();

  /** Starts building; `ready` settles when done (rejects when the build fails). */
  build(buildCurve: () => Promise<Curve>): Promise<void> {
    this.ready = buildCurve().then((c) => {
      this.#curve = c;
      this.install();
    });
    return this.ready;
  }

  get curve(): Curve | undefined {
    return this.#curve;
  }

  /** The global may have been cleared (curve.terminate() nulls it); re-install ours before use. */
  install(): void {
    if (this.#curve) (globalThis as Global)[CURVE_GLOBAL] = this.#curve;
  }

  /** Runs `work` with `curve` as snarkjs's global, then puts the warm one back. */
  async with<T>(curve: Curve, work: () => Promise<T>): Promise<T> {
    (globalThis as Global)[CURVE_GLOBAL] = curve;
    try {
      return await work();
    } finally {
      this.install();
    }
  }

  /**
   * Verification on the warm curve with a prepared vkey (3-4x faster than snarkjs's, which hands
   * each pairing to helper threads; groth16-verify.ts). A curve without ffjavascript's pairing
   * functions (a test's stand-in), or none (snarkjs threads), verifies through snarkjs.
   */
  async verify(snarkjsVerify: SnarkjsVerify, vkey: unknown, publicSignals: string[], proof: Groth16Proof): Promise<boolean> {
    await this.ready;
    const curve = this.#curve as Partial<PairingCurve> | undefined;
    if (typeof curve?.millerLoop === "function") return verifyGroth16(curve as PairingCurve, vkey as Groth16Vkey, publicSignals, proof);
    this.install();
    return (await snarkjsVerify(vkey, publicSignals, proof)) === true;
  }
}
