import { describe, expect, it } from "vitest";
import { plainSnapshot } from "../../../src/lib/proof/core/plain-data.js";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { svelteState } from "../../support/svelte-state.js";

const proof = { pi_a: ["1", "2", "1"], pi_b: [["3", "4"], ["5", "6"], ["1", "0"]], pi_c: ["7", "8", "1"], protocol: "groth16", curve: "bn128" };

function refusal(value: unknown, field = "proof"): ProofError {
  try {
    plainSnapshot(value, field);
  } catch (error) {
    return error as ProofError;
  }
  throw new Error("expected a refusal");
}

describe("plainSnapshot", () => {
  it("copies a Svelte 5 $state proxy into plain data that structuredClone accepts", async () => {
    const reactive = await svelteState(structuredClone(proof));
    expect(() => structuredClone(reactive)).toThrow(); // the failure this guards against
    const plain = plainSnapshot(reactive, "proof");
    expect(structuredClone(plain)).toEqual(proof);
    expect(plain).not.toBe(reactive);
  });

  it("detaches the copy from later edits and keeps bigints and bytes", () => {
    const source = { a: [1n, "2"], bytes: new Uint8Array([1, 2, 3]) };
    const copy = plainSnapshot(source, "input");
    source.a[0] = 9n;
    source.bytes[0] = 9;
    expect(copy).toEqual({ a: [1n, "2"], bytes: new Uint8Array([1, 2, 3]) });
  });

  it("refuses what is not data with a VALIDATION_ERROR naming the path, never the value", () => {
    const fn = refusal({ ...proof, pi_a: ["1", () => "secret-42", "1"] });
    expect(fn).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "proof.pi_a[1]" } });
    expect(fn.message).not.toContain("secret-42");
    expect(refusal({ when: new Date() }, "input")).toMatchObject({ details: { field: "input.when", reason: "is a Date object" } });
    expect(refusal(new Map())).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "proof" } });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(refusal(cyclic).details.reason).toContain("deeper than");
  });

  it("copies own keys onto a fresh object: a __proto__ key stays a key", () => {
    const source = JSON.parse('{"__proto__": {"polluted": true}, "x": "1"}');
    const copy = plainSnapshot(source, "input") as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(["__proto__", "x"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
