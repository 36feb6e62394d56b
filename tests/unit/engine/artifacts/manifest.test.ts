import { describe, expect, it } from "vitest";
import { circuitsFromManifest, isAbsoluteUrl, parseManifest, resolveArtifactUrl } from "../../../../src/lib/proof/engine/artifacts/manifest.js";
import { ValidationError, type ProofError } from "../../../../src/lib/proof/core/errors.js";

const H = (c: string) => c.repeat(64);

function sample(): Record<string, any> {
  return {
    version: 1,
    insecureDevSetup: true,
    warning: "dev only",
    circuits: {
      "ebsl-16": {
        id: "ebsl-16",
        family: "ebsl",
        capacity: 16,
        constraints: 8090,
        power: 13,
        nPublic: 7,
        publicSignals: ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal"],
        committed: true,
        r1cs: { sha256: H("1") },
        wasm: { path: "build/ebsl-16/ebsl-16.wasm", bytes: 3959332, sha256: H("a") },
        zkey: { path: "build/ebsl-16/ebsl-16.zkey", bytes: 7173791, sha256: H("B") },
        vkey: { path: "build/ebsl-16/ebsl-16.vkey.json", bytes: 4018, sha256: H("c") },
      },
    },
  };
}

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ProofError).details.field;
  }
  throw new Error("expected a ValidationError");
}

describe("parseManifest", () => {
  it("accepts the circuits manifest shape, from an object or a JSON string, and lower-cases hashes", () => {
    const m = parseManifest(JSON.stringify(sample()));
    expect(m.version).toBe(1);
    expect(m.insecureDevSetup).toBe(true);
    expect(m.circuits["ebsl-16"]!.zkey).toEqual({ path: "build/ebsl-16/ebsl-16.zkey", bytes: 7173791, sha256: H("b") });
    expect(parseManifest(sample()).circuits["ebsl-16"]!.capacity).toBe(16);
  });

  it("names the bad field", () => {
    const cases: [(m: Record<string, any>) => void, string][] = [
      [(m) => (m.version = 2), "version"],
      [(m) => delete m.circuits, "circuits"],
      [(m) => (m.circuits = {}), "circuits"],
      [(m) => (m.insecureDevSetup = "yes"), "insecureDevSetup"],
      [(m) => (m.circuits["ebsl-16"].zkey.sha256 = "abc"), "circuits.ebsl-16.zkey.sha256"],
      [(m) => (m.circuits["ebsl-16"].wasm.bytes = -1), "circuits.ebsl-16.wasm.bytes"],
      [(m) => (m.circuits["ebsl-16"].wasm.bytes = 1.5), "circuits.ebsl-16.wasm.bytes"],
      [(m) => (m.circuits["ebsl-16"].vkey.path = ""), "circuits.ebsl-16.vkey.path"],
      [(m) => delete m.circuits["ebsl-16"].zkey, "circuits.ebsl-16.zkey"],
      [(m) => (m.circuits["ebsl-16"].id = "other"), "circuits.ebsl-16.id"],
      [(m) => (m.circuits["ebsl-16"].constraints = "many"), "circuits.ebsl-16.constraints"],
    ];
    for (const [mutate, field] of cases) {
      const m = sample();
      mutate(m);
      expect(fieldOf(() => parseManifest(m))).toBe(field);
    }
    expect(fieldOf(() => parseManifest("{not json"))).toBe("(root)");
    expect(fieldOf(() => parseManifest([]))).toBe("(root)");
  });

  it("takes the id from the key when absent", () => {
    const m = sample();
    delete m.circuits["ebsl-16"].id;
    expect(parseManifest(m).circuits["ebsl-16"]!.id).toBe("ebsl-16");
  });
});

describe("circuitsFromManifest", () => {
  it("resolves paths against a URL base and keeps extra fields in meta", () => {
    const [c] = circuitsFromManifest(parseManifest(sample()), "https://cdn.test/pkg/circuits/manifest.json/../");
    expect(c!.id).toBe("ebsl-16");
    expect(c!.constraints).toBe(8090);
    expect(c!.wasm).toEqual({ url: "https://cdn.test/pkg/circuits/build/ebsl-16/ebsl-16.wasm", bytes: 3959332, sha256: H("a") });
    expect(c!.zkey.sha256).toBe(H("b"));
    expect(c!.meta).toMatchObject({ family: "ebsl", capacity: 16, power: 13, nPublic: 7, committed: true, insecureDevSetup: true });
    expect((c!.meta as any).publicSignals).toHaveLength(7);
    expect(c!.meta).not.toHaveProperty("wasm");
  });

  it("resolves against a directory path or a file URL in Node", () => {
    const m = parseManifest(sample());
    expect(circuitsFromManifest(m, "/srv/app/circuits")[0]!.vkey.url).toBe("/srv/app/circuits/build/ebsl-16/ebsl-16.vkey.json");
    expect(circuitsFromManifest(m, "file:///srv/app/circuits")[0]!.zkey.url).toBe("file:///srv/app/circuits/build/ebsl-16/ebsl-16.zkey");
    expect(circuitsFromManifest(m, new URL("file:///srv/x/"))[0]!.zkey.url).toBe("file:///srv/x/build/ebsl-16/ebsl-16.zkey");
    expect(circuitsFromManifest(m)[0]!.wasm.url).toBe("build/ebsl-16/ebsl-16.wasm");
  });
});

describe("resolveArtifactUrl", () => {
  it("leaves absolute URLs and paths alone", () => {
    expect(resolveArtifactUrl("https://x.test/a.zkey", "https://y.test/")).toBe("https://x.test/a.zkey");
    expect(resolveArtifactUrl("/abs/a.zkey", "/base")).toBe("/abs/a.zkey");
    expect(resolveArtifactUrl("./a.zkey", "/base/")).toBe("/base/a.zkey");
    expect(resolveArtifactUrl("a.zkey", "https://y.test/c")).toBe("https://y.test/c/a.zkey");
  });

  it("tells URLs from Windows paths", () => {
    expect(isAbsoluteUrl("https://x")).toBe(true);
    expect(isAbsoluteUrl("file:///x")).toBe(true);
    expect(isAbsoluteUrl("C:\\x")).toBe(false);
    expect(isAbsoluteUrl("build/x")).toBe(false);
  });
});
