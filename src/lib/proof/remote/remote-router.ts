/**
 * Chooses where each request is proved (`mode`), and holds what remote requests need for
 * `cancelProof` and `dispose`. Without the API's `remote` option, every request is local and
 * asking for "remote" or "auto" is a ValidationError: remote proving is opt-in only.
 */
import { CancelledError, DisposedError, ProofError, type ProofErrorCode } from "../core/errors.js";
import type { EbslProofResult, ProofType } from "../ebsl/ebsl-plan.js";
import type { ProgressEvent } from "../request/request-types.js";
import type { ResolvedRequestOptions } from "../client/request-options.js";
import { requestRemoteProof, type RemoteContext } from "./remote-proving.js";
import { resolveRemote, type RemoteOptions } from "./remote-options.js";

/** Local failures after which "auto" proves remotely: this device cannot prove, not "this input is wrong". */
const LOCAL_CANNOT_PROVE: ReadonlySet<ProofErrorCode> = new Set(["RESOURCE_EXHAUSTED", "WORKER_START_FAILED"]);

export class RemoteRouter {
  readonly #ctx: RemoteContext | undefined;
  readonly #live = new Map<string, AbortController>();

  constructor(remote: RemoteOptions | undefined, context: Omit<RemoteContext, "remote">) {
    const resolved = resolveRemote(remote);
    this.#ctx = resolved ? { ...context, remote: resolved } : undefined;
  }

  /** Whether the API has a remote service (requests may ask for "remote" or "auto"). */
  get available(): boolean {
    return this.#ctx !== undefined;
  }

  /** Run `local` or the remote path, as the request's resolved `mode` says. */
  async route(requestId: string, attestations: unknown, proofType: ProofType, options: ResolvedRequestOptions, local: (options: ResolvedRequestOptions) => Promise<EbslProofResult>): Promise<EbslProofResult> {
    if (options.mode === "local" || !this.#ctx) return local(options);
    // One monotonic bar across a local attempt and the remote one.
    let shown = 0;
    const caller = options.onProgress;
    const onProgress = caller
      ? (e: ProgressEvent) => {
          shown = Math.max(shown, e.progress);
          caller({ ...e, progress: shown });
        }
      : undefined;
    const shared: ResolvedRequestOptions = { ...options, onProgress };
    if (options.mode === "auto") {
      try {
        return await local(shared);
      } catch (error) {
        if (!(error instanceof ProofError) || !LOCAL_CANNOT_PROVE.has(error.code)) throw error;
      }
    }
    // The request's one controller: cancelProof and dispose abort it; the remote request ends
    // its own fetches with it once it has settled.
    const own = new AbortController();
    this.#live.set(requestId, own);
    try {
      return await requestRemoteProof(this.#ctx, requestId, attestations, proofType, shared, own);
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
