import { describe, expect, it } from "vitest";
import { FAULT_MARKER, FaultSchedule, seededRandom, validateFaultPlan, WORKER_FAULT_KINDS, NETWORK_FAULT_KINDS, type FaultPlan } from "../../../src/lib/proof/testing/fault-plan.js";

const decisions = (plans: FaultPlan | FaultPlan[], n: number, target = { circuitId: "ebsl-16" }) => {
  const s = new FaultSchedule(plans, WORKER_FAULT_KINDS);
  return Array.from({ length: n }, () => s.decide(target)?.kind ?? null);
};

describe("seededRandom", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x).toBeGreaterThanOrEqual(0), expect(x).toBeLessThan(1);
  });
});

describe("FaultSchedule", () => {
  it("same seed, same decisions; another seed, other decisions", () => {
    const plan = { kind: "crash", probability: 0.3, seed: 7 } as const;
    const first = decisions(plan, 200);
    expect(decisions(plan, 200)).toEqual(first);
    expect(decisions({ ...plan, seed: 8 }, 200)).not.toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(35); // ~60 expected
    expect(hits).toBeLessThan(85);
  });

  it("nth faults exactly the nth matching event", () => {
    expect(decisions({ kind: "stall", nth: 3, seed: 1 }, 6)).toEqual([null, null, "stall", null, null, null]);
  });

  it("without nth or probability every matching event is faulted", () => {
    expect(decisions({ kind: "memory", seed: 1 }, 3)).toEqual(["memory", "memory", "memory"]);
  });

  it("a circuit filter counts only that circuit's events", () => {
    const s = new FaultSchedule({ kind: "crash", circuitId: "ebsl-64", nth: 2, seed: 1 }, WORKER_FAULT_KINDS);
    expect(s.decide({ circuitId: "ebsl-16" })).toBeUndefined();
    expect(s.decide({ circuitId: "ebsl-64" })).toBeUndefined();
    expect(s.decide({ circuitId: "ebsl-16" })).toBeUndefined();
    expect(s.decide({ circuitId: "ebsl-64" })?.kind).toBe("crash");
    expect(s.injected).toEqual([{ kind: "crash", circuitId: "ebsl-64", event: 2 }]);
  });

  it("an artifact filter matches URL suffixes", () => {
    const s = new FaultSchedule({ kind: "network-drop", artifact: "zkey", seed: 1 }, NETWORK_FAULT_KINDS);
    expect(s.decide({ url: "http://x/build/ebsl-16/ebsl-16.wasm" })).toBeUndefined();
    expect(s.decide({ url: "http://x/build/ebsl-16/ebsl-16.zkey?v=1" })?.kind).toBe("network-drop");
  });

  it("adding a plan does not shift another plan's decisions", () => {
    const crash = { kind: "crash", probability: 0.2, seed: 3 } as const;
    const alone = decisions(crash, 100).map((k) => k === "crash");
    const s = new FaultSchedule([crash, { kind: "memory", probability: 0.2, seed: 4 }], WORKER_FAULT_KINDS);
    const together = Array.from({ length: 100 }, () => s.decide({ circuitId: "x" })?.kind === "crash");
    expect(together).toEqual(alone);
    expect(s.counts().crash).toBe(alone.filter(Boolean).length);
  });

  it("pause stops injecting and counting; resume continues the sequence", () => {
    const plan = { kind: "crash", nth: 2, seed: 1 } as const;
    const s = new FaultSchedule(plan, WORKER_FAULT_KINDS);
    s.pause();
    expect(s.decide({})).toBeUndefined();
    expect(s.decide({})).toBeUndefined();
    s.resume();
    expect(s.decide({})).toBeUndefined();
    expect(s.decide({})?.kind).toBe("crash");
  });

  it("rejects bad plans and kinds from another family", () => {
    expect(() => validateFaultPlan({ kind: "explode" as never, seed: 1 })).toThrow(/unknown fault kind explode/);
    expect(() => validateFaultPlan({ kind: "crash", seed: 1.5 })).toThrow(/seed/);
    expect(() => validateFaultPlan({ kind: "crash", seed: 1, probability: 2 })).toThrow(/probability/);
    expect(() => validateFaultPlan({ kind: "crash", seed: 1, nth: 0 })).toThrow(/nth/);
    expect(() => new FaultSchedule({ kind: "corrupt", seed: 1 }, WORKER_FAULT_KINDS)).toThrow(FAULT_MARKER);
  });
});
