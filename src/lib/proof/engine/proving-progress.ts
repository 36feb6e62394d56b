/**
 * Turns the real events of one proof (artifact bytes, witness done, snarkjs's prover log lines)
 * into a monotonic, cost-weighted percent. Never a timer: the bar moves only when work is done.
 *
 * Weights are measured, not guessed. On ebsl-16 (8,090 constraints, 2^13, single-threaded warm
 * snarkjs 0.7.6 in Node): witness ≈ 3–5% of a proof; inside proving, building A·B·C ("QAP") plus
 * the six FFTs ≈ 20%, then the multiexps A ≈ 15–20%, B1 ≈ 10%, B2 (G2) ≈ 30–35%, C ≈ 8%,
 * H ≈ 17–24%. On multiplication-chain circuits B2 was measured at ≈ 43%: the split is
 * circuit-dependent, so these are a middle ground; monotonicity is guaranteed either way.
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

/** Within proving (0..1): where each multiexp starts and ends, by measured cost. */
export const MULTIEXP_SPAN: Readonly<Record<string, readonly [number, number]>> = {
  A: [0.2, 0.35],
  B1: [0.35, 0.45],
  B2: [0.45, 0.75],
  C: [0.75, 0.83],
  H: [0.83, 1],
};

/** Steps before the multiexps, in snarkjs's order, with their start fraction of proving. */
const PRE_STEPS: ReadonlyArray<readonly [RegExp, number, string]> = [
  [/^Reading Wtns/, 0, "reading witness"],
  [/^Building ABC/, 0.005, "building ABC"],
  [/^QAP C/, 0.11, "building ABC"],
  [/^IFFT_A/, 0.13, "FFT A"],
  [/^FFT_A/, 0.14, "FFT A"],
  [/^IFFT_B/, 0.15, "FFT B"],
  [/^FFT_B/, 0.16, "FFT B"],
  [/^IFFT_C/, 0.17, "FFT C"],
  [/^FFT_C/, 0.18, "FFT C"],
  [/^Join ABC/, 0.19, "join ABC"],
];

// "Multiexp start: multiexp B2: 4096/8070": a chunk of the multiexp starting at point offset
// 4096 of 8070. ffjavascript logs every chunk's start at once, then each end as it finishes
// (possibly out of order when threaded), so chunk sizes are known by the time ends arrive.
const MULTIEXP_RE = /^Multiexp (start|end): multiexp (\w+): (\d+)\/(\d+)/;

export interface MultiexpEvent {
  readonly edge: "start" | "end";
  readonly label: string;
  readonly offset: number;
  readonly total: number;
}

export function parseMultiexp(message: string): MultiexpEvent | undefined {
  const m = MULTIEXP_RE.exec(message);
  if (!m || !MULTIEXP_SPAN[m[2] as string]) return undefined;
  return { edge: m[1] as "start" | "end", label: m[2] as string, offset: Number(m[3]), total: Math.max(1, Number(m[4])) };
}

/**
 * Fraction (0..1) of the proving phase a snarkjs log line marks on its own, or undefined.
 * A multiexp start marks the beginning of its span; chunk ends need ProvingProgress's state.
 */
export function provingFraction(message: string): { fraction: number; step: string } | undefined {
  const mx = parseMultiexp(message);
  if (mx) {
    const [from, to] = MULTIEXP_SPAN[mx.label] as readonly [number, number];
    return { fraction: mx.edge === "start" ? from : to, step: `multiexp ${mx.label}` };
  }
  for (const [re, fraction, step] of PRE_STEPS) if (re.test(message)) return { fraction, step };
  return undefined;
}

/**
 * One job's progress bar. Each event returns the bar's new value when the percent or phase
 * changed, `undefined` otherwise: the prover reads it and tells its own listener.
 */
export class ProvingProgress {
  #percent = -1;
  #phase: ProvePhase = "starting";
  #layout: PhaseLayout = PHASE_START;
  /** Per multiexp: chunk start offsets seen, and points done. */
  readonly #chunks = new Map<string, { starts: number[]; done: number }>();

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
    // proofline's own prover says where it is; report() clamps and keeps the bar monotonic.
    if (event.kind === "prover-step") return this.report("proving", event.fraction, event.step);
    const mx = parseMultiexp(event.message);
    if (mx) return this.#multiexp(mx);
    const hit = provingFraction(event.message);
    return hit ? this.report("proving", hit.fraction, hit.step) : undefined;
  }

  #multiexp(mx: MultiexpEvent): ProveProgress | undefined {
    const [from, to] = MULTIEXP_SPAN[mx.label] as readonly [number, number];
    let state = this.#chunks.get(mx.label);
    if (!state) this.#chunks.set(mx.label, (state = { starts: [], done: 0 }));
    if (mx.edge === "start") {
      state.starts.push(mx.offset);
      return this.report("proving", from, `multiexp ${mx.label}`);
    }
    const next = state.starts.filter((o) => o > mx.offset).reduce((a, b) => Math.min(a, b), mx.total);
    state.done = Math.min(mx.total, state.done + (next - mx.offset));
    return this.report("proving", from + ((to - from) * state.done) / mx.total, `multiexp ${mx.label}`);
  }
}

const ORDER: readonly ProvePhase[] = ["starting", "artifacts", "witness", "proving", "verifying", "done"];

function nextPhase(phase: ProvePhase): ProvePhase {
  return ORDER[Math.min(ORDER.length - 1, ORDER.indexOf(phase) + 1)] as ProvePhase;
}
