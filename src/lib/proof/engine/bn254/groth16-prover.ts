/**
 * A Groth16 prover for BN254 circom circuits on bn254.wasm, reading the same `.zkey` and `.wtns`
 * files as snarkjs 0.7.6 and returning its proof JSON, which `snarkjs.groth16.verify` accepts
 * with the circuit's vkey.
 *
 * The proof, with blinding scalars r, s (fresh from a CSPRNG for every proof) and witness w:
 *   A  = alpha1 + sum w_i A_i + r delta1                    (G1, zkey section 5)
 *   B  = beta2  + sum w_i B_i + s delta2                    (G2, section 7; B1 the same in G1, section 6)
 *   C  = sum_{private} w_i C_i + sum_j h_j H_j + s A + r B1 - r s delta1   (sections 8, 9)
 * Each line is one multi-scalar multiplication: the header points join the zkey's points with
 * scalars 1, r, s, ... so no separate point arithmetic is needed.
 */
import { ArtifactInvalidError, ResourceExhaustedError } from "../../errors.js";
import type { Groth16Proof } from "../types.js";
import { instantiateBn254Wasm, type Bn254Wasm } from "./bn254-wasm.js";
import { proofJson } from "./proof-json.js";
import { cryptoRandomBytes, randomFrScalar, type RandomBytes } from "./random-scalar.js";
import { readWitness } from "./wtns-file.js";
import { BN254_R, readGroth16Zkey, type Groth16Zkey } from "./zkey-groth16.js";

export interface Groth16ProverOptions {
  /** bn254.wasm bytes or compiled module. @default the bn254.wasm next to this file */
  readonly wasm?: BufferSource | WebAssembly.Module;
  /** Source of the blinding scalars' randomness; tests inject a seeded one. @default crypto.getRandomValues */
  readonly random?: RandomBytes;
}

export interface Groth16Result {
  readonly proof: Groth16Proof;
  /** Decimal strings, signals 1..nPublic of the witness. */
  readonly publicSignals: string[];
}

export interface Groth16Prover {
  readonly nVars: number;
  readonly nPublic: number;
  readonly domainSize: number;
  /** Current size of the prover's wasm memory (it grows to a proof's peak and stays there). */
  readonly wasmMemoryBytes: number;
  /** A proof for a circom witness (.wtns bytes) of this zkey's circuit. */
  prove(witness: Uint8Array): Promise<Groth16Result>;
}

/**
 * Parses the zkey once and returns a prover for it (reusing its wasm instance across proofs).
 *
 * @example
 * const prover = await createGroth16Prover(zkeyBytes);
 * const { proof, publicSignals } = await prover.prove(wtnsBytes);
 */
export async function createGroth16Prover(zkeyBytes: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16Prover> {
  const zkey = readGroth16Zkey(zkeyBytes);
  const wasm = await instantiateBn254Wasm(options.wasm ?? (await bundledWasm()));
  const random = options.random ?? cryptoRandomBytes;
  return {
    nVars: zkey.nVars,
    nPublic: zkey.nPublic,
    domainSize: zkey.domainSize,
    get wasmMemoryBytes() {
      return wasm.exports.memory.buffer.byteLength;
    },
    prove: async (witness) => prove(zkey, wasm, random, witness),
  };
}

/** One proof from the file bytes; a prover kept with {@link createGroth16Prover} is faster for several. */
export async function proveGroth16(zkeyBytes: Uint8Array, witness: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16Result> {
  return (await createGroth16Prover(zkeyBytes, options)).prove(witness);
}

async function bundledWasm(): Promise<BufferSource> {
  const url = new URL("./bn254.wasm", import.meta.url);
  if (url.protocol === "file:") {
    const { readFile } = await import("node:fs/promises");
    return readFile(url);
  }
  return (await fetch(url)).arrayBuffer();
}

const ONE = le32(1n);

function le32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.byteLength);
  return out;
}

/** bn254.wasm reports exhausted memory as RangeError; everything else is a bug to surface. */
function outOfMemory<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new ResourceExhaustedError(`bn254 prover: ${error.message}`, { cause: error });
    throw error;
  }
}

function prove(zkey: Groth16Zkey, wasm: Bn254Wasm, random: RandomBytes, wtnsBytes: Uint8Array): Groth16Result {
  const wtns = readWitness(wtnsBytes);
  if (wtns.count !== zkey.nVars) {
    throw new ArtifactInvalidError(`witness has ${wtns.count} values, the zkey's circuit ${zkey.nVars}`, {
      details: { what: "witness", reason: "length differs from the zkey", witness: wtns.count, zkey: zkey.nVars },
    });
  }
  const w = wtns.values;
  const { nVars, nPublic } = zkey;
  const h = outOfMemory(() => wasm.hEvaluations(zkey.coefs, zkey.nCoefs, w, nVars, zkey.log2Domain));
  const r = randomFrScalar(random);
  const s = randomFrScalar(random);
  const msm = (points: Uint8Array[], scalars: Uint8Array[], n: number) => outOfMemory(() => wasm.g1Msm(concat(points), concat(scalars), n));

  const piA = msm([zkey.pointsA, zkey.alpha1, zkey.delta1], [w, ONE, le32(r)], nVars + 2);
  const piB1 = msm([zkey.pointsB1, zkey.beta1, zkey.delta1], [w, ONE, le32(s)], nVars + 2);
  const piB = outOfMemory(() => wasm.g2Msm(concat([zkey.pointsB2, zkey.beta2, zkey.delta2]), concat([w, ONE, le32(s)]), nVars + 2));
  const nPrivate = nVars - nPublic - 1;
  const rs = (BN254_R - ((r * s) % BN254_R)) % BN254_R;
  const piC = msm(
    [zkey.pointsC, zkey.pointsH, piA, piB1, zkey.delta1],
    [w.subarray(32 * (nPublic + 1)), h, le32(s), le32(r), le32(rs)],
    nPrivate + zkey.domainSize + 3,
  );

  const publicSignals: string[] = [];
  for (let i = 1; i <= nPublic; i++) {
    let v = 0n;
    for (let b = 32 * i + 31; b >= 32 * i; b--) v = (v << 8n) | BigInt(w[b]!);
    publicSignals.push(v.toString());
  }
  return { proof: proofJson(piA, piB, piC), publicSignals };
}
