import { describe, expect, it } from "vitest";
import { MULTIEXP_SPAN, PHASE_START, ProvingProgress, provingFraction } from "../../../src/lib/proof/engine/proving-progress.js";
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

describe("provingFraction", () => {
  it("places multiexp start and end on their measured spans", () => {
    expect(provingFraction("Multiexp start: multiexp B2: 0/8070")?.fraction).toBeCloseTo(MULTIEXP_SPAN.B2![0]);
    expect(provingFraction("Multiexp end: multiexp B2: 0/8070")?.fraction).toBeCloseTo(MULTIEXP_SPAN.B2![1]);
    expect(provingFraction("Multiexp end: multiexp H: 0/8192")?.fraction).toBe(1);
  });

  it("takes the bn254 backend's typed steps at the fraction they carry, clamped and monotonic", () => {
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    const at = (fraction: number) => PHASE_START.proving + (PHASE_START.verifying - PHASE_START.proving) * fraction;
    keep(p.fromWorker({ kind: "prover-step", step: "multiexp A, B, C, H", fraction: 0.05 }));
    expect(events.at(-1)).toMatchObject({ phase: "proving", step: "multiexp A, B, C, H" });
    expect(p.percent).toBeCloseTo(at(0.05), 0);
    keep(p.fromWorker({ kind: "prover-step", step: "multiexp B2", fraction: 0.31 }));
    expect(p.percent).toBeCloseTo(at(0.31), 0);
    keep(p.fromWorker({ kind: "prover-step", step: "multiexp A", fraction: 0.1 })); // earlier: the bar stays
    expect(p.percent).toBeCloseTo(at(0.31), 0);
    keep(p.fromWorker({ kind: "prover-step", step: "multiexp H", fraction: 2 })); // clamped to the phase's end
    expect(p.percent).toBeCloseTo(at(1), 0);
    // The old text form is no longer parsed: a step is typed data, not a log line.
    expect(provingFraction("bn254: multiexp B2 at 0.31")).toBeUndefined();
  });

  it("interpolates chunked multiexps by points done, whatever order chunks end in", () => {
    const [from, to] = MULTIEXP_SPAN.B2!;
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    keep(p.report("proving", 0));
    for (const offset of [0, 4000, 6000]) keep(p.fromWorker({ kind: "prover-log", message: `Multiexp start: multiexp B2: ${offset}/8000` }));
    const at = (fraction: number) => PHASE_START.proving + (PHASE_START.verifying - PHASE_START.proving) * fraction;
    keep(p.fromWorker({ kind: "prover-log", message: "Multiexp end: multiexp B2: 4000/8000" })); // 2000 points
    expect(p.percent).toBeCloseTo(at(from + (to - from) * 0.25), 1);
    keep(p.fromWorker({ kind: "prover-log", message: "Multiexp end: multiexp B2: 0/8000" })); // +4000
    expect(p.percent).toBeCloseTo(at(from + (to - from) * 0.75), 1);
    keep(p.fromWorker({ kind: "prover-log", message: "Multiexp end: multiexp B2: 6000/8000" })); // +2000
    expect(p.percent).toBeCloseTo(at(to), 1);
  });

  it("weights the G2 multiexp (B2) heaviest", () => {
    const width = (k: string) => MULTIEXP_SPAN[k]![1] - MULTIEXP_SPAN[k]![0];
    for (const k of ["A", "B1", "C", "H"]) expect(width("B2")).toBeGreaterThan(width(k));
  });

  it("ignores lines it does not know", () => {
    expect(provingFraction("QAP AB: 0/92404")).toBeUndefined();
    expect(provingFraction("something else")).toBeUndefined();
  });
});

describe("ProvingProgress", () => {
  it("turns a real proof's event stream into a monotonic 0..100 bar", () => {
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    keep(p.report("artifacts", 0));
    keep(p.report("artifacts", 0.5));
    keep(p.report("artifacts", 1));
    keep(p.fromWorker({ kind: "witness-start" }));
    keep(p.fromWorker({ kind: "witness-done", witnessMs: 100 }));
    for (const message of SNARKJS_LINES) keep(p.fromWorker({ kind: "prover-log", message }));
    keep(p.report("verifying", 0));
    keep(p.report("done", 1));
    const percents = events.map((e) => e.percent);
    expect(percents[0]).toBe(0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    const b2 = events.filter((e) => e.step === "multiexp B2").at(-1)?.percent;
    expect(b2).toBeCloseTo(PHASE_START.proving + (PHASE_START.verifying - PHASE_START.proving) * MULTIEXP_SPAN.B2![1], 0);
    expect(events.length).toBeGreaterThan(15);
  });

  it("never goes backwards, in percent or in phase", () => {
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    keep(p.report("proving", 0.5));
    keep(p.report("proving", 0.2));
    keep(p.report("witness", 1));
    keep(p.report("artifacts", 0.9));
    expect(events).toHaveLength(1);
    expect(p.percent).toBe(events[0]!.percent);
  });

  it("emits artifact byte progress even when the percent does not move", () => {
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    const artifact = { circuitId: "c", artifact: "zkey" as const, loadedBytes: 0, totalBytes: 10, source: "network" as const };
    keep(p.report("artifacts", 0, "zkey", { artifact }));
    keep(p.report("artifacts", 0, "zkey", { artifact: { ...artifact, loadedBytes: 1 } }));
    expect(events).toHaveLength(2);
    expect(events[1]?.artifact?.loadedBytes).toBe(1);
  });
});
