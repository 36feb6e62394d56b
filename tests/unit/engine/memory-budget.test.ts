// @vitest-environment node
// The memory budget (memory-budget.ts): a zkey's footprint from its section table, the
// platform's default budget, and the typed refusal; and the prover refusing, before any worker
// starts, a circuit whose pinned sizes alone exceed the budget.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { checkMemoryBudget, defaultMemoryBudgetMB, pinnedMinimumBytes, provingBytes, zkeyFootprint } from "../../../src/lib/proof/engine/memory-budget.js";
import { createProver, type Prover } from "../../../src/lib/proof/engine/prover.js";
import { readGroth16Zkey } from "../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { readBinFile } from "../../../src/lib/proof/engine/artifacts/bin-file.js";
import { createProverCore } from "../../../src/lib/proof/worker/prover-core.js";
import { CIRCUIT, FakeArtifacts, FakeClock, FakeFactory } from "./fakes.js";
import { rejection } from "../../support/rejection.js";

const ZKEY = fileURLToPath(new URL("../../../circuits/build/ebsl-16/ebsl-16.zkey", import.meta.url));
const MB = 1024 * 1024;

describe("memory budget", () => {
  it("reads a zkey's footprint from its section table: 1.125x its point bytes decoded, its coefficients, scratch per domain element with the MSM's capped", () => {
    const bytes = new Uint8Array(readFileSync(ZKEY));
    const z = readGroth16Zkey(bytes);
    const f = zkeyFootprint(bytes);
    const points = z.pointsA.byteLength + z.pointsB1.byteLength + z.pointsB2.byteLength + z.pointsC.byteLength + z.pointsH.byteLength;
    expect(f.pointBytes).toBe(points);
    expect(f.coefBytes).toBe(z.coefs.byteLength + 4);
    expect(f.domainSize).toBe(z.domainSize);
    expect(f.decodedBytes).toBe(Math.ceil(points * 1.125) + z.coefs.byteLength + 4);
    expect(f.scratchBytes).toBe(2 * MB + 96 * z.domainSize + Math.min(130 * MB, 400 * z.domainSize));
    // The estimate covers what the whole prover's wasm memory measured after a proof (20.6 MiB on
    // ebsl-16: 13.3 kept, 7.3 scratch), without doubling it.
    expect(f.decodedBytes + f.scratchBytes).toBeGreaterThanOrEqual(20.6 * MB);
    expect(f.decodedBytes + f.scratchBytes).toBeLessThan(2 * 20.6 * MB);
    // From one pass of the MSM on (2^20 points) its scratch stops growing with the domain: the
    // same key with a header that claims a domain of 2^20.
    const header = readBinFile(bytes, "zkey", "zkey").sections.get(2)!;
    const big = bytes.slice();
    new DataView(big.buffer).setUint32(header.byteOffset + 80, 2 ** 20, true);
    expect(zkeyFootprint(big).scratchBytes).toBe(2 * MB + 96 * 2 ** 20 + 130 * MB);
    expect(provingBytes(f, 4_000_000)).toBeGreaterThan(f.zkeyBytes + f.decodedBytes);
    expect(pinnedMinimumBytes(bytes.byteLength, 4_000_000)).toBeLessThanOrEqual(provingBytes(f, 4_000_000));
    // A worker that lets the file go once decoded holds the file or the scratch, not both.
    const released = provingBytes(f, 4_000_000, true);
    expect(provingBytes(f, 4_000_000) - released).toBe(Math.min(f.zkeyBytes, f.scratchBytes));
    expect(pinnedMinimumBytes(bytes.byteLength, 4_000_000)).toBeLessThanOrEqual(released);
  });

  it("defaults from the platform: 3/4 of a machine's memory, half a device's, the JS heap limit, else 4096 MB; never below 256", () => {
    expect(defaultMemoryBudgetMB({ totalMemoryBytes: 24 * 1024 * MB })).toBe(18 * 1024);
    expect(defaultMemoryBudgetMB({ deviceMemoryGB: 8, jsHeapSizeLimit: 4096 * MB })).toBe(4096);
    expect(defaultMemoryBudgetMB({ deviceMemoryGB: 2 })).toBe(1024);
    expect(defaultMemoryBudgetMB({ jsHeapSizeLimit: 2048 * MB })).toBe(2048);
    expect(defaultMemoryBudgetMB({})).toBe(4096);
    expect(defaultMemoryBudgetMB({ deviceMemoryGB: 0.25 })).toBe(256);
  });

  it("refuses with RESOURCE_EXHAUSTED naming what was needed against the budget", () => {
    expect(() => checkMemoryBudget("c", 100 * MB, 100, "pins")).not.toThrow();
    let caught: unknown;
    try {
      checkMemoryBudget("c", 100 * MB + 1, 100, "zkey header");
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: "RESOURCE_EXHAUSTED", details: { circuitId: "c", neededMB: 101, memoryBudgetMB: 100, stage: "zkey header" } });
  });

  it("a prover worker refuses a zkey whose header exceeds its budget at load, before decoding it", async () => {
    const zkey = new Uint8Array(readFileSync(ZKEY));
    const wasm = new Uint8Array(1000);
    const needMB = Math.ceil(provingBytes(zkeyFootprint(zkey), wasm.byteLength) / MB);
    const core = (budget: number) => {
      const c = createProverCore({ nestedThreadsSupported: false, importSnarkjs: async () => ({}) as never, buildSingleThreadCurve: async () => ({}) });
      return c.init({ threads: "single", backend: "bn254", memoryBudgetMB: budget }).then(() => c);
    };
    const refused = await (await core(needMB - 1)).load("ebsl-16", wasm, zkey);
    expect(refused).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED", details: { circuitId: "ebsl-16", neededMB: needMB, memoryBudgetMB: needMB - 1, stage: "zkey header" } } });
    expect(await (await core(needMB)).load("ebsl-16", wasm, zkey)).toEqual({ ok: true, value: { circuitId: "ebsl-16" } });
    // A load that overlapped start-up (before init gave the budget) is refused at its first proof, before decoding.
    const early = createProverCore({ nestedThreadsSupported: false, importSnarkjs: async () => ({}) as never, buildSingleThreadCurve: async () => ({}) });
    expect(await early.load("ebsl-16", wasm, zkey)).toMatchObject({ ok: true });
    await early.init({ threads: "single", backend: "bn254", memoryBudgetMB: needMB - 1 });
    expect(await early.prove("ebsl-16", {})).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED", details: { stage: "zkey header" } } });
    expect(await early.warm?.("ebsl-16")).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED" } });
  });

  describe("in the prover", () => {
    let prover: Prover | undefined;
    afterEach(() => prover?.dispose());
    const big = { ...CIRCUIT, zkey: { ...CIRCUIT.zkey, bytes: 600 * MB } };

    it("a circuit whose pins exceed the budget is refused before any worker starts or any byte loads", async () => {
      const fake = new FakeFactory();
      const artifacts = new FakeArtifacts();
      prover = createProver({ circuits: [big], artifacts, workerFactory: fake.factory, clock: new FakeClock(), poolSize: 1, memoryBudgetMB: 1024 });
      const e = await rejection(prover.prove("tiny", { a: "1" }));
      expect(e.code).toBe("RESOURCE_EXHAUSTED");
      expect(e.details).toMatchObject({ circuitId: "tiny", memoryBudgetMB: 1024, stage: "pins" });
      expect((await rejection(prover.preload("tiny"))).code).toBe("RESOURCE_EXHAUSTED");
      expect(fake.workers).toHaveLength(0);
      expect(artifacts.loads).toBe(0);
      // The same circuit under a budget that holds it goes ahead.
      prover.dispose();
      fake.autoFinish = true;
      prover = createProver({ circuits: [big], artifacts, workerFactory: fake.factory, clock: new FakeClock(), poolSize: 1, memoryBudgetMB: 2048 });
      await expect(prover.prove("tiny", { a: "1" })).resolves.toMatchObject({ circuitId: "tiny" });
      expect(fake.last.initOptions).toMatchObject({ memoryBudgetMB: 2048 });
    });

    it("memoryBudgetMB is validated at the edge: a ValidationError naming it", async () => {
      for (const bad of [0, -1, 1.5, "512", Number.NaN]) {
        expect(() => createProver({ circuits: [CIRCUIT], artifacts: new FakeArtifacts(), workerFactory: new FakeFactory().factory, memoryBudgetMB: bad as never })).toThrow(
          expect.objectContaining({ code: "VALIDATION_ERROR", details: expect.objectContaining({ field: "memoryBudgetMB" }) }),
        );
      }
    });
  });
});
