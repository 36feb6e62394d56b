import { describe, expect, it } from "vitest";
import { canonicalInputJson, canonicalizeInput } from "../../../src/lib/proof/engine/canonical-input.js";
import { ProofError } from "../../../src/lib/proof/errors.js";

function rejection(fn: () => unknown): ProofError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    return e as ProofError;
  }
  throw new Error("expected a throw");
}

describe("canonicalizeInput", () => {
  it("turns bigints, numbers and decimal strings into canonical decimal strings", () => {
    expect(canonicalizeInput({ a: 5n, b: 7, c: "0009", d: "-12", e: -0 })).toEqual({ a: "5", b: "7", c: "9", d: "-12", e: "0" });
  });

  it("keeps nested array shapes", () => {
    expect(canonicalizeInput({ m: [[1, 2n], ["3", 4]], v: [] })).toEqual({ m: [["1", "2"], ["3", "4"]], v: [] });
  });

  it("encodes values beyond 2^64 exactly", () => {
    const p = 21888242871839275222246405745257275088548364400416034343698204186575808495616n;
    expect(canonicalizeInput({ x: p })).toEqual({ x: p.toString() });
    expect(canonicalizeInput({ x: p.toString() })).toEqual({ x: p.toString() });
  });

  it("sorts keys so equal inputs give equal JSON", () => {
    const a = canonicalInputJson({ b: 1n, a: [2, 3] });
    const b = canonicalInputJson({ a: ["2", 3n], b: "01" });
    expect(a).toBe(b);
    expect(a).toBe('{"a":["2","3"],"b":"1"}');
  });

  it.each([
    [{ x: 1.5 }, "x", "not an integer"],
    [{ x: Number.NaN }, "x", "not a finite number"],
    [{ x: Number.POSITIVE_INFINITY }, "x", "not a finite number"],
    [{ x: 2 ** 60 }, "x", "number beyond 2^53 (pass a bigint or decimal string)"],
    [{ x: "1e3" }, "x", "not a decimal integer string"],
    [{ x: "" }, "x", "not a decimal integer string"],
    [{ x: "0x10" }, "x", "not a decimal integer string"],
    [{ x: [1, [2, "abc"]] }, "x[1][1]", "not a decimal integer string"],
    [{ x: null }, "x", "unsupported type null"],
    [{ x: true }, "x", "unsupported type boolean"],
  ])("rejects %j naming the field, never the value", (input, field, reason) => {
    const err = rejection(() => canonicalizeInput(input as never));
    expect(err.code).toBe("VALIDATION_ERROR");
    expect(err.details).toEqual({ field, reason });
    expect(err.message).not.toMatch(/abc|1e3|1\.5|0x10/);
  });

  it("rejects a non-object input", () => {
    expect(rejection(() => canonicalizeInput([1] as never)).code).toBe("VALIDATION_ERROR");
    expect(rejection(() => canonicalizeInput(null as never)).code).toBe("VALIDATION_ERROR");
  });
});
