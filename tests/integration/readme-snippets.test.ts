/**
 * Every TypeScript/JavaScript code block of README.md is true: each is type-checked, as a file of a
 * strict consumer project, against the BUILT package (`proofline` resolved through its
 * package.json exports to dist/*.d.ts; `npm run build` first), and the Node ones run:
 * - "Using it", with `"proofline/node"` for `"proofline"` (what its first comment says), makes a
 *   real EBSL proof with the installed @proofline/circuits;
 * - "Bring your own circuit" steps 6 and 7 run in the project the recipe builds
 *   (tests/fixtures/byo/recipe.ts), and their proof is checked with snarkjs here.
 *
 * A block runs as its own module; one preceded by the line `<!-- continues the previous block -->`
 * is appended to the block before it (step 7 uses step 6's variables). Names a block uses without
 * defining them (`attestations`, `signal`, ...) are the reader's own: their types are declared in
 * CONTEXT below, and a new one must be added there, on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as snarkjs from "snarkjs";
import { buildByoProject, CIRCUIT_ID, runPin, type ByoProject } from "../fixtures/byo/recipe.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CONTINUES = "<!-- continues the previous block -->";

/** The reader's own values that README blocks use without defining them. */
const CONTEXT = `
declare const attestations: import("proofline").Attestation[];
declare const address: string;
declare const controller: AbortController;
declare const bar: { set(value: number): void };
declare const manifest: import("proofline").CircuitManifest;
declare const baseUrl: string | URL;
declare const input: Record<string, bigint>;
declare const signal: AbortSignal;
declare const onProgress: (event: import("proofline").ProveProgress) => void;
declare const timeoutMs: number;
`;

interface Program {
  /** README line of the first block's opening fence. */
  readonly line: number;
  readonly lang: string;
  code: string;
}

/** The README's ts/js blocks as programs (a continuing block joins the one before it). */
function readmePrograms(markdown: string): Program[] {
  const lines = markdown.split("\n");
  const programs: Program[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\w*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, /^\s*/.exec(lines[j]!)![0].length)));
    const lang = open[2]!;
    if (["ts", "typescript", "js", "javascript"].includes(lang)) {
      let k = i - 1;
      while (k >= 0 && lines[k]!.trim() === "") k--;
      const code = body.join("\n");
      const previous = programs.at(-1);
      if (lines[k]?.trim() === CONTINUES && previous) previous.code += `\n${code}`;
      else programs.push({ line: i + 1, lang, code });
    }
    i = j;
  }
  return programs;
}

const programs = readmePrograms(readFileSync(join(root, "README.md"), "utf8"));
const file = (p: Program) => `readme-L${p.line}.${p.lang.startsWith("j") ? "js" : "ts"}`;
let dir: string;

function transpile(code: string): string {
  return ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText;
}

function runNode(cwd: string, name: string, code: string) {
  writeFileSync(join(cwd, name), code);
  // A file, not `-e`: worker_threads inherit execArgv, and `--input-type` kills a worker.
  const r = spawnSync(process.execPath, [join(cwd, name)], { cwd, encoding: "utf8", timeout: 170_000 });
  return { ...r, last: () => JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "null") as Record<string, unknown> };
}

beforeAll(() => {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp/readme-"));
  mkdirSync(join(dir, "node_modules"));
  // The package as installed (its exports map), not the sources.
  symlinkSync(root, join(dir, "node_modules/proofline"), "dir");
  // Step 5 imports the manifest its reader pinned: any valid one will do for types.
  mkdirSync(join(dir, "circuits"));
  cpSync(join(root, "circuits/manifest.json"), join(dir, "circuits/manifest.json"));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("README.md code blocks", () => {
  it("has the blocks this test runs (a renamed or removed one fails here, not silently)", () => {
    expect(programs.length).toBeGreaterThanOrEqual(6);
    expect(programs.filter((p) => p.code.includes('requestProof(attestations, "exact"'))).toHaveLength(1);
    expect(programs.filter((p) => p.code.includes("createNodeWorkerFactory()") && p.code.includes("groth16.verify"))).toHaveLength(1);
  });

  it("every ts/js block type-checks against the built .d.ts in a strict project", () => {
    // A block whose first line names a declaration file (`// snarkjs.d.ts`) is that file, as the
    // reader saves it: ambient, not a module.
    const declaration = (p: Program) => /^\/\/ ([\w-]+\.d\.ts)\s*$/.exec(p.code.split("\n")[0]!)?.[1];
    for (const p of programs) {
      const name = declaration(p);
      if (name) writeFileSync(join(dir, name), p.code);
      else writeFileSync(join(dir, file(p)), `// README.md line ${p.line}\n${p.code}\nexport {};\n`);
    }
    const declarations = programs.map(declaration).filter((n): n is string => n !== undefined);
    // The reader's own snarkjs declaration, not the repo's: a consumer has only what the README shows.
    expect(declarations).toContain("snarkjs.d.ts");
    writeFileSync(join(dir, "readme-context.d.ts"), CONTEXT);
    // Positive control: a block that drifted from the API (a proof type that does not exist) must fail.
    writeFileSync(join(dir, "drift-control.ts"), `import { proofAPI } from "proofline";\nawait proofAPI.requestProof(attestations, "exakt");\nexport {};\n`);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2023", "DOM", "DOM.Iterable"], types: ["node"],
          strict: true, noEmit: true, allowJs: true, checkJs: true, resolveJsonModule: true, skipLibCheck: true, typeRoots: [join(root, "node_modules/@types")],
        },
        files: ["readme-context.d.ts", ...declarations, "drift-control.ts", ...programs.filter((p) => !declaration(p)).map(file)],
      }),
    );
    const r = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { cwd: dir, encoding: "utf8" });
    const errors = (r.stdout + r.stderr).split("\n").filter((l) => /error TS/.test(l));
    expect(errors.filter((l) => !l.startsWith("drift-control.ts")), "tsc errors (readme-L<line>: the README line of the block)").toEqual([]);
    expect(errors.filter((l) => l.startsWith("drift-control.ts"))).toHaveLength(1);
  }, 120_000);

  it('"Using it" runs in Node with "proofline/node" and returns a verified proof', () => {
    const using = programs.find((p) => p.code.includes('requestProof(attestations, "exact"'))!;
    const code = using.code.replace(/from "proofline";/, 'from "proofline/node";');
    expect(code).not.toBe(using.code);
    const reader = `
      const now = Date.now();
      const attestations = [0, 1, 2, 3].map((i) => ({
        source: "0x" + (0xe000 + i).toString(16).padStart(40, "0"), target: "0x" + "cd".repeat(20),
        opinion: { belief: 0.6, disbelief: 0.1, uncertainty: 0.3, base_rate: 0.5 }, attestation_type: "trust",
        weight: 1, created_at: now - 1000, expires_at: now + 86_400_000,
      }));
      const address = "0x" + "cd".repeat(20);
      const controller = new AbortController();
      const seen = [];
      const bar = { set: (value) => seen.push(value) };
    `;
    const check = `\nconsole.log(JSON.stringify({ verified: await proofAPI.verify(result), circuitId: result.circuitId, score: result.score, last: seen.at(-1) }));\nproofAPI.dispose();\n`;
    // The reader's values first (imports are hoisted anyway), then the block, then the check.
    const r = runNode(dir, "using-it.mjs", transpile(`${reader}\n${code}${check}`));
    expect(r.status, r.stderr).toBe(0);
    const out = r.last();
    expect(out).toMatchObject({ verified: true, circuitId: "ebsl-16", last: 100 });
    expect(typeof out["score"]).toBe("number");
  }, 180_000);

  describe("Bring your own circuit, steps 6 and 7, in the recipe's project", () => {
    let project: ByoProject;
    beforeAll(() => {
      project = buildByoProject();
      mkdirSync(join(project.dir, "node_modules"), { recursive: true });
      symlinkSync(root, join(project.dir, "node_modules/proofline"), "dir");
      symlinkSync(join(root, "node_modules/snarkjs"), join(project.dir, "node_modules/snarkjs"), "dir");
      // The README's names: its circuit is circuit.circom, so the id and files are "circuit"; step 3's pin command, as written.
      mkdirSync(join(project.circuitsDir, "circuit"));
      for (const ext of ["wasm", "zkey", "vkey.json"]) cpSync(join(project.circuitsDir, CIRCUIT_ID, `${CIRCUIT_ID}.${ext}`), join(project.circuitsDir, "circuit", `circuit.${ext}`));
      const pin = runPin(["public/circuits/circuit", "--manifest", "src/circuits/manifest.json", "--base", "public/circuits"], project.dir);
      expect(pin.status, pin.stderr).toBe(0);
    }, 170_000);
    afterAll(() => project?.remove());

    it("proves in Node and the proof verifies against the pinned vkey", async () => {
      const byo = programs.find((p) => p.code.includes("createNodeWorkerFactory()"))!;
      const check = `\nconsole.log(JSON.stringify({ proof, publicSignals }));\n`;
      const r = runNode(project.dir, "byo.mjs", transpile(byo.code + check));
      expect(r.status, r.stderr).toBe(0);
      const { proof, publicSignals } = r.last() as unknown as { proof: snarkjs.Groth16Proof; publicSignals: string[] };
      const vkey = JSON.parse(readFileSync(join(project.circuitsDir, "circuit/circuit.vkey.json"), "utf8")) as object;
      expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
      expect(await snarkjs.groth16.verify(vkey, [publicSignals[0]!, "2"], proof)).toBe(false);
    }, 180_000);
  });
});
