import { describe, expect, it } from "vitest";
import { createWarmWitness, type CircomWitnessCalculator } from "../../../src/lib/proof/worker/warm-witness.js";

/** A fake circom_runtime builder: counts builds, echoes the input it was given. */
function fakeBuilder(options: { version?: number; failOn?: string } = {}) {
  const builds: Uint8Array[] = [];
  const inputs: unknown[] = [];
  const build = async (wasm: Uint8Array): Promise<CircomWitnessCalculator> => {
    builds.push(wasm);
    return {
      circom_version: () => options.version ?? 2,
      calculateWTNSBin: async (input) => {
        inputs.push(input);
        if (options.failOn && JSON.stringify(input, (_k, v) => (typeof v === "bigint" ? v.toString() : v)).includes(options.failOn)) throw new Error("Assert Failed. Error in template T line: 3");
        return new Uint8Array([builds.length]);
      },
    };
  };
  return { build, builds, inputs };
}

describe("createWarmWitness", () => {
  it("builds circom's calculator once per circuit wasm and reuses it", async () => {
    const f = fakeBuilder();
    const w = createWarmWitness(f.build);
    const a = new Uint8Array([1]);
    const b = new Uint8Array([2]);
    expect(await w.calculate({ x: "1" }, a)).toEqual(new Uint8Array([1]));
    expect(await w.calculate({ x: "2" }, a)).toEqual(new Uint8Array([1]));
    await w.calculate({ x: "3" }, b);
    expect(f.builds).toEqual([a, b]);
  });

  it("hands the calculator bigints, as snarkjs does with decimal strings", async () => {
    const f = fakeBuilder();
    await createWarmWitness(f.build).calculate({ x: "12345678901234567890", y: ["1", "2"] }, new Uint8Array([1]));
    expect(f.inputs[0]).toEqual({ x: 12345678901234567890n, y: [1n, 2n] });
  });

  it("drops a calculator whose calculation threw: the next proof gets a fresh one", async () => {
    const f = fakeBuilder({ failOn: "666" });
    const w = createWarmWitness(f.build);
    const wasm = new Uint8Array([1]);
    await w.calculate({ x: "1" }, wasm);
    await expect(w.calculate({ x: "666" }, wasm)).rejects.toThrow("Assert Failed");
    await w.calculate({ x: "2" }, wasm);
    expect(f.builds.length).toBe(2);
  });

  it("leaves circom 1 circuits to snarkjs (undefined)", async () => {
    const f = fakeBuilder({ version: 1 });
    expect(await createWarmWitness(f.build).calculate({ x: "1" }, new Uint8Array([1]))).toBeUndefined();
  });

  it("a build that failed is not kept", async () => {
    let calls = 0;
    const w = createWarmWitness(async () => {
      calls += 1;
      throw new Error("CompileError");
    });
    const wasm = new Uint8Array([1]);
    await expect(w.calculate({}, wasm)).rejects.toThrow("CompileError");
    await expect(w.calculate({}, wasm)).rejects.toThrow("CompileError");
    expect(calls).toBe(2);
  });
});
