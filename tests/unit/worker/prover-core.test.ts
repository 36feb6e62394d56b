import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createProverCore } from "../../../src/lib/proof/worker/prover-core.js";
import { PROOF } from "../engine/fakes.js";

describe("prover worker core", () => {
  it("classifies snarkjs/circom failures with the shared table, without echoing their text", async () => {
    const failures: [Error, string][] = [
      [new Error("Error: Assert Failed.\nError in template Ebsl_104 line: 130\n secret=123456"), "WITNESS_CONSTRAINT_FAILED"],
      [new Error("Too many values for input signal r"), "WITNESS_INPUT_INVALID"],
      [new RangeError("The number 1.5 cannot be converted to a BigInt because it is not an integer"), "WITNESS_INPUT_INVALID"],
      [new RangeError("Array buffer allocation failed"), "RESOURCE_EXHAUSTED"],
      [new Error("weird 999"), "PROVING_FAILED"],
    ];
    for (const [error, code] of failures) {
      const core = createProverCore({
        nestedThreadsSupported: false,
        importSnarkjs: async () => ({
          wtns: { calculate: async () => Promise.reject(error) },
          groth16: { prove: async () => ({ proof: PROOF, publicSignals: [] }), verify: async () => true },
        }),
        buildSingleThreadCurve: async () => ({}),
      });
      await core.init({ threads: "single" });
      await core.load("c", new Uint8Array(1), new Uint8Array(1));
      const result = await core.prove("c", { a: "1" });
      expect(result).toMatchObject({ ok: false, error: { code } });
      expect(JSON.stringify(result)).not.toMatch(/123456|999|1\.5/);
    }
  });

  it("never throws: failures come back as typed results", async () => {
    const core = createProverCore({
      nestedThreadsSupported: false,
      importSnarkjs: async () => ({
        wtns: { calculate: async () => Promise.reject(new Error("Assert Failed. Error in template T line: 3")) },
        groth16: { prove: async () => ({ proof: PROOF, publicSignals: [] }), verify: async () => Promise.reject(new Error("bad point")) },
      }),
      buildSingleThreadCurve: async () => ({}),
    });
    expect(await core.prove("c", {})).toMatchObject({ ok: false, error: { code: "SYSTEM_ERROR" } }); // before init
    expect(await core.init({ threads: "snarkjs" })).toMatchObject({ ok: false, error: { code: "WORKER_START_FAILED" } });
    expect(await core.init({ threads: "single" })).toMatchObject({ ok: true, value: { threads: "single" } });
    expect(await core.prove("c", {})).toMatchObject({ ok: false, error: { details: { circuitId: "c" } } }); // not loaded
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", { a: "1" })).toMatchObject({ ok: false, error: { code: "WITNESS_CONSTRAINT_FAILED", details: { line: 3 } } });
    expect(await core.verify({}, [], PROOF)).toMatchObject({ ok: false, error: { code: "VERIFICATION_FAILED" } });
  });

  it("with the bn254 backend init does not import snarkjs: a fallback that needs it imports it, once", async () => {
    let imports = 0;
    const core = createProverCore({
      nestedThreadsSupported: false,
      importSnarkjs: async () => (imports++, { wtns: { calculate: async () => undefined }, groth16: { prove: async () => ({ proof: PROOF, publicSignals: [] }), verify: async () => true } }),
      buildSingleThreadCurve: async () => ({}),
    });
    expect(await core.init({ threads: "single", backend: "bn254" })).toMatchObject({ ok: true, value: { backend: "bn254" } });
    expect(imports).toBe(0);
    // The stand-in curve has no pairing functions: verification falls back to snarkjs's, imported now.
    expect(await core.verify({}, ["1"], PROOF)).toMatchObject({ ok: true, value: { valid: true } });
    expect(await core.verify({}, ["1"], PROOF)).toMatchObject({ ok: true, value: { valid: true } });
    expect(imports).toBe(1);
  });

  it("installs its warm single-threaded curve as the global snarkjs reuses", async () => {
    const curve = { terminate: async () => undefined };
    let seen: unknown;
    const core = createProverCore({
      nestedThreadsSupported: false,
      importSnarkjs: async () => ({
        wtns: { calculate: async (_i: unknown, _w: unknown, out: { data?: Uint8Array }) => void (out.data = new Uint8Array(1)) },
        groth16: {
          prove: async () => {
            seen = (globalThis as { curve_bn128?: unknown }).curve_bn128;
            return { proof: PROOF, publicSignals: ["1"] };
          },
          verify: async () => true,
        },
      }),
      buildSingleThreadCurve: async () => curve,
    });
    await core.init({ threads: "single" });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    (globalThis as { curve_bn128?: unknown }).curve_bn128 = null; // as curve.terminate() would
    const r = await core.prove("c", {});
    expect(r).toMatchObject({ ok: true, value: { publicSignals: ["1"] } });
    expect(seen).toBe(curve);
    delete (globalThis as { curve_bn128?: unknown }).curve_bn128;
  });

  it("checks a circuit loaded while init was under way against the budget init brought, and one loaded after at its load", async () => {
    const zkey = () => new Uint8Array(readFileSync("circuits/build/ebsl-16/ebsl-16.zkey"));
    const core = createProverCore({
      nestedThreadsSupported: false,
      importSnarkjs: async () => ({
        wtns: { calculate: async (_i: unknown, _w: unknown, out: { data?: Uint8Array }) => void (out.data = new Uint8Array(1)) },
        groth16: { prove: async () => ({ proof: PROOF, publicSignals: ["1"] }), verify: async () => true },
      }),
      buildSingleThreadCurve: async () => ({}),
    });
    const starting = core.init({ threads: "single", memoryBudgetMB: 1 });
    expect(await core.load("early", new Uint8Array(1), zkey())).toMatchObject({ ok: true });
    await starting;
    expect(await core.prove("early", {})).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED", details: { circuitId: "early" } } });
    expect(await core.load("late", new Uint8Array(1), zkey())).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED", details: { circuitId: "late" } } });
    expect(await core.load("small", new Uint8Array(1), new Uint8Array(1))).toMatchObject({ ok: true });
    expect(await core.prove("small", {})).toMatchObject({ ok: true });
  });
});

describe("prover worker core, adaptive threads", () => {
  type G = { curve_bn128?: unknown };
  /** Fake helper threads: records builds, lets the test kill a helper, can refuse to start. */
  const helpers = (opts: { failBuild?: boolean } = {}) => {
    const deaths: Array<(cause?: unknown) => void> = [];
    const built: number[] = [];
    const curves: Array<{ threads: number; terminated: boolean; terminate: () => Promise<void> }> = [];
    return {
      built,
      curves,
      kill: (cause?: unknown) => deaths.forEach((d) => d(cause)),
      threads: {
        async build(threads: number) {
          built.push(threads);
          if (opts.failBuild) throw new Error("Worker is not a constructor");
          // As ffjavascript does: building a threaded curve installs it as the global.
          const curve = { threads, terminated: false, terminate: async () => void (curve.terminated = true) };
          curves.push(curve);
          (globalThis as G).curve_bn128 = curve;
          return curve;
        },
        onDeath: (listener: (cause?: unknown) => void) => void deaths.push(listener),
      },
    };
  };
  const warm = { warm: true, terminate: async () => undefined };
  const coreWith = (h: ReturnType<typeof helpers>, prove: () => Promise<{ proof: typeof PROOF; publicSignals: string[] }>) =>
    createProverCore({
      nestedThreadsSupported: false,
      helperThreads: h.threads,
      importSnarkjs: async () => ({
        wtns: { calculate: async (_i: unknown, _w: unknown, out: { data?: Uint8Array }) => void (out.data = new Uint8Array(1)) },
        groth16: { prove, verify: async () => (globalThis as G).curve_bn128 === warm },
      }),
      buildSingleThreadCurve: async () => warm,
    });

  it("warms a threaded curve for the core count, proves on it when granted threads, and keeps the warm curve for the rest", async () => {
    const h = helpers();
    const seen: unknown[] = [];
    const core = coreWith(h, async () => {
      seen.push((globalThis as G).curve_bn128);
      return { proof: PROOF, publicSignals: ["1"] };
    });
    expect(await core.init({ threads: "adaptive", cores: 2 })).toMatchObject({ ok: true, value: { helpers: true } });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: true, value: { threads: 2 } });
    expect(h.built).toEqual([2]); // the warm-up's curve, reused
    expect(seen[0]).toBe(h.curves[0]);
    expect((globalThis as G).curve_bn128).toBe(warm);
    expect(await core.verify({}, ["1"], PROOF)).toMatchObject({ ok: true, value: { valid: true } });
    expect(await core.prove("c", {})).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(seen[1]).toBe(warm);
    // A different grant rebuilds with that many threads and stops the old helpers.
    expect(await core.prove("c", {}, undefined, { threads: 3 })).toMatchObject({ ok: true, value: { threads: 3 } });
    expect(h.built).toEqual([2, 3]);
    expect(h.curves[0]?.terminated).toBe(true);
  });

  it("a helper thread that dies mid-proof ends the proof as WORKER_CRASHED", async () => {
    const h = helpers();
    const core = coreWith(h, () => {
      queueMicrotask(h.kill);
      return new Promise(() => undefined); // ffjavascript waits for the dead thread forever
    });
    await core.init({ threads: "adaptive", cores: 2 });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: false, error: { code: "WORKER_CRASHED", details: { threads: 2 } } });
    expect((globalThis as G).curve_bn128).toBe(warm);
  });

  it("a helper thread that runs out of memory ends the proof as RESOURCE_EXHAUSTED, as the worker's own thread would", async () => {
    const h = helpers();
    const core = coreWith(h, () => {
      queueMicrotask(() => h.kill(new RangeError("WebAssembly.Memory.grow(): Maximum memory size exceeded")));
      return new Promise(() => undefined);
    });
    await core.init({ threads: "adaptive", cores: 2 });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: false, error: { code: "RESOURCE_EXHAUSTED", details: { threads: 2 } } });
  });

  it("helpers that cannot start cost the proof its threads, not its result", async () => {
    const h = helpers({ failBuild: true });
    const core = coreWith(h, async () => ({ proof: PROOF, publicSignals: ["1"] }));
    await core.init({ threads: "adaptive", cores: 2 });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: true, value: { threads: 1 } });
    expect((globalThis as G).curve_bn128).toBe(warm);
  });

  it("without helper threads (or in single mode) every proof runs on one thread", async () => {
    const h = helpers();
    const core = coreWith(h, async () => ({ proof: PROOF, publicSignals: ["1"] }));
    await core.init({ threads: "single", cores: 2 });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(h.built).toEqual([]);
  });
});

describe("prover worker core, helper threads that never start", () => {
  it("proves, verifies and re-randomises on the warm curve meanwhile, and gives up on helpers after the start budget", async () => {
    const warm = { terminate: async () => undefined };
    const builds: number[] = [];
    const seen: unknown[] = [];
    const core = createProverCore({
      nestedThreadsSupported: false,
      helperStartTimeoutMs: 20,
      // As under a Content-Security-Policy without worker-src blob:: nested workers never answer.
      helperThreads: { build: (threads: number) => (builds.push(threads), new Promise(() => undefined)), onDeath: () => undefined },
      importSnarkjs: async () => ({
        wtns: { calculate: async (_i: unknown, _w: unknown, out: { data?: Uint8Array }) => void (out.data = new Uint8Array(1)) },
        groth16: {
          prove: async () => (seen.push((globalThis as { curve_bn128?: unknown }).curve_bn128), { proof: PROOF, publicSignals: ["1"] }),
          verify: async () => true,
        },
      }),
      buildSingleThreadCurve: async () => warm,
    });
    await core.init({ threads: "adaptive", cores: 2 });
    await core.load("c", new Uint8Array(1), new Uint8Array(1));
    // A single-threaded proof and a verify do not wait for the helpers.
    expect(await core.prove("c", {})).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(await core.verify({}, ["1"], PROOF)).toMatchObject({ ok: true, value: { valid: true } });
    // A proof granted two threads falls back to one once the budget is spent, and later ones ask no more.
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(await core.prove("c", {}, undefined, { threads: 2 })).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(builds).toEqual([2]);
    expect(seen.every((c) => c === warm)).toBe(true);
  });
});
