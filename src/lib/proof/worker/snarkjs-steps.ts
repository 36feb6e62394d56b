/**
 * snarkjs's prover debug log read inside the worker and turned into the typed steps proofline's
 * own prover yields (`{ step, fraction }` of the proving phase), so that only data crosses the
 * worker boundary and the page's thread parses nothing.
 *
 * Spans are measured, not guessed. On ebsl-16 (8,090 constraints, 2^13, single-threaded warm
 * snarkjs 0.7.6 in Node), inside proving: building A·B·C ("QAP") plus the six FFTs ≈ 20%, then
 * the multiexps A ≈ 15–20%, B1 ≈ 10%, B2 (G2) ≈ 30–35%, C ≈ 8%, H ≈ 17–24%. On
 * multiplication-chain circuits B2 was measured at ≈ 43%: the split is circuit-dependent, so
 * these are a middle ground; the caller's bar stays monotonic either way.
 */
import type { ProofPhase } from "./bn254/prover/groth16-prover.js";

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

/** Reads one proof's log lines in order; one instance per proof (it tracks chunked multiexps). */
export class SnarkjsLogSteps {
  /** Per multiexp: chunk start offsets seen, and points done. */
  readonly #chunks = new Map<string, { starts: number[]; done: number }>();
  #last: ProofPhase | undefined;

  /** The step `line` marks, or undefined for a line that marks none or repeats the last step. */
  read(line: string): ProofPhase | undefined {
    const pre = PRE_STEPS.find(([re]) => re.test(line));
    const found = this.#multiexp(line) ?? (pre && ([pre[1], pre[2]] as const));
    if (!found) return undefined;
    const [fraction, name] = found;
    if (this.#last?.step === name && this.#last.fraction === fraction) return undefined;
    return (this.#last = { step: name, fraction });
  }

  #multiexp(line: string): readonly [number, string] | undefined {
    const m = MULTIEXP_RE.exec(line);
    const span = m ? MULTIEXP_SPAN[m[2] as string] : undefined;
    if (!m || !span) return undefined;
    const label = m[2] as string;
    const [from, to] = span;
    const offset = Number(m[3]);
    const total = Math.max(1, Number(m[4]));
    let state = this.#chunks.get(label);
    if (!state) this.#chunks.set(label, (state = { starts: [], done: 0 }));
    if (m[1] === "start") {
      state.starts.push(offset);
      return [from, `multiexp ${label}`];
    }
    // A chunk runs from its offset to the next chunk's start (or the end): that many points done.
    const next = state.starts.filter((o) => o > offset).reduce((a, b) => Math.min(a, b), total);
    state.done = Math.min(total, state.done + (next - offset));
    return [from + ((to - from) * state.done) / total, `multiexp ${label}`];
  }
}
