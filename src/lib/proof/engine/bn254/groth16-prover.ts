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
import { alloc, instantiateBn254Wasm, type Bn254Exports } from "./bn254-wasm.js";
import { proofJson } from "./proof-json.js";
import { cryptoRandomBytes, randomFrScalar, type RandomBytes } from "./random-scalar.js";
import { readWitness } from "./wtns-file.js";
import { loadWarmZkey, type WarmZkey } from "./warm-zkey.js";
import { BN254_R, readGroth16Zkey } from "./zkey-groth16.js";

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
 * Parses the zkey once, decodes its points into the prover's own wasm instance (warm-zkey.ts)
 * and returns a prover that reuses them for every proof. The zkey bytes are not retained.
 *
 * @example
 * const prover = await createGroth16Prover(zkeyBytes);
 * const { proof, publicSignals } = await prover.prove(wtnsBytes);
 */
export async function createGroth16Prover(zkeyBytes: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16Prover> {
  const zkey = readGroth16Zkey(zkeyBytes);
  const { exports: e } = await instantiateBn254Wasm(options.wasm ?? (await bundledWasm()));
  const warm = outOfMemory(() => loadWarmZkey(e, zkey));
  const random = options.random ?? cryptoRandomBytes;
  return {
    nVars: warm.nVars,
    nPublic: warm.nPublic,
    domainSize: warm.domainSize,
    get wasmMemoryBytes() {
      return e.memory.buffer.byteLength;
    },
    prove: async (witness) => prove(warm, e, random, witness),
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

function le32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

const ONE = le32(1n);

/** bn254.wasm reports exhausted memory as RangeError; everything else is a bug to surface. */
function outOfMemory<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof RangeError) throw new ResourceExhaustedError(`bn254 prover: ${error.message}`, { cause: error });
    throw error;
  }
}

function check(status: number, what: string): void {
  if (status === 1) throw new RangeError(`${what}: bn254.wasm could not grow memory`);
  if (status !== 0) {
    throw new ArtifactInvalidError(`zkey: ${what} found a coefficient out of range`, { details: { what: "zkey", reason: "coefficient out of range" } });
  }
}

function prove(z: WarmZkey, e: Bn254Exports, random: RandomBytes, wtnsBytes: Uint8Array): Groth16Result {
  const wtns = readWitness(wtnsBytes);
  if (wtns.count !== z.nVars) {
    throw new ArtifactInvalidError(`witness has ${wtns.count} values, the zkey's circuit ${z.nVars}`, {
      details: { what: "witness", reason: "length differs from the zkey", witness: wtns.count, zkey: z.nVars },
    });
  }
  const w = wtns.values;
  const r = randomFrScalar(random);
  const s = randomFrScalar(random);
  const rs = (BN254_R - ((r * s) % BN254_R)) % BN254_R;
  // Views are made at each write: any allocation or call may grow memory and detach old views.
  const write = (ptr: number, bytes: Uint8Array) => new Uint8Array(e.memory.buffer).set(bytes, ptr);
  const read = (ptr: number, n: number) => new Uint8Array(e.memory.buffer, ptr, n).slice();

  const [piA, piB, piC] = outOfMemory(() => {
    e.bn_reset();
    const outA = alloc(e, 64), outB1 = alloc(e, 64), outB2 = alloc(e, 128), outC = alloc(e, 64);
    // Scalars of A, B1, B2: the witness, then the header terms' 1 and r (A) or 1 and s (B).
    const sAB = alloc(e, 32 * z.nAB);
    write(sAB, w);
    // Scalars of C: private witness values, H (written in place by h_poly), then s, r, -rs.
    const sC = alloc(e, 32 * z.nC);
    write(sC, w.subarray(32 * (z.nPublic + 1)));
    check(e.h_poly(sC + 32 * z.nPrivate, z.coefs, z.nCoefs, sAB, z.nVars, z.log2Domain), "H evaluations");
    write(sAB + 32 * z.nVars, ONE), write(sAB + 32 * (z.nVars + 1), le32(r));
    check(e.g1_msm_decoded(outA, z.a, sAB, z.nAB, 0, 0), "MSM A");
    write(sAB + 32 * (z.nVars + 1), le32(s));
    check(e.g1_msm_decoded(outB1, z.b1, sAB, z.nAB, 0, 0), "MSM B1");
    check(e.g2_msm_decoded(outB2, z.b2, sAB, z.nAB, 0, 0), "MSM B2");
    const slot = z.nPrivate + z.domainSize;
    e.g1_decode(z.c, z.nC, slot, outA, 1, 0);
    e.g1_decode(z.c, z.nC, slot + 1, outB1, 1, 0);
    write(sC + 32 * slot, le32(s)), write(sC + 32 * (slot + 1), le32(r)), write(sC + 32 * (slot + 2), le32(rs));
    check(e.g1_msm_decoded(outC, z.c, sC, z.nC, 0, 0), "MSM C");
    return [read(outA, 64), read(outB2, 128), read(outC, 64)];
  });

  const publicSignals: string[] = [];
  for (let i = 1; i <= z.nPublic; i++) {
    let v = 0n;
    for (let b = 32 * i + 31; b >= 32 * i; b--) v = (v << 8n) | BigInt(w[b]!);
    publicSignals.push(v.toString());
  }
  return { proof: proofJson(piA, piB, piC), publicSignals };
}
