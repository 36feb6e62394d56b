/**
 * The bn254 proving core as a prover worker uses it: one warm Groth16 prover per zkey (its
 * points decoded once into the prover's wasm memory), created on the first proof of a circuit
 * and dropped with the zkey bytes it was made from. snarkjs still computes the witness (circom's
 * own calculator) and verifies every proof against the pinned vkey before it is returned.
 */
import { PromiseMemo } from "../../core/promise-memo.js";
import { createGroth16Prover, type Groth16Prover, type Groth16ProverOptions, type Groth16Result, type ProofStep } from "./prover/groth16-prover.js";
import { zkeyRef, type ZkeyRef } from "./readers/zkey-groth16.js";

export interface Bn254Proving {
  /** A proof of the circom witness `wtns` (.wtns bytes) for the circuit whose zkey is `zkey`. */
  prove(zkey: Uint8Array | ZkeyRef, wtns: Uint8Array, onStep?: ProofStep): Promise<Groth16Result>;
  /** Decode `zkey` now (what its first proof would do), so that proof finds it warm. */
  prepare(zkey: Uint8Array | ZkeyRef): Promise<void>;
}

export function createBn254Proving(options: Groth16ProverOptions = {}): Bn254Proving {
  // Keyed by the zkey's key (the buffer itself for plain bytes): a worker keeps one per loaded
  // circuit, and a reloaded circuit (a new key) gets a new prover while the old one is collected
  // with its key. The bytes are read only to make the prover. A zkey that failed to load is not
  // kept: the next proof reports its error again.
  const provers = PromiseMemo.weak<object, Groth16Prover>();
  const proverOf = (zkey: Uint8Array | ZkeyRef): Promise<Groth16Prover> => {
    const ref = zkeyRef(zkey);
    return provers.get(ref.key, () => ref.bytes().then((bytes) => createGroth16Prover(bytes, options)));
  };
  return {
    prove: (zkey, wtns, onStep) => proverOf(zkey).then((p) => p.prove(wtns, onStep)),
    prepare: async (zkey) => void (await proverOf(zkey)),
  };
}
