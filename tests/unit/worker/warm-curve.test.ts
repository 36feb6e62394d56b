import { describe, expect, it } from "vitest";
import { WarmCurve } from "../../../src/lib/proof/worker/warm-curve.js";
import { PROOF } from "../engine/fakes.js";

const global = () => (globalThis as { curve_bn128?: unknown }).curve_bn128;

describe("WarmCurve", () => {
  it("installs the built curve as snarkjs's global and puts it back after a swap", async () => {
    const warm = new WarmCurve();
    const curve = { terminate: async () => undefined };
    await warm.build(async () => curve);
    expect(warm.curve).toBe(curve);
    expect(global()).toBe(curve);
    const other = { terminate: async () => undefined };
    const seen = await warm.with(other, async () => global());
    expect(seen).toBe(other);
    expect(global()).toBe(curve);
    await expect(warm.with(other, () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(global()).toBe(curve);
    (globalThis as { curve_bn128?: unknown }).curve_bn128 = null; // terminate() clears it
    warm.install();
    expect(global()).toBe(curve);
  });

  it("verifies through snarkjs when the curve has no pairing functions, with the warm curve installed", async () => {
    const warm = new WarmCurve();
    const curve = {};
    await warm.build(async () => curve);
    let installed: unknown;
    const valid = await warm.verify(async () => ((installed = global()), true), {}, [], PROOF);
    expect(valid).toBe(true);
    expect(installed).toBe(curve);
    expect(await warm.verify(async () => false, {}, [], PROOF)).toBe(false);
  });
});
