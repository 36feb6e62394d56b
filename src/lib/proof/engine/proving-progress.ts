/**
 * Turns the real events of one proof (artifact bytes, witness done, the prover's typed steps)
 * into a monotonic, cost-weighted percent. Never a timer: the bar moves only when work is done.
 *
 * Weights are measured, not guessed. On ebsl-16 (8,090 constraints, 2^13, single-threaded warm
 * snarkjs 0.7.6 in Node): witness ≈ 3–5% of a proof; where each step falls inside proving is the
 * worker's to say (snarkjs-steps.ts). Monotonicity is guaranteed either way.
 */
import type { ProvePhase, ProveProgress } from "./types.js";
import type { WorkerProgress } from "./pool/worker-protocol.js";

/** Overall percent at which each phase starts; the next phase's start is where it ends. */
export type PhaseLayout = Readonly<Record<ProvePhase, number>>;

/** The layout without a plan: a warm worker that already holds the circuit. */
export const PHASE_START: PhaseLayout = {
  starting: 0,
  artifacts: 0,
  witness: 3,
  proving: 8,
  verifying: 97,
  done: 100,
};

/** Expected milliseconds of what one job must do. */
export interface ProgressPlan {
  /** Starting a worker (import the prover, build the curve); 0 when a warm one is free. */
  readonly startingMs: number;
  /** Fetching or reading the artifacts; 0 when the worker holds them. */
  readonly artifactsMs: number;
  /** Witness plus proof. */
  readonly provingMs: number;
}

/** Shares of a proof measured on ebsl-16 (witness, proving, verifying): see above. */
const WITNESS_SHARE = 0.04;
const VERIFY_SHARE = 0.035;

/** Phase boundaries in proportion to the planned milliseconds. */
export function phaseLayout(plan: ProgressPlan): PhaseLayout {
  const ms = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);
  const proving = Math.max(1, ms(plan.provingMs));
  const parts = [ms(plan.startingMs), ms(plan.artifactsMs), proving * WITNESS_SHARE, proving * (1 - WITNESS_SHARE), proving * VERIFY_SHARE];
  const total = parts.reduce((a, b) => a + b, 0);
  const at = (n: number) => Math.round((parts.slice(0, n).reduce((a, b) => a + b, 0) / total) * 1000) / 10;
  return { starting: 0, artifacts: at(1), witness: at(2), proving: at(3), verifying: at(4), done: 100 };
}

/**
 * One job's progress bar. Each event returns the bar's new value when the percent or phase
 * changed, `undefined` otherwise: the prover reads it and tells its own listener.
 */
export class ProvingProgress {
  #percent = -1;
  #phase: ProvePhase = "starting";
  #layout: PhaseLayout = PHASE_START;

  get percent(): number {
    return Math.max(0, this.#percent);
  }

  /** Size the phases for what this job must do (the bar still never goes backwards). */
  plan(plan: ProgressPlan): void {
    this.#layout = phaseLayout(plan);
  }

  /** Move to `phase` at `fraction` (0..1) of it; the new value, if it moved. Never goes backwards. */
  report(phase: ProvePhase, fraction = 0, step?: string, extra: Partial<ProveProgress> = {}): ProveProgress | undefined {
    const start = this.#layout[phase];
    const end = phase === "done" ? 100 : this.#layout[nextPhase(phase)];
    const clamped = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
    const percent = Math.round((start + (end - start) * clamped) * 10) / 10;
    if (ORDER.indexOf(phase) < ORDER.indexOf(this.#phase) || percent < this.#percent) return undefined;
    if (percent === this.#percent && phase === this.#phase && !extra.artifact) return undefined;
    this.#percent = percent;
    this.#phase = phase;
    return { phase, percent, ...(step === undefined ? {} : { step }), ...extra };
  }

  /** Apply an event from the worker; the new value, if the bar moved. */
  fromWorker(event: WorkerProgress): ProveProgress | undefined {
    if (event.kind === "witness-start") return this.report("witness", 0, "witness");
    if (event.kind === "witness-done") return this.report("proving", 0, "witness done");
    // The prover (bn254's, or snarkjs's log read in the worker) says where it is; report()
    // clamps and keeps the bar monotonic.
    return this.report("proving", event.fraction, event.step);
  }
}

const ORDER: readonly ProvePhase[] = ["starting", "artifacts", "witness", "proving", "verifying", "done"];

function nextPhase(phase: ProvePhase): ProvePhase {
  return ORDER[Math.min(ORDER.length - 1, ORDER.indexOf(phase) + 1)] as ProvePhase;
}
