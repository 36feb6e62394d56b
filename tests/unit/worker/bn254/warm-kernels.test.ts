// The kernel workout runs every kernel it names to the end on its made-up input (status 0: the
// coefficient records are in range, memory was found), in an instance of its own, and only
// those: the G2 MSM, the costliest kernel on baseline code, is left out on purpose.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { instantiateBn254Wasm, type Bn254Exports } from "../../../../src/lib/proof/worker/bn254/bn254-wasm.js";
import { warmKernels } from "../../../../src/lib/proof/worker/bn254/warm-kernels.js";

/** The shipped module, compiled from its file (the unit project's DOM has no server to fetch it from). */
let compiled: Promise<WebAssembly.Module> | undefined;
const compiledBn254Module = () => (compiled ??= WebAssembly.compile(readFileSync("src/lib/proof/worker/bn254/bn254.wasm")));

/** A real instance whose kernel calls are counted. */
async function watched(module: WebAssembly.Module) {
  const { exports: e } = await instantiateBn254Wasm(module);
  const calls: Record<string, number> = {};
  // The exports object is frozen: a plain object of counting wrappers stands in for it.
  const counted = Object.fromEntries(
    Object.entries(e).map(([name, value]) => [
      name,
      typeof value === "function"
        ? (...args: number[]) => {
            calls[name] = (calls[name] ?? 0) + 1;
            return (value as (...a: number[]) => unknown)(...args);
          }
        : value,
    ]),
  ) as unknown as Bn254Exports;
  return { e, counted, calls };
}

describe("warmKernels", () => {
  it("runs the decoders, the H evaluations, the G1 MSM and both constant-time multiply-adds to the end, in its own instance", async () => {
    const module = await compiledBn254Module();
    const w = await watched(module);
    const result = await warmKernels(module, { points: 64, instantiate: async () => w.counted });
    expect(result).toEqual({ hPoly: 0, g1Msm: 0 });
    for (const kernel of ["g1_decode", "g2_decode", "h_poly", "g1_msm_decoded", "g1_mul_add_ct", "g2_mul_add_ct"]) {
      expect(w.calls[kernel], kernel).toBeGreaterThan(0);
    }
    expect(w.calls["g2_msm_decoded"]).toBeUndefined();
    // It leaves nothing of the workout's made-up scalars above the kept region.
    expect(w.calls["bn_wipe"]).toBe(1);
  });

  it("with the defaults it makes its own instance and runs to the end", async () => {
    expect(await warmKernels(await compiledBn254Module())).toEqual({ hPoly: 0, g1Msm: 0 });
  });

  it("refuses a size it cannot lay out", async () => {
    const module = await compiledBn254Module();
    for (const points of [1, 1.5, 1 << 17, Number.NaN]) await expect(warmKernels(module, { points })).rejects.toThrow(RangeError);
  });
});
