/**
 * bn254 helper threads in browsers: nested module Workers started by the prover worker from its
 * own script URL (`self.location`, whatever the app's bundler or dev server named it) with the
 * worker name marking helper mode. Same-origin script, so a `worker-src 'self'` policy allows
 * them where ffjavascript's `blob:` threads would be refused. Terminating the prover worker
 * (cancel, dispose) stops its nested workers with it.
 */
import { SLICE_HELPER_MODE, type SliceEndpoint } from "../src/lib/proof/worker/bn254/split/slice-helper-protocol.js";
import type { SpawnedHelper } from "../src/lib/proof/worker/bn254/split/slice-helper-client.js";

type Scope = { Worker?: typeof Worker; name?: string; location?: { href: string }; postMessage?: (m: unknown) => void; addEventListener?: (type: "message", l: (e: MessageEvent) => void) => void };

const scopeOf = () => globalThis as unknown as Scope;

/** True when this worker was started as a bn254 helper (its name says so). */
export function isBrowserSliceHelper(scope: Scope = scopeOf()): boolean {
  return scope.name === SLICE_HELPER_MODE;
}

/** The helper's side of the channel: its own global scope. */
export function browserHelperEndpoint(scope: Scope = scopeOf()): SliceEndpoint {
  return {
    postMessage: (m) => scope.postMessage?.(m),
    onMessage: (listener) => scope.addEventListener?.("message", (e) => listener(e.data)),
  };
}

/**
 * Starts helpers from this worker's script. The Worker constructor is taken now, before
 * ffjavascript's reporting subclass is installed (browser-helper-threads.ts): a bn254 helper's
 * death is this module's to report, not the threaded curve's. Absent without nested workers.
 */
export function browserSliceHelpers(scope: Scope = scopeOf()): (() => SpawnedHelper) | undefined {
  const Native = scope.Worker;
  const href = scope.location?.href;
  if (!Native || !href) return undefined;
  return () => {
    const worker = new Native(href, { type: "module", name: SLICE_HELPER_MODE });
    const deaths: Array<(cause?: unknown) => void> = [];
    let stopping = false;
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      if (stopping) return;
      stopping = true;
      // Only the message crosses from a nested worker; it is classified, never echoed.
      for (const listener of deaths) listener(new Error(event.message));
    });
    return {
      postMessage: (m, transfer) => worker.postMessage(m, transfer ?? []),
      onMessage: (listener) => worker.addEventListener("message", (e) => listener(e.data)),
      onDeath: (listener) => void deaths.push(listener),
      terminate: () => {
        stopping = true;
        worker.terminate();
      },
    };
  };
}
