/**
 * The end of a warm-up: one throwaway run of everything a proof runs, so the first real proof
 * finds it all optimised. Building alone was not enough: after preload() had built the witness
 * calculator, decoded the zkey and sliced it across helpers, a returning visit's first proof
 * still measured witness 232 ms against 36 warm and prove 1,000 against 579 in Chromium. V8
 * compiles a wasm function first with its baseline compiler (Liftoff) and uses the optimised
 * code (TurboFan) only from a later call on; JavaScript is interpreted before it is optimised;
 * and a first calculation grows and first touches its wasm memory. A second run is warm.
 *
 * What the rehearsal computes is discarded and never leaves the worker: the witness of a
 * caller-given non-secret input (or, without one, a stand-in witness of the circuit's size), its
 * proof, and that proof's verification. Nothing it leaves behind changes a later result: circom's
 * calculator starts every calculation from `init`, a prover wipes its scratch after each proof,
 * and snarkjs's verifier keeps nothing between calls.
 */
import type { Groth16Result } from "./bn254/prover/groth16-prover.js";
import { rehearsalWitness } from "./bn254/prover/rehearsal-witness.js";
import type { WireInput } from "../engine/pool/worker-protocol.js";
import type { WarmWitness } from "./warm-witness.js";

export interface Rehearsal {
  readonly wasm: Uint8Array;
  /** The circuit's signal count (zkey header), for the stand-in witness. */
  readonly nVars: number;
  /** A valid non-secret input; absent: a stand-in witness, and the calculator is not run. */
  readonly input?: WireInput;
  readonly witness?: WarmWitness;
  /** The proof the next real proof will run (whole, or split on the helpers it was warmed for). */
  prove(wtns: Uint8Array): Promise<Groth16Result>;
  /** snarkjs's verification with the pinned vkey; absent: not rehearsed. */
  verify?(result: Groth16Result): Promise<unknown>;
}

/** Run the rehearsal; resolves to its duration. A proof that fails here fails the warm-up (it would fail the first proof too). */
export async function rehearseProof(r: Rehearsal, now: () => number): Promise<number> {
  const t0 = now();
  let wtns: Uint8Array | undefined;
  if (r.input && r.witness) {
    // An input the calculator refuses is the caller's mistake, not this circuit's: the
    // calculator it dropped is built again (the proof would build it otherwise), and the
    // rehearsal goes on with a stand-in witness.
    wtns = await r.witness.calculate(r.input, r.wasm).catch(async () => {
      await r.witness?.prepare(r.wasm);
      return undefined;
    });
  }
  wtns ??= rehearsalWitness(r.nVars);
  const result = await r.prove(wtns);
  wtns.fill(0);
  // A stand-in witness's proof does not verify; the pairing code runs all the same.
  await r.verify?.(result);
  return now() - t0;
}
