import { describe, expect, it } from "vitest";
import { MULTIEXP_SPAN, SnarkjsLogSteps } from "../../../src/lib/proof/worker/snarkjs-steps.js";
import { PHASE_START, ProvingProgress } from "../../../src/lib/proof/engine/proving-progress.js";
import type { ProveProgress } from "../../../src/lib/proof/engine/types.js";

// The debug lines of one real snarkjs 0.7.6 proof (ebsl-16), in order, chunk lines abridged.
const SNARKJS_LINES = [
  "Reading Wtns", "Reading Coeffs", "Building ABC", "QAP AB: 0/92404", "QAP C: 0/8192",
  "IFFT_A: fft 13 mix start: 0/1", "IFFT_A: fft 13 mix end: 0/1", "FFT_A: fft 13 mix start: 0/1", "FFT_A: fft 13 mix end: 0/1",
  "IFFT_B: fft 13 mix start: 0/1", "IFFT_B: fft 13 mix end: 0/1", "FFT_B: fft 13 mix start: 0/1", "FFT_B: fft 13 mix end: 0/1",
  "IFFT_C: fft 13 mix start: 0/1", "IFFT_C: fft 13 mix end: 0/1", "FFT_C: fft 13 mix start: 0/1", "FFT_C: fft 13 mix end: 0/1",
  "Join ABC", "JoinABC: 0/8192", "Reading A Points",
  "Multiexp start: multiexp A: 0/8070", "Multiexp end: multiexp A: 0/8070", "Reading B1 Points",
  "Multiexp start: multiexp B1: 0/8070", "Multiexp end: multiexp B1: 0/8070", "Reading B2 Points",
  "Multiexp start: multiexp B2: 0/8070", "Multiexp end: multiexp B2: 0/8070", "Reading C Points",
  "Multiexp start: multiexp C: 0/8062", "Multiexp end: multiexp C: 0/8062", "Reading H Points",
  "Multiexp start: multiexp H: 0/8192", "Multiexp end: multiexp H: 0/8192",
];

describe("SnarkjsLogSteps", () => {
  it("places multiexp start and end on their measured spans", () => {
    const steps = new SnarkjsLogSteps();
    expect(steps.read("Multiexp start: multiexp B2: 0/8070")).toEqual({ step: "multiexp B2", fraction: MULTIEXP_SPAN.B2![0] });
    expect(steps.read("Multiexp end: multiexp B2: 0/8070")).toEqual({ step: "multiexp B2", fraction: MULTIEXP_SPAN.B2![1] });
    expect(steps.read("Multiexp start: multiexp H: 0/8192")?.fraction).toBe(MULTIEXP_SPAN.H![0]);
    expect(steps.read("Multiexp end: multiexp H: 0/8192")?.fraction).toBe(1);
  });

  it("interpolates chunked multiexps by points done, whatever order chunks end in", () => {
    const [from, to] = MULTIEXP_SPAN.B2!;
    const steps = new SnarkjsLogSteps();
    const starts = [0, 4000, 6000].map((offset) => steps.read(`Multiexp start: multiexp B2: ${offset}/8000`));
    // Every chunk starts at the span's start: one step, not three.
    expect(starts.filter((s) => s !== undefined)).toEqual([{ step: "multiexp B2", fraction: from }]);
    expect(steps.read("Multiexp end: multiexp B2: 4000/8000")?.fraction).toBeCloseTo(from + (to - from) * 0.25); // 2000 points
    expect(steps.read("Multiexp end: multiexp B2: 0/8000")?.fraction).toBeCloseTo(from + (to - from) * 0.75); // +4000
    expect(steps.read("Multiexp end: multiexp B2: 6000/8000")?.fraction).toBeCloseTo(to); // +2000
  });

  it("weights the G2 multiexp (B2) heaviest", () => {
    const width = (k: string) => MULTIEXP_SPAN[k]![1] - MULTIEXP_SPAN[k]![0];
    for (const k of ["A", "B1", "C", "H"]) expect(width("B2")).toBeGreaterThan(width(k));
  });

  it("ignores lines it does not know", () => {
    const steps = new SnarkjsLogSteps();
    expect(steps.read("QAP AB: 0/92404")).toBeUndefined();
    expect(steps.read("Multiexp start: multiexp Z: 0/10")).toBeUndefined();
    expect(steps.read("something else")).toBeUndefined();
  });

  it("turns a real proof's log into steps that move the caller's bar through proving, monotonic", () => {
    const steps = new SnarkjsLogSteps();
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    keep(p.fromWorker({ kind: "witness-start" }));
    keep(p.fromWorker({ kind: "witness-done", witnessMs: 100 }));
    for (const line of SNARKJS_LINES) {
      const step = steps.read(line);
      if (step) keep(p.fromWorker({ kind: "prover-step", ...step }));
    }
    keep(p.report("verifying", 0));
    keep(p.report("done", 1));
    const percents = events.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    const b2 = events.filter((e) => e.step === "multiexp B2").at(-1)?.percent;
    expect(b2).toBeCloseTo(PHASE_START.proving + (PHASE_START.verifying - PHASE_START.proving) * MULTIEXP_SPAN.B2![1], 0);
    // "reading witness" marks 0 of proving, where "witness done" already put the bar: no event.
    expect(new Set(events.map((e) => e.step))).toEqual(new Set(["witness", "witness done", "building ABC", "FFT A", "FFT B", "FFT C", "join ABC", ...["A", "B1", "B2", "C", "H"].map((l) => `multiexp ${l}`), undefined]));
    expect(events.length).toBeGreaterThan(15);
  });
});
