/**
 * "Bring your own circuit" (README) in Node, end to end: a circom file compiled with circom2,
 * an insecure dev setup, `proofline pin` run as a process, then proofs from the BUILT library
 * (dist/node.js, as a consumer imports `proofline/node`) checked with snarkjs. Run
 * `npm run build` first.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { poseidon2 } from "poseidon-lite";
import * as snarkjs from "snarkjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildByoProject, CIRCUIT_ID, ROOT, runPin, type ByoProject } from "../fixtures/byo/recipe.js";

type NodeLib = typeof import("proofline/node");
type Prover = ReturnType<NodeLib["createProver"]>;
interface Pinned { path: string; bytes: number; sha256: string }
interface Entry { id: string; power: number; nPublic: number; constraints?: number; r1cs?: { sha256: string }; wasm: Pinned; zkey: Pinned; vkey: Pinned; [extra: string]: unknown }
interface Manifest { version: number; circuits: Record<string, Entry>; [extra: string]: unknown }

const DIST_NODE = join(ROOT, "dist/node.js");
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const readJson = <T>(path: string) => JSON.parse(readFileSync(path, "utf8")) as T;

let project: ByoProject;
let lib: NodeLib;
let prover: Prover | undefined;

beforeAll(async () => {
  if (!existsSync(DIST_NODE)) throw new Error("dist/node.js missing: run `npm run build` first");
  lib = (await import(pathToFileURL(DIST_NODE).href)) as NodeLib;
  project = buildByoProject();
  console.log(`byo recipe: compile ${project.timingsMs.compile.toFixed(0)} ms, dev setup ${project.timingsMs.setup.toFixed(0)} ms, pin ${project.timingsMs.pin.toFixed(0)} ms`);
});

afterAll(async () => {
  prover?.dispose();
  project?.remove();
  await (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128?.terminate();
});

describe("proofline pin", () => {
  it("pins each artifact's path (relative to --base), size and SHA-256, the zkey's power and nPublic and the r1cs's constraints", () => {
    const manifest = readJson<Manifest>(project.manifestPath);
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.circuits)).toEqual([CIRCUIT_ID]);
    const entry = manifest.circuits[CIRCUIT_ID]!;
    for (const [kind, file] of [["wasm", "preimage.wasm"], ["zkey", "preimage.zkey"], ["vkey", "preimage.vkey.json"]] as const) {
      const abs = join(project.circuitsDir, CIRCUIT_ID, file);
      expect(entry[kind]).toEqual({ path: `${CIRCUIT_ID}/${file}`, bytes: readFileSync(abs).length, sha256: sha256(abs) });
    }
    const vkey = readJson<{ nPublic: number }>(join(project.circuitsDir, CIRCUIT_ID, "preimage.vkey.json"));
    expect(entry.nPublic).toBe(vkey.nPublic);
    expect(entry.nPublic).toBe(2); // the hash output and the public nonce
    expect(entry.constraints).toBe(project.compiledConstraints);
    // snarkjs's domain: the smallest power of two above constraints + public signals.
    expect(2 ** entry.power).toBeGreaterThan(project.compiledConstraints + entry.nPublic);
    expect(2 ** (entry.power - 1)).toBeLessThanOrEqual(project.compiledConstraints + entry.nPublic);
    expect(entry.r1cs).toEqual({ sha256: sha256(project.r1cs) });
    expect(project.pinOutput.stdout).toContain(`added "${CIRCUIT_ID}"`);
  });

  it("writes a manifest the built library's parseManifest accepts, resolving to the served files", () => {
    const manifest = lib.parseManifest(readFileSync(project.manifestPath, "utf8"));
    const [def] = lib.circuitsFromManifest(manifest, "https://cdn.example/circuits/");
    expect(def?.zkey.url).toBe(`https://cdn.example/circuits/${CIRCUIT_ID}/preimage.zkey`);
    expect(def?.constraints).toBe(project.compiledConstraints);
  });

  it("updates an entry in place, keeping the other entries, their order, the version and the manifest's own fields", () => {
    const path = join(project.dir, "src/circuits/shared.json");
    const own = readJson<Manifest>(project.manifestPath).circuits[CIRCUIT_ID]!;
    const other = { ...own, id: "other", power: 99 };
    const before = { version: 1, insecureDevSetup: true, warning: "dev keys", circuits: { other, [CIRCUIT_ID]: { ...own, publicSignals: ["hash", "nonce"], power: 1 } } };
    writeFileSync(path, JSON.stringify(before));
    const r = runPin([`public/circuits/${CIRCUIT_ID}`, "--manifest", "src/circuits/shared.json", "--base", "public/circuits"], project.dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`updated "${CIRCUIT_ID}"`);
    expect(r.stdout).toContain("dropped the old constraints count"); // no --r1cs this time
    const after = readJson<Manifest>(path);
    expect(Object.keys(after)).toEqual(["version", "insecureDevSetup", "warning", "circuits"]);
    expect(after.warning).toBe("dev keys");
    expect(Object.keys(after.circuits)).toEqual(["other", CIRCUIT_ID]);
    expect(after.circuits.other).toEqual(other);
    const entry = after.circuits[CIRCUIT_ID]!;
    expect(entry.power).toBe(own.power); // recomputed from the zkey, not kept
    expect(entry.publicSignals).toEqual(["hash", "nonce"]); // a field pin does not own is kept
    expect(entry.constraints).toBeUndefined();
    expect(entry.zkey).toEqual(own.zkey);
  });

  it("rejects bad inputs with exit 1 and a message naming the problem, leaving the manifest untouched", () => {
    const dir = project.dir;
    const c = `public/circuits/${CIRCUIT_ID}`;
    const manifestBefore = readFileSync(project.manifestPath, "utf8");
    const notJson = join(dir, "not-json.vkey.json");
    writeFileSync(notJson, "{ this is not json");
    const vkey = readJson<Record<string, unknown>>(join(dir, c, "preimage.vkey.json"));
    const multiplierVkey = readJson<Record<string, unknown>>(join(ROOT, "tests/fixtures/multiplier/vkey.json"));
    const foreignDelta = join(dir, "foreign.vkey.json");
    writeFileSync(foreignDelta, JSON.stringify({ ...vkey, vk_delta_2: multiplierVkey.vk_delta_2 }));
    const args = (wasm: string, zkey: string, vk: string) => [wasm, zkey, vk, "--manifest", "src/circuits/manifest.json", "--base", "public/circuits"];

    const cases: [string[], RegExp][] = [
      [args(`${c}/missing.wasm`, `${c}/preimage.zkey`, `${c}/preimage.vkey.json`), /wasm file not found: .*missing\.wasm/],
      [args(`${c}/preimage.wasm`, `${c}/preimage.zkey`, notJson), /not-json\.vkey\.json is not JSON/],
      [args(`${c}/preimage.wasm`, `${c}/preimage.zkey`, join(ROOT, "tests/fixtures/multiplier/vkey.json")), /nPublic differs: the zkey has 2 public signals, the vkey 1/],
      [args(`${c}/preimage.wasm`, `${c}/preimage.zkey`, foreignDelta), /vkey does not belong to the zkey \(vk_delta_2 differ/],
      [args(join(ROOT, "tests/fixtures/multiplier/circuit.wasm"), `${c}/preimage.zkey`, `${c}/preimage.vkey.json`), /wasm computes 904 witness values but the zkey expects/],
      [args(`${c}/preimage.wasm`, `${c}/preimage.vkey.json`, `${c}/preimage.vkey.json`), /is not a zkey file/],
    ];
    for (const [argv, message] of cases) {
      const r = runPin(argv, dir);
      expect(r.status, `${argv.join(" ")}\n${r.stdout}`).toBe(1);
      expect(r.stderr).toMatch(message);
    }
    const usage = runPin(["only", "two"], dir);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Usage:");
    expect(readFileSync(project.manifestPath, "utf8")).toBe(manifestBefore);
  });
});

describe("proving with the pinned artifacts (built library, worker_threads)", () => {
  const input = { secret: 123456789n, salt: 42n, nonce: 7n };

  beforeAll(() => {
    const manifest = lib.parseManifest(readFileSync(project.manifestPath, "utf8"));
    const circuits = lib.circuitsFromManifest(manifest, project.circuitsDir);
    // The same circuit pinned to a zkey SHA-256 the file does not have: the loader must refuse it.
    const repinned = circuits.map((d) => ({ ...d, id: "changed-after-pinning", zkey: { ...d.zkey, sha256: "0".repeat(64) } }));
    prover = lib.createProver({
      circuits: [...circuits, ...repinned],
      artifacts: lib.createArtifactLoader({ store: null, readFile: lib.createNodeArtifactReader() }),
      workerFactory: lib.createNodeWorkerFactory(),
      poolSize: 1,
    });
  });

  it("proves; snarkjs verifies the proof against the pinned vkey and rejects tampered public signals", async () => {
    const t0 = performance.now();
    const { proof, publicSignals } = await prover!.prove(CIRCUIT_ID, input);
    console.log(`byo Node proof (cold worker) ${(performance.now() - t0).toFixed(0)} ms`);
    // The circuit's output is Poseidon(secret, salt), computed here by an independent implementation.
    expect(publicSignals).toEqual([poseidon2([input.secret, input.salt]).toString(), input.nonce.toString()]);
    const vkey = readJson<unknown>(join(project.circuitsDir, CIRCUIT_ID, "preimage.vkey.json"));
    expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
    for (const index of [0, 1]) {
      const tampered = [...publicSignals];
      tampered[index] = (BigInt(tampered[index]!) + 1n).toString();
      expect(await snarkjs.groth16.verify(vkey, tampered, proof)).toBe(false);
    }
  });

  it("refuses artifacts whose bytes differ from the pins (ARTIFACT_INTEGRITY)", async () => {
    const error = await prover!.prove("changed-after-pinning", input).then(
      () => undefined,
      (e: unknown) => e as { code?: string },
    );
    expect(error?.code).toBe("ARTIFACT_INTEGRITY");
  });
});
