/**
 * One request's progress: the pipeline's stages and the prover's real events (artifact bytes,
 * witness, snarkjs's multiexp log lines, verification) folded into ONE percentage that never
 * decreases, across retries and fallbacks too.
 *
 * Each attempt maps the prover's own 0..100 onto [where the bar stood when the attempt
 * started, 99]: a retry keeps the bar where it was and moves on from there instead of jumping
 * back. 100 is reserved for the checked, decorated result.
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { ProvePhase, ProveProgress } from "../engine/types.js";
import type { ByteProgress, PipelineStage, ProgressEvent } from "./request-types.js";
import { ProofStatus } from "./request-types.js";

/** Expected duration (ms) of one proof of `circuitId`, when history allows; the metrics seam. */
export type PredictionProvider = (circuitId: string) => number | undefined;

type ArtifactFields = Required<Pick<ProgressEvent, "artifact" | "source">>;

const PROCESSING_START = 1;
const LAST_BEFORE_DONE = 99;

const STAGE_OF_PHASE: Readonly<Record<ProvePhase, PipelineStage>> = {
  starting: "starting",
  artifacts: "artifacts",
  witness: "witness",
  proving: "proving",
  verifying: "verifying",
  // The prover is done, the pipeline is still checking public signals.
  done: "verifying",
};

export interface ProgressTrackerOptions {
  readonly requestId: string;
  readonly emit: (event: ProgressEvent) => void;
  readonly prediction?: PredictionProvider | undefined;
}

export class ProgressTracker {
  readonly #o: ProgressTrackerOptions;
  #progress = 0;
  #status: ProofStatus = ProofStatus.QUEUED;
  #stage: PipelineStage = "queued";
  #circuitId: string | undefined;
  #attempt: number | undefined;
  #attemptBase = PROCESSING_START;
  #finished = false;

  constructor(options: ProgressTrackerOptions) {
    this.#o = options;
  }

  get progress(): number {
    return this.#progress;
  }
  get stage(): PipelineStage {
    return this.#stage;
  }
  get status(): ProofStatus {
    return this.#status;
  }

  queued(): void {
    this.#report({ status: ProofStatus.QUEUED, stage: "queued", progress: 0 });
  }

  /** The job runs: the input for `circuitId` is being prepared, before its first attempt. */
  preparing(circuitId: string): void {
    this.#circuitId = circuitId;
    this.#report({ status: ProofStatus.PROCESSING, stage: "selecting", progress: Math.max(this.#progress, PROCESSING_START) });
  }

  /** An attempt (1-based, counted across variants) of `circuitId` begins. */
  startAttempt(circuitId: string, attempt: number): void {
    this.#circuitId = circuitId;
    this.#attempt = attempt;
    this.#attemptBase = Math.max(this.#progress, PROCESSING_START);
    this.#report({ status: ProofStatus.PROCESSING, stage: "selecting", progress: this.#attemptBase, eta: this.#eta(0) });
  }

  /** A progress report of the prover for the current attempt. */
  fromProver(p: ProveProgress): void {
    const fraction = Math.min(1, Math.max(0, Number.isFinite(p.percent) ? p.percent / 100 : 0));
    const progress = this.#attemptBase + (LAST_BEFORE_DONE - this.#attemptBase) * fraction;
    const bytes: ByteProgress | undefined = p.artifact ? { loaded: p.artifact.loadedBytes, total: p.artifact.totalBytes } : undefined;
    const artifact: ArtifactFields | undefined = p.artifact ? { artifact: p.artifact.artifact, source: p.artifact.source } : undefined;
    this.#report({
      status: ProofStatus.PROCESSING,
      stage: STAGE_OF_PHASE[p.phase] ?? "proving",
      progress,
      ...(p.step !== undefined ? { step: p.step } : {}),
      ...(bytes ? { bytes } : {}),
      ...(artifact ? { artifact } : {}),
      eta: this.#eta(fraction),
    });
  }

  /** The current attempt failed and another (same or smaller circuit) follows. */
  retrying(): void {
    this.#report({ status: ProofStatus.PROCESSING, stage: "retrying", progress: this.#progress });
  }

  done(): void {
    this.#report({ status: ProofStatus.COMPLETED, stage: "done", progress: 100, eta: 0 });
    this.#finished = true;
  }

  failed(code: ProofErrorCode): void {
    this.#report({ status: ProofStatus.FAILED, stage: "failed", progress: this.#progress, errorCode: code });
    this.#finished = true;
  }

  cancelled(code: ProofErrorCode): void {
    this.#report({ status: ProofStatus.CANCELLED, stage: "cancelled", progress: this.#progress, errorCode: code });
    this.#finished = true;
  }

  #eta(fraction: number): number | undefined {
    if (this.#circuitId === undefined || !this.#o.prediction) return undefined;
    let expected: number | undefined;
    try {
      expected = this.#o.prediction(this.#circuitId);
    } catch {
      return undefined;
    }
    if (expected === undefined || !Number.isFinite(expected) || expected < 0) return undefined;
    return Math.round(expected * (1 - fraction));
  }

  #report(r: {
    status: ProofStatus;
    stage: PipelineStage;
    progress: number;
    step?: string;
    bytes?: ByteProgress;
    artifact?: ArtifactFields;
    eta?: number | undefined;
    errorCode?: ProofErrorCode;
  }): void {
    if (this.#finished) return;
    this.#progress = Math.max(this.#progress, Math.min(100, r.progress));
    this.#status = r.status;
    this.#stage = r.stage;
    const event: ProgressEvent = {
      requestId: this.#o.requestId,
      status: r.status,
      progress: Math.round(this.#progress * 100) / 100,
      stage: r.stage,
      ...(r.step !== undefined ? { step: r.step } : {}),
      ...(r.eta !== undefined ? { estimatedRemainingMs: r.eta } : {}),
      ...(this.#attempt !== undefined ? { attempt: this.#attempt } : {}),
      ...(r.bytes ? { bytes: r.bytes } : {}),
      ...(r.artifact ? r.artifact : {}),
      ...(this.#circuitId !== undefined ? { circuitId: this.#circuitId } : {}),
      ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}),
    };
    this.#o.emit(event);
  }
}
