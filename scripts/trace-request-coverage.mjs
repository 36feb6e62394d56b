/**
 * What scripts/trace-request.mjs counts: the project files in which a function ran, read from V8
 * precise coverage, and the runtime imports between them, read with the TypeScript parser.
 */
import { readFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const TRACE_CHANNEL = "proofline-request-trace";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PROJECT_DIRS = ["src/", "workers/"];

/** A coverage URL as a repository-relative path of src/ or workers/, or undefined. */
function projectPath(url) {
  if (!url.startsWith("file:")) return undefined;
  const path = relative(ROOT, fileURLToPath(url.replace(/[?#].*$/, "")));
  return PROJECT_DIRS.some((d) => path.startsWith(d)) && path.endsWith(".ts") ? path : undefined;
}

/**
 * Files of src/ and workers/ in which some function other than the module's own top level was
 * called since the coverage counters were last taken, each with the names of those functions.
 * The top level is left out because it runs once, at import: importing a module is not using it.
 * V8 reports the top level as the first function, unnamed, starting at offset 0. Helpers that
 * tsx's compiler (esbuild) adds to each module it compiles, such as `__name`, are not the
 * project's code: their names start with two underscores, which no project function's does.
 */
export function executedFunctions(coverage) {
  const files = {};
  for (const script of coverage) {
    const path = projectPath(script.url);
    if (path === undefined) continue;
    const ran = script.functions
      .filter((f) => !(f.functionName === "" && f.ranges[0].startOffset === 0) && !f.functionName.startsWith("__"))
      .filter((f) => f.ranges[0].count > 0)
      .map((f) => f.functionName || "(anonymous)");
    if (ran.length > 0) files[path] = [...new Set([...(files[path] ?? []), ...ran])].sort();
  }
  return files;
}

/** Does this import or re-export bring a value at run time (not only types)? */
function isRuntime(node) {
  if (ts.isImportDeclaration(node)) {
    const clause = node.importClause;
    if (!clause) return true; // import "./x.js": run for its effects
    if (clause.isTypeOnly) return false;
    if (clause.name) return true;
    const bindings = clause.namedBindings;
    if (!bindings) return false;
    if (ts.isNamespaceImport(bindings)) return true;
    return bindings.elements.some((e) => !e.isTypeOnly);
  }
  if (ts.isExportDeclaration(node)) {
    if (node.isTypeOnly || !node.moduleSpecifier) return false;
    const clause = node.exportClause;
    return !clause || !ts.isNamedExports(clause) || clause.elements.some((e) => !e.isTypeOnly);
  }
  return false;
}

/**
 * The project files `file` imports at run time (static imports and re-exports that bring a value,
 * and dynamic `import()`), as repository-relative paths. Type-only imports are left out: they are
 * erased before the code runs.
 */
export function runtimeImports(file) {
  const absolute = resolve(ROOT, file);
  const source = ts.createSourceFile(absolute, readFileSync(absolute, "utf8"), ts.ScriptTarget.Latest, true);
  const specifiers = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      if (isRuntime(node)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) specifiers.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [
    ...new Set(
      specifiers
        .filter((s) => s.startsWith("./") || s.startsWith("../"))
        .map((s) => relative(ROOT, resolve(dirname(absolute), s)).replace(/\.js$/, ".ts")),
    ),
  ].sort();
}
