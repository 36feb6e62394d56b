/**
 * The import graph of src/ and workers/, read with the TypeScript parser (static imports,
 * re-exports, type-only imports and dynamic `import()` all count): no cycle, and no module
 * imports from a layer above its own. Reading the code of a request then goes down the layers
 * (client → request → cache → engine → core) and never has to come back up.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = process.cwd();

/**
 * The layers, top first, as path prefixes relative to the repository; a module may import its
 * own layer and those below. The entries and the worker scripts sit on top; the facade, the
 * remote route and the worker side (what a prover worker runs, beside the facade it serves) are
 * the public edge; plans, observability, admission and the fault-injection
 * kit serve the facade; then one request's life, the cache that decorates its proving port,
 * the engine (prover, pool, artifacts, bn254 core), and the primitives.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["src/index.ts", "src/node.ts", "src/ebsl.ts", "src/vite.ts", "src/testing.ts", "workers/"],
  ["src/lib/proof/client/", "src/lib/proof/remote/", "src/lib/proof/worker/"],
  ["src/lib/proof/ebsl/", "src/lib/proof/observability/", "src/lib/proof/admission/", "src/lib/proof/testing/"],
  ["src/lib/proof/request/"],
  ["src/lib/proof/cache/"],
  ["src/lib/proof/engine/"],
  ["src/lib/proof/core/"],
];

function sources(): string[] {
  return ["src", "workers"].flatMap((dir) =>
    readdirSync(join(root, dir), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
      .map((f) => resolve(root, dir, f)),
  );
}

/** Relative module specifiers of one file, as the TypeScript pre-processor finds them. */
function specifiers(code: string): string[] {
  return ts
    .preProcessFile(code, true, true)
    .importedFiles.map((f) => f.fileName)
    .filter((name) => name.startsWith("./") || name.startsWith("../"));
}

/** Each file's imports, resolved to files of the set (repository-relative paths). */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiers(readFileSync(file, "utf8"))
      .map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"))
      .filter((t) => known.has(t));
    graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))]);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** The layer of a file (0 = top), or -1 when no layer claims it. */
function layerOf(file: string, layers: readonly (readonly string[])[]): number {
  return layers.findIndex((prefixes) => prefixes.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
}

/** Every import that points to a layer above the importer's, as "from -> to". */
function upwardImports(graph: ReadonlyMap<string, readonly string[]>, layers: readonly (readonly string[])[]): string[] {
  const found: string[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) if (layerOf(to, layers) < layerOf(from, layers)) found.push(`${from} -> ${to}`);
  }
  return found.sort();
}

describe("import graph", () => {
  it("finds a planted cycle and a planted upward import (the checks can fail)", () => {
    expect(cycles(new Map([["a", ["b"]], ["b", ["c"]], ["c", ["a"]], ["d", ["a"]]]))).toEqual([["a", "b", "c"]]);
    const planted = new Map([["low/x.ts", ["high/y.ts"]], ["high/y.ts", ["low/x.ts"]]]);
    expect(upwardImports(planted, [["high/"], ["low/"]])).toEqual(["low/x.ts -> high/y.ts"]);
  });

  it("reads static, type-only, re-exported and dynamic imports", () => {
    const code = 'import a from "./a.js";\nimport type { B } from "../b.js";\nexport { c } from "./c.js";\nconst d = await import("./d.js");\nimport x from "lib";';
    expect(specifiers(code)).toEqual(["./a.js", "../b.js", "./c.js", "./d.js"]);
  });

  it("src/ and workers/ have no import cycle", () => {
    const graph = importGraph(sources());
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph)).toEqual([]);
  });

  it("every module belongs to a layer and imports only from its own layer or below", () => {
    const graph = importGraph(sources());
    expect([...graph.keys()].filter((f) => layerOf(f, LAYERS) < 0)).toEqual([]);
    expect(upwardImports(graph, LAYERS)).toEqual([]);
  });
});
