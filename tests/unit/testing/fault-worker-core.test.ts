import { describe, expect, it, vi } from "vitest";
import { classifyError } from "../../../src/lib/proof/core/error-classification.js";
import type { ProverWorkerApi } from "../../../src/lib/proof/engine/pool/worker-protocol.js";
import { FaultSchedule, WORKER_FAULT_KINDS } from "../../../src/lib/proof/testing/fault-plan.js";
import { createFaultInjector, exhaustWasmMemory, type FaultWorkerApi } from "../../../src/lib/proof/testing/fault-worker-core.js";
import { withFaultSchedule } from "../../../src/lib/proof/testing/fault-worker-factory.js";

/** A snarkjs stand-in whose prove logs like the real one, then resolves. */
function fakeSnarkjs() {
  const calls: string[] = [];
  return {
    calls,
    mod: {
      groth16: {
        async prove(_z: unknown, _w: unknown, logger?: { debug(m: string): void }) {
          logger?.debug("Reading Wtns");
          calls.push("prove");
          return { proof: {}, publicSignals: ["1"] };
        },
      },
    },
  };
}

describe("exhaustWasmMemory", () => {
  it("throws V8's own RangeError, which the one classification table calls RESOURCE_EXHAUSTED", () => {
    let error: unknown;
    try {
      exhaustWasmMemory(4);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe("WebAssembly.Memory.grow(): Maximum memory size exceeded");
    expect(classifyError(error).code).toBe("RESOURCE_EXHAUSTED");
  });
});

describe("createFaultInjector", () => {
  it("an armed memory fault fires in the next prove only", async () => {
    const snark = fakeSnarkjs();
    const injector = createFaultInjector({ crash: () => undefined });
    const load = injector.wrapSnarkjs(async () => snark.mod);
    const mod = await load();
    const api = injector.expose({} as ProverWorkerApi);
    await api.arm({ kind: "memory", memoryPages: 2 });
    await expect(mod.groth16.prove(null, null)).rejects.toThrow("Maximum memory size exceeded");
    await expect(mod.groth16.prove(null, null)).resolves.toMatchObject({ publicSignals: ["1"] });
    expect(snark.calls).toEqual(["prove"]);
  });

  it("an armed crash fires at the first prover log line, mid-proof", async () => {
    const snark = fakeSnarkjs();
    const order: string[] = [];
    const injector = createFaultInjector({ crash: () => order.push("crash") });
    const mod = await injector.wrapSnarkjs(async () => snark.mod)();
    await injector.expose({} as ProverWorkerApi).arm({ kind: "crash" });
    await mod.groth16.prove(null, null, { debug: (m: string) => order.push(m) });
    expect(order).toEqual(["crash", "Reading Wtns"]);
  });

  it("an armed stall holds the real prove back for stallMs", async () => {
    vi.useFakeTimers();
    try {
      const snark = fakeSnarkjs();
      const injector = createFaultInjector({ crash: () => undefined });
      const mod = await injector.wrapSnarkjs(async () => snark.mod)();
      await injector.expose({} as ProverWorkerApi).arm({ kind: "stall", stallMs: 60_000 });
      const proving = mod.groth16.prove(null, null);
      await vi.advanceTimersByTimeAsync(59_999);
      expect(snark.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await proving;
      expect(snark.calls).toEqual(["prove"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("arm() refuses unknown kinds with a typed wire error", async () => {
    const api = createFaultInjector({ crash: () => undefined }).expose({} as ProverWorkerApi);
    await expect(api.arm({ kind: "explode" as never })).resolves.toMatchObject({ ok: false, error: { code: "SYSTEM_ERROR" } });
  });
});

describe("withFaultSchedule", () => {
  it("arms the worker right before the scheduled prove, deterministically across workers", async () => {
    const schedule = new FaultSchedule({ kind: "crash", nth: 2, seed: 1 }, WORKER_FAULT_KINDS);
    const log: string[] = [];
    const remote = (name: string) =>
      ({
        arm: async (f: { kind: string }) => (log.push(`${name}:arm:${f.kind}`), { ok: true, value: { armed: f.kind } }),
        prove: async () => (log.push(`${name}:prove`), { ok: true, value: {} }),
      }) as unknown as FaultWorkerApi;
    // Two workers (e.g. a replacement) share the factory's schedule.
    await withFaultSchedule(remote("w1"), schedule).prove("c", {});
    await withFaultSchedule(remote("w2"), schedule).prove("c", {});
    await withFaultSchedule(remote("w2"), schedule).prove("c", {});
    expect(log).toEqual(["w1:prove", "w2:arm:crash", "w2:prove", "w2:prove"]);
  });
});
