import { describe, expect, it } from "vitest";
import { BN254_FIELD_ORDER, canonicalInputJson, canonicalizeInput } from "../../../src/lib/proof/engine/canonical-input.js";
import { ProofError } from "../../../src/lib/proof/core/errors.js";

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
    expect(canonicalizeInput({ a: 5n, b: 7, c: "0009", e: -0 })).toEqual({ a: "5", b: "7", c: "9", e: "0" });
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
    [{ x: "1e3" }, "x", "not a non-negative decimal integer string"],
    [{ x: "" }, "x", "not a non-negative decimal integer string"],
    [{ x: "0x10" }, "x", "not a non-negative decimal integer string"],
    [{ x: "-12" }, "x", "not a non-negative decimal integer string"],
    [{ x: [1, [2, "abc"]] }, "x[1][1]", "not a non-negative decimal integer string"],
    [{ x: null }, "x", "unsupported type null"],
    [{ x: true }, "x", "unsupported type boolean"],
  ])("rejects %j with WITNESS_INPUT_INVALID naming the signal and field, never the value", (input, field, reason) => {
    const err = rejection(() => canonicalizeInput(input as never));
    expect(err.code).toBe("WITNESS_INPUT_INVALID");
    expect(err.details).toEqual({ signal: "x", field, reason });
    expect(err.message).toContain(`"${field}"`);
    expect(err.message).not.toMatch(/abc|1e3|1\.5|0x10|-12/);
  });

  it("refuses every value outside the BN254 scalar field [0, p) instead of letting circom reduce it", () => {
    const p = BN254_FIELD_ORDER;
    expect(p).toBe(21888242871839275222246405745257275088548364400416034343698204186575808495617n);
    const cases: [unknown, string][] = [
      [p + 3n, "not below the BN254 field order p"],
      [p, "not below the BN254 field order p"],
      [2n ** 256n + 3n, "not below the BN254 field order p"],
      [(p + 3n).toString(), "not below the BN254 field order p"],
      ["9".repeat(100_000), "not below the BN254 field order p"],
      [-3, "negative (signals are field elements in [0, p))"],
      [-3n, "negative (signals are field elements in [0, p))"],
    ];
    for (const [value, reason] of cases) {
      const err = rejection(() => canonicalizeInput({ a: [1, value] } as never));
      expect([err.code, err.details]).toEqual(["WITNESS_INPUT_INVALID", { signal: "a", field: "a[1]", reason }]);
      expect(err.message).not.toContain(String(value).slice(0, 12));
    }
    expect(canonicalizeInput({ a: "000" + (p - 1n).toString() })).toEqual({ a: (p - 1n).toString() });
  });

  it("refuses an own __proto__ (or constructor, prototype) key instead of dropping it, and non-signal keys", () => {
    const own = JSON.parse('{"a": 1, "__proto__": 2}') as Record<string, number>;
    expect(Object.keys(own)).toContain("__proto__");
    const err = rejection(() => canonicalizeInput(own));
    expect([err.code, err.details]).toEqual(["WITNESS_INPUT_INVALID", { signal: "__proto__", field: "__proto__", reason: "not a signal name (reserved object key)" }]);
    expect(rejection(() => canonicalizeInput({ constructor: 1 } as never)).details["signal"]).toBe("constructor");
    expect(rejection(() => canonicalizeInput({ prototype: 1 } as never)).details["signal"]).toBe("prototype");
    expect(rejection(() => canonicalizeInput({ "a-b": 1 } as never)).details).toEqual({ field: "(key)", reason: "not a circom signal name" });
    // The output has no prototype to smuggle anything into, and JSON is unaffected.
    const out = canonicalizeInput({ a: 1, b: [2] });
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(JSON.stringify(out)).toBe('{"a":"1","b":["2"]}');
  });

  it("rejects a non-object input", () => {
    expect(rejection(() => canonicalizeInput([1] as never)).code).toBe("WITNESS_INPUT_INVALID");
    expect(rejection(() => canonicalizeInput(null as never)).code).toBe("WITNESS_INPUT_INVALID");
  });
});
