/**
 * The lead's handle on one helper thread of a split bn254 proof: requests as promises matched by
 * call number, rejected at once when the helper dies (its Worker's error or unexpected exit), so
 * a proof never waits for a thread that will not answer.
 */
import { fromWire } from "../../../core/errors.js";
import type { FromSliceHelper, SliceEndpoint, ToSliceHelper } from "./slice-helper-protocol.js";
import type { SliceBytes, WitnessPartials } from "./warm-slice.js";

/** A started helper as the platform gives it (Node worker_threads or a nested module Worker). */
export interface SpawnedHelper extends SliceEndpoint {
  /** `listener` runs once if the helper stops without `terminate()` (crash, uncaught error, OOM). */
  onDeath(listener: (cause?: unknown) => void): void;
  terminate(): void;
}

/** A helper thread died: the prover worker reports the proof as WORKER_CRASHED. */
export class SliceHelperDied extends Error {
  constructor(cause?: unknown) {
    super("A bn254 helper thread of the prover worker died.", cause === undefined ? undefined : { cause });
    this.name = "SliceHelperDied";
  }
}

type Pending = { resolve: (m: FromSliceHelper) => void; reject: (e: unknown) => void };

export class SliceHelperClient {
  readonly #helper: SpawnedHelper;
  readonly #pending = new Map<number, Pending>();
  /** Resolves when the helper has started (its `ready`); rejects if it dies first. */
  readonly ready: Promise<void>;
  /** Resolves if the helper dies (never, after `terminate()`). */
  readonly died: Promise<SliceHelperDied>;
  #calls = 0;
  #dead: SliceHelperDied | undefined;

  constructor(helper: SpawnedHelper) {
    this.#helper = helper;
    let readyNow: () => void = () => undefined;
    let notReady: (e: unknown) => void = () => undefined;
    this.ready = new Promise<void>((resolve, reject) => ((readyNow = resolve), (notReady = reject)));
    this.ready.catch(() => undefined);
    let diedNow: (e: SliceHelperDied) => void = () => undefined;
    this.died = new Promise<SliceHelperDied>((resolve) => (diedNow = resolve));
    helper.onMessage((data) => {
      const m = data as FromSliceHelper;
      if (m.kind === "ready") return readyNow();
      const waiting = this.#pending.get(m.call);
      if (!waiting) return;
      this.#pending.delete(m.call);
      waiting.resolve(m);
    });
    helper.onDeath((cause) => {
      this.#dead = new SliceHelperDied(cause);
      notReady(this.#dead);
      diedNow(this.#dead);
      for (const p of this.#pending.values()) p.reject(this.#dead);
      this.#pending.clear();
    });
  }

  /**
   * Hand the helper its slice: the slice's buffers are transferred, not cloned (they are copies
   * made for this helper), so a circuit's points do not exist once more in each thread while
   * they are decoded.
   */
  load(key: number, module: WebAssembly.Module, slice: SliceBytes): Promise<void> {
    const buffers = new Set([slice.a, slice.b1, slice.b2, slice.c, slice.h].map((b) => b.buffer as ArrayBuffer));
    return this.#ask({ kind: "load", call: 0, key, module, slice }, [...buffers]).then(() => undefined);
  }

  async witness(key: number, ab: Uint8Array, c: Uint8Array): Promise<WitnessPartials> {
    const m = await this.#ask({ kind: "witness", call: 0, key, ab, c });
    return (m as Extract<FromSliceHelper, { kind: "witness-part" }>).part;
  }

  async h(key: number, h: Uint8Array): Promise<Uint8Array> {
    const m = await this.#ask({ kind: "h", call: 0, key, h });
    return (m as Extract<FromSliceHelper, { kind: "h-part" }>).point;
  }

  /** Forget the slice under `key`: the helper lets its wasm instance go. */
  drop(key: number): Promise<void> {
    return this.#ask({ kind: "drop", call: 0, key }).then(() => undefined);
  }

  terminate(): void {
    this.#helper.terminate();
  }

  #ask(message: ToSliceHelper, transfer?: ArrayBuffer[]): Promise<FromSliceHelper> {
    if (this.#dead) return Promise.reject(this.#dead);
    const call = ++this.#calls;
    return new Promise<FromSliceHelper>((resolve, reject) => {
      this.#pending.set(call, {
        resolve: (m) => (m.kind === "failed" ? reject(fromWire(m.error)) : resolve(m)),
        reject,
      });
      this.#helper.postMessage({ ...message, call }, transfer);
    });
  }
}
