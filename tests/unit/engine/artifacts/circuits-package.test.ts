import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CIRCUITS_PACKAGE, circuitsPackageDir, findCircuitsPackageDir } from "../../../../src/lib/proof/engine/artifacts/circuits-package.js";
import { ArtifactNotFoundError } from "../../../../src/lib/proof/core/errors.js";

const app = mkdtempSync(join(tmpdir(), "proofline-circuits-package-"));
afterAll(() => rmSync(app, { recursive: true, force: true }));

describe("circuits-package", () => {
  it("finds the package installed where resolution starts (an app's node_modules)", () => {
    const pkg = join(app, "with/node_modules/@proofline/circuits");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: CIRCUITS_PACKAGE, version: "0.1.0", exports: { "./manifest.json": "./manifest.json" } }));
    writeFileSync(join(pkg, "manifest.json"), "{}");
    expect(findCircuitsPackageDir(join(app, "with/package.json"))).toBe(pkg);
    expect(circuitsPackageDir(join(app, "with/package.json"))).toBe(pkg);
  });

  it("is undefined when absent, and the throwing form names the package and the command", () => {
    mkdirSync(join(app, "without"), { recursive: true });
    const from = join(app, "without/package.json");
    expect(findCircuitsPackageDir(from)).toBeUndefined();
    const error = (() => {
      try {
        circuitsPackageDir(from);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ArtifactNotFoundError);
    expect((error as ArtifactNotFoundError).code).toBe("ARTIFACT_NOT_FOUND");
    expect((error as ArtifactNotFoundError).details).toEqual({ package: "@proofline/circuits", fix: "npm i @proofline/circuits" });
    expect((error as Error).message).toContain("npm i @proofline/circuits");
  });

  it("from this repo, resolves the workspace package (circuits)", () => {
    // The workspace sits at the top level, `circuits/` beside `src/`.
    expect(findCircuitsPackageDir()).toMatch(/[/\\]circuits$/);
    expect(findCircuitsPackageDir()).not.toMatch(/packages[/\\]circuits$/);
  });
});
