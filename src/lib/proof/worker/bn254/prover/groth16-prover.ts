/**
 * A Groth16 prover for BN254 circom circuits on bn254.wasm, reading the same `.zkey` and `.wtns`
 * files as snarkjs 0.7.6 and returning its proof JSON, which `snarkjs.groth16.verify` accepts
 * with the circuit's vkey. The proof's computation is groth16-proof.ts; this module loads the
 * zkey into a wasm instance and serialises proofs on it, whole or split in two halves, and keeps
 * one warm prover per zkey for a prover worker (createBn254Proving).
 */
import { PromiseMemo } from "../../../core/shared-flights.js";
import { serialQueue, takeTurn } from "../../../core/serial-queue.js";
import { instantiateBn254Wasm, memoryBytes, type Bn254Exports } from "../bn254-wasm.js";
import { cryptoRandomBytes, outOfMemory, proofResult, proveHPart, proveWarm, type Groth16Result, type ProofRun, type RandomBytes } from "./groth16-proof.js";
import { loadWarmZkey, type WarmZkey, type ZkeyPart } from "./warm-zkey.js";
import { readGroth16Zkey, type ZkeyRef } from "../readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../readers/zkey-validation.js";

export type { Groth16Result, ProofPhase, ProofRun } from "./groth16-proof.js";

export interface Groth16ProverOptions {
  /** bn254.wasm bytes or compiled module. @default the bn254.wasm next to this file */
  readonly wasm?: BufferSource | WebAssembly.Module;
  /** Source of the blinding scalars' randomness; tests inject a seeded one. @default crypto.getRandomValues */
  readonly random?: RandomBytes;
}

export interface Groth16Prover {
  readonly nVars: number;
  readonly nPublic: number;
  readonly domainSize: number;
  /** Current size of the prover's wasm memory (it grows to a proof's peak and stays there). */
  readonly wasmMemoryBytes: number;
  /** A proof for a circom witness (.wtns bytes) of this zkey's circuit. */
  prove(witness: Uint8Array): Promise<Groth16Result>;
  /** The same proof, its phases (each MSM's start) yielded as it goes. */
  run(witness: Uint8Array): ProofRun;
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
  const loaded = await load(zkeyBytes, "whole", options);
  const run = (witness: Uint8Array) => proveInTurn(loaded, witness);
  return Object.assign(info(loaded.warm, loaded.e), { run, prove: (witness: Uint8Array) => proofResult(run(witness)) });
}

/** The H half of a split proof (see {@link createGroth16RestPart}). */
export interface Groth16HPart extends Omit<Groth16Prover, "prove" | "run"> {
  /** sum_j h_j H_j for this witness: 64 bytes to hand to the other half. */
  prove(witness: Uint8Array): Promise<Uint8Array>;
}

/** The other half of a split proof: everything but the H evaluations and their MSM. */
export interface Groth16RestPart extends Omit<Groth16Prover, "prove" | "run"> {
  /** The proof; `hPart` is the H half's result for the same witness, awaited only at the end. */
  prove(witness: Uint8Array, hPart: Promise<Uint8Array> | Uint8Array): Promise<Groth16Result>;
}

/**
 * One proof on two cores: the H half (H evaluations and their MSM, about 45 % of the work) and
 * the rest run in two workers, each keeping only its own bases; the 64-byte point of the first
 * completes the second's C.
 *
 * @example
 * // worker 1: const h = await createGroth16HPart(zkey);     const point = await h.prove(wtns);
 * // worker 2: const rest = await createGroth16RestPart(zkey); const result = await rest.prove(wtns, pointFromWorker1);
 */
export async function createGroth16HPart(zkeyBytes: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16HPart> {
  const { warm, e, queue } = await load(zkeyBytes, "h", options);
  return Object.assign(info(warm, e), { prove: (witness: Uint8Array) => queue(() => wiped(e, () => proveHPart(warm, e, witness))) });
}

/** The rest half of a split proof, which returns the proof; see {@link createGroth16HPart}. */
export async function createGroth16RestPart(zkeyBytes: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16RestPart> {
  const loaded = await load(zkeyBytes, "rest", options);
  return Object.assign(info(loaded.warm, loaded.e), {
    prove: (witness: Uint8Array, hPart: Promise<Uint8Array> | Uint8Array) => proofResult(proveInTurn(loaded, witness, hPart)),
  });
}

async function load(zkeyBytes: Uint8Array, part: ZkeyPart, options: Groth16ProverOptions) {
  const zkey = readGroth16Zkey(zkeyBytes);
  const { exports: e } = await instantiateBn254Wasm(options.wasm ?? (await compiledBn254Module()));
  validateGroth16Zkey(e, zkey);
  const warm = outOfMemory(() => loadWarmZkey(e, zkey, part));
  // One wasm instance, one proof at a time: a proof's scratch lives in the instance's arena,
  // and the rest half awaits the other half in the middle of its proof.
  const queue = serialQueue();
  // delta1 and delta2 (public) for the constant-time blinding terms, copied out of the zkey bytes.
  const bases = { delta1: zkey.delta1.slice(), delta2: zkey.delta2.slice() };
  return { warm, e, queue, bases, random: options.random ?? cryptoRandomBytes };
}

type Loaded = Awaited<ReturnType<typeof load>>;

/** After each proof the scratch is zeroed: the witness and r, s do not stay in the prover's memory. */
function wiped<T>(e: Bn254Exports, run: () => T): T {
  try {
    return run();
  } finally {
    e.bn_wipe();
  }
}

/**
 * A proof in the instance's turn: it waits for the proofs queued before it and holds the
 * instance from its first phase to its end (its phases pause it; the turn stays held), then
 * wipes the scratch and lets the next proof start.
 */
async function* proveInTurn({ warm, e, queue, bases, random }: Loaded, witness: Uint8Array, hPart?: Promise<Uint8Array> | Uint8Array): ProofRun {
  const leave = await takeTurn(queue);
  try {
    return yield* proveWarm(warm, e, random, witness, bases, hPart);
  } finally {
    e.bn_wipe();
    leave();
  }
}

/** The prover's read-only facts; a getter for memory (spreading this object would freeze it). */
function info(warm: WarmZkey, e: Bn254Exports) {
  return {
    nVars: warm.nVars,
    nPublic: warm.nPublic,
    domainSize: warm.domainSize,
    get wasmMemoryBytes() {
      return memoryBytes(e);
    },
  };
}

/** A prover worker's whole proofs: one warm prover per zkey, made on its first proof (or `prepare`). */
export interface Bn254Proving {
  /** The proof of the circom witness `wtns` (.wtns bytes) for the circuit whose zkey is `zkey`, its phases yielded as it goes. */
  run(zkey: ZkeyRef, wtns: Uint8Array): ProofRun;
  /** The same proof, its phases passed over. */
  prove(zkey: ZkeyRef, wtns: Uint8Array): Promise<Groth16Result>;
  /** Decode `zkey` now (what its first proof would do), so that proof finds it warm. */
  prepare(zkey: ZkeyRef): Promise<void>;
}

/**
 * One warm prover per zkey, created on the first proof of a circuit and dropped with the zkey it
 * was made from. snarkjs still computes the witness (circom's own calculator) and a prover worker
 * verifies every proof against the pinned vkey before it is returned.
 */
export function createBn254Proving(options: Groth16ProverOptions = {}): Bn254Proving {
  // Keyed by the zkey's key (plain bytes: `zkeyRef(bytes)`): a worker keeps one per loaded
  // circuit, and a reloaded circuit (a new key) gets a new prover while the old one is collected
  // with its key. The bytes are read only to make the prover. A zkey that failed to load is not
  // kept: the next proof reports its error again.
  const provers = PromiseMemo.weak<object, Groth16Prover>();
  const proverOf = (zkey: ZkeyRef): Promise<Groth16Prover> => provers.get(zkey.key, () => zkey.bytes().then((bytes) => createGroth16Prover(bytes, options)));
  async function* run(zkey: ZkeyRef, wtns: Uint8Array): ProofRun {
    return yield* (await proverOf(zkey)).run(wtns);
  }
  return { run, prove: (zkey, wtns) => proofResult(run(zkey, wtns)), prepare: async (zkey) => void (await proverOf(zkey)) };
}

/** One proof from the file bytes; a prover kept with {@link createGroth16Prover} is faster for several. */
export async function proveGroth16(zkeyBytes: Uint8Array, witness: Uint8Array, options: Groth16ProverOptions = {}): Promise<Groth16Result> {
  return (await createGroth16Prover(zkeyBytes, options)).prove(witness);
}

let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The bundled bn254.wasm, compiled once per realm (on first use, never at import): every prover
 * instantiates it, and a prover worker hands it to its helper threads, which instantiate the
 * same compiled code instead of fetching and compiling their own.
 */
export function compiledBn254Module(): Promise<WebAssembly.Module> {
  compiled ??= bundledWasm().then((bytes) => WebAssembly.compile(bytes));
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

/** What Node 20.16+ offers to load a built-in without an import a browser bundler would see. */
type NodeProcess = { getBuiltinModule?: (id: "node:fs") => { readFileSync(url: URL): Uint8Array<ArrayBuffer> } };

/**
 * The bn254.wasm next to this module: a built package inlines it as a data: URL (fetch reads
 * those everywhere); run from source in Node it is a file, read through `getBuiltinModule` so
 * that no `node:` import reaches a browser bundle.
 */
async function bundledWasm(): Promise<BufferSource> {
  const url = new URL("../bn254.wasm", import.meta.url);
  const node = (globalThis as { process?: NodeProcess }).process;
  if (url.protocol === "file:" && node?.getBuiltinModule) return node.getBuiltinModule("node:fs").readFileSync(url);
  return (await fetch(url)).arrayBuffer();
}
