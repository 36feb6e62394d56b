/**
 * The helper threads of one prover worker for split bn254 proofs, and the split prover on them.
 *
 * The number of helpers is fixed per set: a proof granted another thread count replaces the set
 * (its helpers and their slices; slicing again costs one decode of the zkey's points, spread
 * over the threads), as the threaded snarkjs curve is rebuilt. Helpers of which none reports
 * ready within a period of `startTimeoutMs` (a platform without nested workers, a
 * Content-Security-Policy that refuses them), or one dies while starting, mark helpers
 * unavailable here for good: the worker then proves on one thread.
 */
import { SliceHelperClient, type SpawnedHelper } from "./slice-helper-client.js";
import { createSplitProving, type SplitProving } from "./split-prover.js";
import type { RandomBytes } from "../prover/groth16-proof.js";

export interface SliceHelperSetOptions {
  /** Starts one helper thread (the platform part). */
  readonly spawn: () => SpawnedHelper;
  /** The compiled bn254.wasm, shared with every helper. */
  readonly module: () => Promise<WebAssembly.Module>;
  /** Longest a set of helpers may go without one more of them reporting ready. @default 10000 */
  readonly startTimeoutMs?: number;
  /** @default globalThis.setTimeout */
  readonly setTimeout?: (fn: () => void, ms: number) => unknown;
  /** @default crypto.getRandomValues */
  readonly random?: RandomBytes;
}

/** Helpers did not start in time; this worker proves on one thread from now on. */
export class SliceHelpersUnavailable extends Error {
  constructor() {
    super("bn254 helper threads did not start in time.");
    this.name = "SliceHelpersUnavailable";
  }
}

export class SliceHelperSet {
  readonly #o: SliceHelperSetOptions;
  #current: { count: number; clients: SliceHelperClient[]; proving: Promise<SplitProving> } | undefined;
  #unavailable = false;

  constructor(options: SliceHelperSetOptions) {
    this.#o = options;
  }

  get unavailable(): boolean {
    return this.#unavailable;
  }

  /** The split prover on `count` helpers (count + 1 threads), started now if needed. */
  get(count: number): Promise<SplitProving> {
    if (this.#unavailable) return Promise.reject(new SliceHelpersUnavailable());
    if (this.#current?.count === count) return this.#current.proving;
    this.dispose();
    const clients: SliceHelperClient[] = [];
    const proving = (async () => {
      for (let i = 0; i < count; i++) clients.push(new SliceHelperClient(this.#o.spawn()));
      const module = this.#o.module();
      let timer: (() => void) | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = () => {
          this.#unavailable = true;
          reject(new SliceHelpersUnavailable());
        };
      });
      // The deadline catches helpers that never start (a refused script, no nested workers), not
      // a busy machine starting many isolates slowly: while some helper reported ready since the
      // last deadline, the set gets another period. Told 16 cores on a loaded 2-core machine, 15
      // Node helpers took longer than one 10 s period, every one of them ready in the end.
      let ready = 0;
      let readyAtLastDeadline = 0;
      for (const c of clients) void c.ready.then(() => void (ready += 1), () => undefined);
      let settled = false;
      const ms = this.#o.startTimeoutMs ?? 10_000;
      let handle: ReturnType<typeof globalThis.setTimeout> | undefined;
      const arm = (): void => {
        // The default timer is cleared once the helpers answer, so it never holds a Node process open.
        if (this.#o.setTimeout) this.#o.setTimeout(onTime, ms);
        else handle = globalThis.setTimeout(onTime, ms);
      };
      const onTime = (): void => {
        if (settled) return;
        if (ready > readyAtLastDeadline) {
          readyAtLastDeadline = ready;
          arm();
        } else timer?.();
      };
      arm();
      try {
        await Promise.race([Promise.all(clients.map((c) => c.ready)), late]);
      } catch (error) {
        // A helper that died while starting (its script refused or missing) counts as late.
        this.#unavailable = true;
        throw error;
      } finally {
        settled = true;
        if (handle !== undefined) globalThis.clearTimeout(handle);
      }
      return createSplitProving(clients, { module: await module, ...(this.#o.random ? { random: this.#o.random } : {}) });
    })();
    const current = { count, clients, proving };
    this.#current = current;
    // A helper that dies (mid-proof or idle) takes the set with it: the next proof starts afresh.
    void proving.then(() => Promise.race(clients.map((c) => c.died))).then(() => {
      if (this.#current === current) this.dispose();
    }, () => undefined);
    proving.catch(() => {
      // A set that failed (late or dead) is dropped; a late one also stops its threads.
      if (this.#current === current) this.dispose();
    });
    return proving;
  }

  /** Stop the helper threads (the prover worker's own termination stops them too). */
  dispose(): void {
    const current = this.#current;
    this.#current = undefined;
    for (const c of current?.clients ?? []) c.terminate();
  }
}
