import { describe, expect, it } from "vitest";
import { PHASE_START, ProvingProgress } from "../../../src/lib/proof/engine/proving-progress.js";
import type { ProveProgress } from "../../../src/lib/proof/engine/types.js";

describe("ProvingProgress", () => {
  it("takes the prover's typed steps at the fraction they carry, clamped and monotonic", () => {
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
  });

  it("turns a proof's event stream into a monotonic 0..100 bar", () => {
    const events: ProveProgress[] = [];
    const p = new ProvingProgress();
    const keep = (e: ProveProgress | undefined) => e && events.push(e);
    keep(p.report("artifacts", 0));
    keep(p.report("artifacts", 0.5));
    keep(p.report("artifacts", 1));
    keep(p.fromWorker({ kind: "witness-start" }));
    keep(p.fromWorker({ kind: "witness-done", witnessMs: 100 }));
    for (const [step, fraction] of [["building ABC", 0.005], ["FFT A", 0.13], ["multiexp A", 0.2], ["multiexp B2", 0.6], ["multiexp H", 1]] as const) {
      keep(p.fromWorker({ kind: "prover-step", step, fraction }));
    }
    keep(p.report("verifying", 0));
    keep(p.report("done", 1));
    const percents = events.map((e) => e.percent);
    expect(percents[0]).toBe(0);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    expect(events.find((e) => e.step === "multiexp B2")?.percent).toBeCloseTo(PHASE_START.proving + (PHASE_START.verifying - PHASE_START.proving) * 0.6, 0);
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
