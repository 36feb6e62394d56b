/**
 * The published types, as a strict consumer compiles them: `strict`, `skipLibCheck: false`, no
 * `@types/node` (`types: []`), the browser entry through the package's `exports` (dist/*.d.ts,
 * `npm run build` first). Error classes are types too, narrowing works, stores type-check. A
 * second file that misuses an error type must fail: the check can fail.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
mkdirSync(join(root, ".tmp"), { recursive: true });
const dir = mkdtempSync(join(root, ".tmp/consumer-types-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GOOD = `
import { proofAPI, ProofPriority, ValidationError, NetworkError, isProofError, createProofAPI } from "proofline";
import type { EbslProofResult, ProofErrorCode } from "proofline";
let last: ValidationError | NetworkError | undefined;
const api = createProofAPI({ artifactsBaseUrl: "/circuits/" });
const request = proofAPI.requestProof([], "exact", { priority: ProofPriority.HIGH });
const id: string = request.requestId;
request
  .then((r: EbslProofResult) => r.publicSignals.length)
  .catch((error: unknown) => {
    if (error instanceof ValidationError) {
      const code: "VALIDATION_ERROR" = error.code;
      last = error;
      void code;
    }
    if (isProofError(error)) {
      const code: ProofErrorCode = error.code;
      void code;
    }
  });
const stop = api.stores.jobs.subscribe((jobs) => jobs.length);
stop();
void id;
void last;
`;
const BAD = `
import { NetworkError, ValidationError } from "proofline";
const wrong: ValidationError = new NetworkError("x");
void wrong;
`;

function tsc(file: string, source: string) {
  writeFileSync(join(dir, file), source);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", lib: ["ES2023", "DOM", "DOM.Iterable"], types: [], strict: true, skipLibCheck: false, noEmit: true }, files: [file] }),
  );
  return spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(dir, "tsconfig.json")], { encoding: "utf8" });
}

describe("published types in a strict consumer without @types/node", () => {
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(root, join(dir, "node_modules/proofline"), "dir");

  it("compiles the facade, error narrowing and the store contract with skipLibCheck: false", () => {
    const r = tsc("app.ts", GOOD);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("rejects a NetworkError where a ValidationError is declared (error classes are distinct types)", () => {
    const r = tsc("bad.ts", BAD);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toContain("bad.ts");
  });
});
