/**
 * Chooses where each request is proved (`mode`), and holds what remote requests need for
 * `cancelProof` and `dispose`. Without the API's `remote` option, every request is local and
 * asking for "remote" or "auto" is a ValidationError: remote proving is opt-in only.
 */
import { CancelledError, DisposedError, ProofError, type ProofErrorCode } from "../core/errors.js";
import type { EbslProofResult, ProofType } from "../ebsl/ebsl-plan.js";
import type { ProgressEvent } from "../request/request-types.js";
import { requestRemoteProof, type RemoteContext } from "./remote-proving.js";
import { requestMode, resolveRemote, type RemoteOptions } from "./remote-options.js";

/** Local failures after which "auto" proves remotely: this device cannot prove, not "this input is wrong". */
const LOCAL_CANNOT_PROVE: ReadonlySet<ProofErrorCode> = new Set(["RESOURCE_EXHAUSTED", "WORKER_START_FAILED"]);

export class RemoteRouter {
  readonly #ctx: RemoteContext | undefined;
  readonly #live = new Map<string, AbortController>();

  constructor(remote: RemoteOptions | undefined, context: Omit<RemoteContext, "remote">) {
    const resolved = resolveRemote(remote);
    this.#ctx = resolved ? { ...context, remote: resolved } : undefined;
  }

  /** Run `local` or the remote path, as the request's `mode` says. */
  async route(requestId: string, attestations: unknown, proofType: ProofType, rawOptions: unknown, local: (options: unknown) => Promise<EbslProofResult>): Promise<EbslProofResult> {
    const mode = requestMode(rawOptions, this.#ctx?.remote);
    if (mode === "local") return local(rawOptions);
    const o = (rawOptions ?? {}) as { signal?: AbortSignal; onProgress?: (e: ProgressEvent) => void };
    // One monotonic bar across a local attempt and the remote one.
    let shown = 0;
    const onProgress = o.onProgress
      ? (e: ProgressEvent) => {
          shown = Math.max(shown, e.progress);
          o.onProgress!({ ...e, progress: shown });
        }
      : undefined;
    const options = { ...o, ...(onProgress ? { onProgress } : {}) };
    if (mode === "auto") {
      try {
        return await local(options);
      } catch (error) {
        if (!(error instanceof ProofError) || !LOCAL_CANNOT_PROVE.has(error.code)) throw error;
      }
    }
    const own = new AbortController();
    this.#live.set(requestId, own);
    try {
      const signal = o.signal ? AbortSignal.any([o.signal, own.signal]) : own.signal;
      return await requestRemoteProof(this.#ctx!, requestId, attestations, proofType, { ...options, signal });
    } finally {
      this.#live.delete(requestId);
    }
  }

  /** Cancel a running remote request: true when there was one. */
  cancel(requestId: string): boolean {
    const c = this.#live.get(requestId);
    if (!c || c.signal.aborted) return false;
    c.abort(new CancelledError("The request was cancelled.", { details: { requestId } }));
    return true;
  }

  dispose(): void {
    for (const c of this.#live.values()) c.abort(new DisposedError("The proof API was disposed."));
    this.#live.clear();
  }
}
