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

/** Where the call-site conditions below leave what they saw, on the thread's global object. */
const CALLS_KEY = "__prooflineTraceCalls";

/**
 * Make every project function that ran in `coverage` note its direct caller each time it is
 * called from now on: a breakpoint at its first statement whose condition records the stack and
 * answers false, so the thread never pauses (a session on its own thread could not resume it).
 * Returns how many functions were armed.
 */
export async function armCallSites(session, coverage) {
  await session.post("Debugger.enable");
  // A pause could never end (this thread would have to resume itself): a `debugger` statement
  // anywhere must run on. Conditions are still evaluated with pauses skipped.
  await session.post("Debugger.setSkipAllPauses", { skip: true });
  let armed = 0;
  for (const script of coverage) {
    const path = projectPath(script.url);
    if (path === undefined) continue;
    const { scriptSource } = await session.post("Debugger.getScriptSource", { scriptId: script.scriptId });
    const lineStarts = [0];
    for (let i = 0; i < scriptSource.length; i++) if (scriptSource[i] === "\n") lineStarts.push(i + 1);
    for (const f of script.functions) {
      if ((f.functionName === "" && f.ranges[0].startOffset === 0) || f.functionName.startsWith("__") || f.ranges[0].count === 0) continue;
      const offset = f.ranges[0].startOffset;
      let line = 0;
      while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
      const condition = `((globalThis.${CALLS_KEY} ??= []).push(new Error().stack), false)`;
      await session.post("Debugger.setBreakpoint", { location: { scriptId: script.scriptId, lineNumber: line, columnNumber: offset - lineStarts[line] }, condition });
      armed++;
    }
  }
  return armed;
}

/** A stack frame's repository-relative project path, or undefined (Node, libraries, async frames). */
function frameFile(frame) {
  if (frame.startsWith("at async ")) return undefined; // an awaiting function, not a caller
  const at = /\(?((?:file:\/\/)?\/[^\s()]+?):\d+:\d+\)?$/.exec(frame);
  if (!at) return undefined;
  return projectPath(at[1].startsWith("file:") ? at[1] : `file://${at[1]}`);
}

/**
 * The calls noted since arming, as "caller → callee" file pairs with their numbers, where both
 * are project files and differ. A function run by the event loop (a promise reaction, a timer,
 * a message) has no direct caller and is not counted.
 */
export function takeCalls() {
  const stacks = globalThis[CALLS_KEY] ?? [];
  globalThis[CALLS_KEY] = [];
  const calls = {};
  for (const stack of stacks) {
    // Frames: "Error", the condition's own eval frame, the callee, then its caller.
    const frames = stack.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("at ") && !l.includes("eval at "));
    const callee = frameFile(frames[0] ?? "");
    const caller = frameFile(frames[1] ?? "");
    if (callee === undefined || caller === undefined || callee === caller) continue;
    const key = `${caller} → ${callee}`;
    calls[key] = (calls[key] ?? 0) + 1;
  }
  return calls;
}
