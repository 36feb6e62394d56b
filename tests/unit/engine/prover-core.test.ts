import { describe, expect, it } from "vitest";
import { createProverCore } from "../../../workers/prover-core.js";
import { PROOF } from "./fakes.js";

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
});
