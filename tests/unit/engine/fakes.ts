/** Fakes for engine unit tests: a manual clock, controllable prover workers, an artifact source. */
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import type { ArtifactSource, CircuitDefinition, Groth16Proof, LoadedArtifacts, LoadOptions } from "../../../src/lib/proof/engine/types.js";
import type { WorkerDeath, WorkerHandle } from "../../../src/lib/proof/engine/pool/worker-pool.js";
import type { ProverWorkerApi, WorkerProgress, WorkerProof, WorkerResult } from "../../../src/lib/proof/engine/pool/worker-protocol.js";

export class FakeClock implements Clock {
  t = 0;
  #timers = new Map<number, { at: number; fn: () => void }>();
  #next = 1;
  now = () => this.t;
  wallNow = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.#timers.delete(handle as number);
  };
  get pending(): number {
    return this.#timers.size;
  }
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.#timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= this.t && this.#timers.delete(id)) timer.fn();
    }
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}
export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export const PROOF: Groth16Proof = { pi_a: ["1", "2", "1"], pi_b: [["1", "2"], ["3", "4"], ["1", "0"]], pi_c: ["5", "6", "1"], protocol: "groth16", curve: "bn128" };

export type InitBehaviour = "ok" | "fail" | "hang" | "die";

/** A fake worker. By default prove() waits until the test calls `finishProof()`. */
export class FakeWorker implements WorkerHandle {
  static live = 0;
  static maxLive = 0;
  readonly id: number;
  terminated = false;
  dead = false;
  loads: string[] = [];
  proveCalls = 0;
  proving = 0;
  /** Threads asked for by each prove call (1 when the call passed none). */
  readonly proveThreads: number[] = [];
  /** Threads asked for by each warm call (a preload). */
  readonly warmThreads: number[] = [];
  /** Whether each warm call asked for a rehearsal (false: build only). */
  readonly warmRehearse: boolean[] = [];
  /** releaseHelpers calls (the pool moved its helper set to another worker). */
  releases = 0;
  /** The options of the last init call. */
  initOptions: unknown;
  #listener: ((d: WorkerDeath) => void) | undefined;
  #pending: Deferred<WorkerResult<WorkerProof>>[] = [];
  autoFinish: boolean;
  proveResult: WorkerResult<WorkerProof> | undefined;
  valid = true;
  /** Circuits this worker loaded itself (pins only, `loadPinned`). */
  readonly pinnedLoads: CircuitDefinition[] = [];
  readonly api: ProverWorkerApi;

  constructor(id: number, init: InitBehaviour, autoFinish: boolean) {
    this.id = id;
    this.autoFinish = autoFinish;
    const self = this;
    this.api = {
      async init(opts) {
        self.initOptions = opts;
        if (init === "fail") return { ok: false, error: { code: "WORKER_START_FAILED", message: "boom" } };
        if (init === "hang") return new Promise(() => undefined);
        if (init === "die") {
          queueMicrotask(() => self.die());
          return new Promise(() => undefined);
        }
        return { ok: true, value: { threads: opts.threads, initMs: 1 } };
      },
      async load(circuitId) {
        self.loads.push(circuitId);
        return { ok: true, value: { circuitId } };
      },
      async loadPinned(circuit, onProgress) {
        self.pinnedLoads.push(circuit);
        onProgress?.({ circuitId: circuit.id, artifact: "zkey", loadedBytes: circuit.zkey.bytes, totalBytes: circuit.zkey.bytes, source: "network" });
        return { ok: true, value: { circuitId: circuit.id, vkey: { protocol: "groth16" }, networkBytes: circuit.zkey.bytes, loadMs: 1 } };
      },
      async prove(_circuitId, _input, onProgress?: (p: WorkerProgress) => void, options?: { threads?: number }) {
        self.proveCalls += 1;
        self.proveThreads.push(options?.threads ?? 1);
        self.proving += 1;
        FakeWorker.live += 1;
        FakeWorker.maxLive = Math.max(FakeWorker.maxLive, FakeWorker.live);
        onProgress?.({ kind: "witness-start" });
        onProgress?.({ kind: "witness-done", witnessMs: 3 });
        onProgress?.({ kind: "prover-step", step: "multiexp B2", fraction: 0.45 });
        const d = deferred<WorkerResult<WorkerProof>>();
        self.#pending.push(d);
        if (self.autoFinish) queueMicrotask(() => self.finishProof());
        try {
          return await d.promise;
        } finally {
          self.proving -= 1;
          FakeWorker.live -= 1;
        }
      },
      async verify() {
        return { ok: true, value: { valid: self.valid, verifyMs: 1 } };
      },
      async rerandomize(_vkey, proof) {
        return { ok: true, value: { proof, rerandomizeMs: 1 } };
      },
      async releaseHelpers() {
        self.releases += 1;
        return { ok: true, value: undefined };
      },
      async warm(circuitId, options) {
        self.warmThreads.push(options?.threads ?? 1);
        self.warmRehearse.push(options?.rehearse !== false);
        return { ok: true, value: { circuitId, threads: options?.threads ?? 1, warmMs: 1 } };
      },
    };
  }

  finishProof(): void {
    this.#pending.shift()?.resolve(this.proveResult ?? { ok: true, value: { proof: PROOF, publicSignals: ["42"], witnessMs: 3, proveMs: 7 } });
  }

  onDeath(listener: (d: WorkerDeath) => void): void {
    this.#listener = listener;
  }

  terminate(): void {
    this.terminated = true;
  }

  /** Simulate the worker dying on its own (crash), with the error event a real worker would give. */
  die(exitCode = 1, error?: WorkerDeath["error"]): void {
    this.dead = true;
    this.#listener?.(error ? { kind: "error", exitCode, error } : { kind: "exit", exitCode });
  }
}

export class FakeFactory {
  workers: FakeWorker[] = [];
  inits: InitBehaviour[] = [];
  autoFinish = false;
  readonly factory = (): WorkerHandle => {
    const w = new FakeWorker(this.workers.length + 1, this.inits.shift() ?? "ok", this.autoFinish);
    this.workers.push(w);
    return w;
  };
  get last(): FakeWorker {
    return this.workers[this.workers.length - 1] as FakeWorker;
  }
}

export const CIRCUIT: CircuitDefinition = {
  id: "tiny",
  wasm: { url: "tiny.wasm", bytes: 4, sha256: "00" },
  zkey: { url: "tiny.zkey", bytes: 8, sha256: "00" },
  vkey: { url: "tiny.vkey.json", bytes: 2, sha256: "00" },
};

export class FakeArtifacts implements ArtifactSource {
  loads = 0;
  async load(circuit: CircuitDefinition, options: LoadOptions = {}): Promise<LoadedArtifacts> {
    this.loads += 1;
    options.onProgress?.({ circuitId: circuit.id, artifact: "zkey", loadedBytes: 8, totalBytes: 8, source: "network" });
    return { circuitId: circuit.id, wasm: new Uint8Array(4), zkey: new Uint8Array(8), vkey: { protocol: "groth16" }, networkBytes: 0 };
  }
}

/** Let queued microtasks and promise chains run. */
export async function flush(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}
