/**
 * The circuits a prover worker holds: each one's witness calculator (circom wasm) and its zkey,
 * with the memory the zkey header says a proof needs, so that a circuit over the budget is
 * refused before anything is decoded.
 *
 * A big zkey's bytes are held only until the prover's decoded copy of them exists. Holding both
 * was the largest avoidable cost of a proof in a tab: the bn254 prover keeps its own copy of
 * the points in wasm memory (1.125 times their bytes), so the file's bytes in JavaScript were a
 * second copy of the whole key for as long as the circuit stayed loaded. `release()` lets them
 * go once the decoded copy is made; the rare paths that need the file again later (a proof split
 * across a new number of helper threads, a prover rebuilt after a failure) read it again from
 * the worker's artifact loader, which checks it against its pin again (from its store, in a
 * browser). Bytes that cannot be read again (handed in through `load`) are kept.
 */
import type { WireError } from "../core/errors.js";
import { ProofError } from "../core/errors.js";
import { checkMemoryBudget, provingBytes, zkeyFootprint } from "../engine/memory-budget.js";
import { readGroth16Zkey, type ZkeyRef } from "./bn254/readers/zkey-groth16.js";
import { pinZkey } from "./bn254/readers/zkey-check-memo.js";
import type { ArtifactKind, ArtifactProgress, ArtifactSource, CircuitDefinition, LoadedArtifacts } from "../engine/types.js";

/** `ArrayBuffer.prototype.transfer` (Chromium 114, Node 21; absent from Node 20's types). */
type Transferable = ArrayBuffer & { transfer?: (length?: number) => ArrayBuffer };

/**
 * A circuit's zkey: its bytes while held, else read again. It is its own `key`, so the provers'
 * decoded copies live exactly as long as the circuit stays loaded.
 */
export class HeldZkey implements ZkeyRef {
  readonly byteLength: number;
  #bytes: Uint8Array | undefined;
  readonly #reread: (() => Promise<Uint8Array>) | undefined;

  readonly #releaseAbove: number;

  /**
   * `reread`: reads the same (checked) bytes again; absent, the bytes are never released. Bytes
   * of `releaseAboveBytes` or fewer are kept (their second read would cost more than they do).
   */
  constructor(bytes: Uint8Array, reread?: () => Promise<Uint8Array>, releaseAboveBytes = Infinity) {
    this.byteLength = bytes.byteLength;
    this.#bytes = bytes;
    this.#reread = reread;
    this.#releaseAbove = releaseAboveBytes;
  }

  get key(): object {
    return this;
  }

  /** True while the file's bytes are held in this worker's JavaScript. */
  get held(): boolean {
    return this.#bytes !== undefined && this.#bytes.byteLength === this.byteLength;
  }

  bytes(): Promise<Uint8Array> {
    // Held bytes someone detached meanwhile (a transfer) are read again like released ones.
    if (this.#bytes && this.#bytes.byteLength === this.byteLength) return Promise.resolve(this.#bytes);
    if (!this.#reread) return Promise.reject(new Error("the zkey's bytes were detached and cannot be read again"));
    return this.#reread();
  }

  /**
   * Lets the bytes go when they can be read again and are big enough to matter; their source
   * must have handed them over (kept no copy: a worker's artifact loader with
   * `handOverAboveBytes`). Where the platform can, the buffer is detached, which frees its memory
   * at once: merely dropped, it would wait for a garbage collection, which nothing forces while
   * the proof fills wasm memory.
   */
  release(): void {
    const bytes = this.#bytes;
    if (!bytes || !this.#reread || this.byteLength <= this.#releaseAbove) return;
    this.#bytes = undefined;
    const buffer = bytes.buffer as Transferable;
    if (buffer.byteLength === bytes.byteLength && typeof buffer.transfer === "function") {
      try {
        buffer.transfer(0);
      } catch {
        /* a buffer that cannot be detached is left to the garbage collector */
      }
    }
  }
}

export interface HeldCircuit {
  readonly id: string;
  readonly wasm: Uint8Array;
  readonly zkey: HeldZkey;
  /** Bytes a proof needs by the zkey header (memory-budget.ts); undefined when the header is unreadable. */
  readonly neededBytes: number | undefined;
  /** Signals by the zkey header (0 when unreadable). */
  readonly nVars: number;
}

/** A circuit to hold; `reread` and `releaseAboveBytes` as in HeldZkey. */
export function holdCircuit(id: string, wasm: Uint8Array, zkey: Uint8Array, reread?: () => Promise<Uint8Array>, releaseAboveBytes?: number): HeldCircuit {
  let neededBytes: number | undefined;
  let nVars = 0;
  try {
    const released = reread !== undefined && zkey.byteLength > (releaseAboveBytes ?? Infinity);
    neededBytes = provingBytes(zkeyFootprint(zkey), wasm.byteLength, released);
    nVars = readGroth16Zkey(zkey).nVars;
  } catch {
    // Bytes that are not a zkey pass here: the prover reports them itself.
  }
  return { id, wasm, zkey: new HeldZkey(zkey, reread, releaseAboveBytes), neededBytes, nVars };
}

/**
 * A circuit loaded through the worker's artifact loader (its bytes matched against their pins,
 * and registered as such: a zkey that passed its checks on an earlier visit skips them), held so
 * that the zkey is read again, and registered again, from the same loader when needed. `onWasm`
 * gets the circuit's wasm as soon as it is checked, while the (much larger) zkey is still read:
 * its witness calculator can be built meanwhile.
 */
export async function loadPinnedCircuit(
  source: ArtifactSource,
  circuit: CircuitDefinition,
  onProgress: (p: ArtifactProgress) => void,
  releaseAboveBytes: number | undefined,
  onWasm?: (wasm: Uint8Array) => void,
): Promise<{ loaded: LoadedArtifacts; held: HeldCircuit }> {
  const pinned = async (load: () => Promise<LoadedArtifacts>): Promise<LoadedArtifacts> => {
    const pin = pinZkey(circuit.zkey.sha256); // looked up while the bytes are read
    const loaded = await load();
    await pin(loaded.zkey);
    return loaded;
  };
  const onVerified = (artifact: ArtifactKind, bytes: Uint8Array) => void (artifact === "wasm" && onWasm?.(bytes));
  const loaded = await pinned(() => source.load(circuit, { onProgress, onVerified }));
  const reread = async (): Promise<Uint8Array> => (await pinned(() => source.load(circuit))).zkey;
  return { loaded, held: holdCircuit(circuit.id, loaded.wasm, loaded.zkey, reread, releaseAboveBytes) };
}

/**
 * RESOURCE_EXHAUSTED when the circuit's header says it needs more than `budgetMB` (absent: not
 * checked). Checked at load and again at the first proof or warm-up: a load that overlapped the
 * worker's start-up ran before init gave the budget.
 */
export function budgetRefusal(circuit: Pick<HeldCircuit, "id" | "neededBytes">, budgetMB: number | undefined): WireError | undefined {
  if (!budgetMB || circuit.neededBytes === undefined) return undefined;
  try {
    checkMemoryBudget(circuit.id, circuit.neededBytes, budgetMB, "zkey header");
    return undefined;
  } catch (error) {
    return (error as ProofError).toWire();
  }
}
