/**
 * The one WorkerHandle frame every worker factory shares: a death is reported at most once, and
 * never for a termination the pool asked for. Platform files only say which events mean death.
 * No platform imports here (the worker types are structural), so the browser build, the Node
 * entry and proofline/testing can all use it.
 */
import type { ProverWorkerApi } from "./worker-protocol.js";

/**
 * How a worker died. The pool passes on `error` only for a worker that died while starting, when
 * no input has reached it yet: later, a worker's error text may quote inputs.
 */
export interface WorkerDeath {
  readonly kind: "error" | "exit" | "messageerror";
  readonly exitCode?: number;
  /** The worker's own failure (Node's `code`, such as ERR_INPUT_TYPE_NOT_ALLOWED, and its message). */
  readonly error?: { readonly code?: string; readonly message: string };
}

/** The code and message of whatever a worker's error event carried, if it has any. */
function errorOf(value: unknown): WorkerDeath["error"] {
  if (typeof value !== "object" || value === null) return undefined;
  const { code, message } = value as { code?: unknown; message?: unknown };
  if (typeof message !== "string" || message === "") return undefined;
  return typeof code === "string" ? { code, message } : { message };
}

/** A started worker as the pool sees it. */
export interface WorkerHandle {
  /** The comlink remote of the worker's `ProverWorkerApi`. */
  readonly api: ProverWorkerApi;
  /** Register the listener for the worker's death; called at most once. */
  onDeath(listener: (death: WorkerDeath) => void): void;
  /** Stop the worker now. No death is reported for a termination the pool asked for. */
  terminate(): void;
}

/** Makes one worker. Browser: worker-factory.ts; Node: node-worker-factory.ts; tests: fakes. */
export type WorkerFactory = () => WorkerHandle;

type Die = (death: WorkerDeath) => void;

export function createWorkerHandle(api: ProverWorkerApi, wireDeath: (die: Die) => void, stop: () => void): WorkerHandle {
  let listener: Die | undefined;
  let dead = false;
  wireDeath((death) => {
    if (dead) return;
    dead = true;
    listener?.(death);
  });
  return {
    api,
    onDeath(fn) {
      listener = fn;
    },
    terminate() {
      dead = true;
      stop();
    },
  };
}

/**
 * A browser worker has no exit event: an uncaught error (our worker never throws, so this means
 * a failed module load or an engine failure such as OOM) counts as death.
 */
export function webWorkerDeaths(worker: Pick<Worker, "addEventListener">): (die: Die) => void {
  return (die) => {
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      const error = errorOf(event);
      die(error ? { kind: "error", error } : { kind: "error" });
    });
    worker.addEventListener("messageerror", () => die({ kind: "messageerror" }));
  };
}

/** node:worker_threads: an 'error' event is followed by 'exit'; whichever comes first reports the death. */
export function nodeWorkerDeaths(worker: { on(event: string, listener: (...args: any[]) => void): unknown }): (die: Die) => void {
  return (die) => {
    worker.on("error", (cause: unknown) => {
      const error = errorOf(cause);
      die(error ? { kind: "error", error } : { kind: "error" });
    });
    worker.on("messageerror", () => die({ kind: "messageerror" }));
    worker.on("exit", (exitCode: number) => die({ kind: "exit", exitCode }));
  };
}
