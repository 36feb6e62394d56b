/**
 * circom's own witness calculator (circom_runtime, the one `snarkjs.wtns.calculate` uses), kept
 * built per circuit. snarkjs compiles the circuit's wasm and instantiates it on every call: on
 * ebsl-16 that is 50-130 ms of a 15-30 ms witness, paid again by every proof. Kept built, a proof
 * pays only the calculation. The bytes returned are the same `.wtns` file.
 *
 * The calculator resets its state at the start of every calculation (`init`). A calculation that
 * throws (an assertion, a bad input) drops the calculator, so the next proof starts from a fresh
 * one. Its memory holds the last witness until the next calculation or until it is collected with
 * the circuit's wasm bytes, like snarkjs's discarded instances; it never leaves the worker.
 */
import { PromiseMemo } from "../core/shared-flights.js";

/** What circom_runtime's builder returns, as used here. */
export interface CircomWitnessCalculator {
  circom_version(): number;
  calculateWTNSBin(input: unknown, sanityCheck?: boolean): Promise<Uint8Array>;
}

export type BuildWitnessCalculator = (wasm: Uint8Array, options: Record<string, never>) => Promise<CircomWitnessCalculator>;

export interface WarmWitness {
  /**
   * The `.wtns` bytes for `input`, or undefined for a circuit this does not take (circom 1, whose
   * witness file snarkjs assembles differently): the caller then uses snarkjs's own call.
   */
  calculate(input: unknown, wasm: Uint8Array): Promise<Uint8Array | undefined>;
  /**
   * Build the calculator for `wasm` now (compile and instantiate it), so the first proof pays
   * only the calculation. A build that fails is not kept: the first proof reports it.
   */
  prepare(wasm: Uint8Array): Promise<void>;
}

/**
 * circom_runtime, imported on first use: it imports ffjavascript, whose Node worker polyfill must
 * not load in a helper thread started from this same worker script.
 */
const circomRuntime: BuildWitnessCalculator = async (wasm, options) =>
  ((await import("circom_runtime")).WitnessCalculatorBuilder as unknown as BuildWitnessCalculator)(wasm, options);

export function createWarmWitness(build: BuildWitnessCalculator = circomRuntime): WarmWitness {
  // Keyed by the wasm buffer: a reloaded circuit (new bytes) gets a new calculator, and the old
  // one is collected with its buffer.
  const calculators = PromiseMemo.weak<Uint8Array, CircomWitnessCalculator>();
  const calculatorOf = (wasm: Uint8Array): Promise<CircomWitnessCalculator> => calculators.get(wasm, () => build(wasm, {}));
  return {
    async prepare(wasm) {
      await calculatorOf(wasm).then(
        // ffjavascript is what a calculation imports first: loaded now too.
        () => import("ffjavascript"),
        () => undefined,
      );
    },
    async calculate(input, wasm) {
      const calculator = await calculatorOf(wasm);
      if (calculator.circom_version() === 1) return undefined;
      try {
        // snarkjs turns decimal strings into bigints first; the calculator expects the same.
        const { utils } = await import("ffjavascript");
        return await calculator.calculateWTNSBin(utils.unstringifyBigInts(input));
      } catch (error) {
        calculators.delete(wasm);
        throw error;
      }
    },
  };
}
