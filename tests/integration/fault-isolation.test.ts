/**
 * Fault injection must be impossible to enable in a production build by accident: the fault
 * code lives only in the `proofline/testing` entry and its own worker files. This test reads the
 * BUILT production entries (run `npm run build` first) and every chunk they import, statically
 * or dynamically, and asserts that none contains the fault code's marker strings, while the
 * testing entry does (so the markers are real).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = fileURLToPath(new URL("../../dist/", import.meta.url));
const PRODUCTION_ENTRIES = ["index.js", "node.js", "prover.worker.js", "prover.node-worker.js"];
const MARKERS = ["proofline-fault-injection", "createFaultInjector", "exhaustWasmMemory", "wasmPageCap", "prover.fault-", "FaultSchedule"];

/** The entry and every local chunk reachable through its imports. */
function closure(entry: string): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const code = readFileSync(file, "utf8");
    for (const m of code.matchAll(/(?:from\s*|import\s*\(\s*|import\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      const target = join(dirname(file), m[1]!);
      if (existsSync(target)) visit(target);
    }
  };
  visit(join(dist, entry));
  return [...seen];
}

describe("fault code is absent from production builds", () => {
  it.each(PRODUCTION_ENTRIES)("dist/%s and its chunks contain no fault marker", (entry) => {
    expect(existsSync(join(dist, entry)), `dist/${entry} missing: run npm run build`).toBe(true);
    const files = closure(entry);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const code = readFileSync(file, "utf8");
      for (const marker of MARKERS) expect(code.includes(marker), `${marker} in ${file.slice(dist.length)}`).toBe(false);
    }
  });

  it("the markers do occur in the testing entry and the fault workers (the check can fail)", () => {
    const testing = closure("testing.js").map((f) => readFileSync(f, "utf8")).join("\n");
    for (const marker of ["proofline-fault-injection", "FaultSchedule", "prover.fault-"]) expect(testing).toContain(marker);
    const worker = closure("prover.fault-node-worker.js").map((f) => readFileSync(f, "utf8")).join("\n");
    expect(worker).toContain("proofline-fault-injection");
    expect(worker).toContain("wasmPageCap");
  });

  it("package.json exposes the fault code only as the separate ./testing export", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };
    const exported = JSON.stringify(pkg.exports);
    expect(pkg.exports["./testing"]).toEqual({ types: "./dist/testing.d.ts", import: "./dist/testing.js" });
    expect(exported.match(/testing|fault/g)).toEqual(["testing", "testing", "testing"]);
  });
});
