import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/lib/proof/core/canonical-json.js";

describe("canonicalJson", () => {
  it("sorts keys at every depth and writes bigints as decimal strings", () => {
    expect(canonicalJson({ b: 2n, a: [1, "x", { d: true, c: null }] })).toBe('{"a":[1,"x",{"c":null,"d":true}],"b":"2"}');
    expect(canonicalJson({ z: 1, a: 2 })).toBe(canonicalJson({ a: 2, z: 1 }));
    expect(canonicalJson(2n ** 200n)).toBe(`"${(2n ** 200n).toString()}"`);
  });

  it("omits undefined properties, writes undefined array items as null, normalises -0", () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe("[null,1]");
    expect(canonicalJson(-0)).toBe("0");
  });

  it("rejects what JSON would silently change, naming the path and never the value", () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow(/non-finite number at "a.b"/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/unsupported function at "f"/);
    expect(() => canonicalJson({ m: new Map() })).toThrow(/unsupported Map/);
    expect(() => canonicalJson({ secret: 123456789 ** 50 })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cycle at "self"/);
  });

  it("allows shared (non-cyclic) references", () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
  });

  it("escapes strings like JSON", () => {
    expect(canonicalJson({ 'k"': 'v\n"' })).toBe('{"k\\"":"v\\n\\""}');
  });
});
