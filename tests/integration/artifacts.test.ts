/** The artifact layer in Node with real files: paths, file: URLs, integrity, the real manifest. */
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createArtifactLoader } from "../../src/lib/proof/engine/artifacts/artifact-loader.js";
import { circuitsFromManifest, parseManifest } from "../../src/lib/proof/engine/artifacts/manifest.js";
import { createNodeArtifactReader } from "../../src/lib/proof/engine/artifacts/node-artifact-reader.js";
import type { ArtifactProgress, CircuitDefinition } from "../../src/lib/proof/engine/types.js";
import { IntegrityError, NetworkError, type ProofError } from "../../src/lib/proof/core/errors.js";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MANIFEST = join(ROOT, "circuits/manifest.json");

let dir: string;
const wasm = new Uint8Array(randomBytes(200_000));
const zkey = new Uint8Array(randomBytes(3_000_000));
const vkeyJson = { protocol: "groth16", curve: "bn128", nPublic: 1 };
const vkey = new TextEncoder().encode(JSON.stringify(vkeyJson));

function circuit(url: (name: string) => string, zkeyBytes = zkey): CircuitDefinition {
  return {
    id: "tmp",
    wasm: { url: url("c.wasm"), bytes: wasm.length, sha256: sha(wasm) },
    zkey: { url: url("c.zkey"), bytes: zkeyBytes.length, sha256: sha(zkeyBytes) },
    vkey: { url: url("c.vkey.json"), bytes: vkey.length, sha256: sha(vkey) },
  };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "proofline-artifacts-"));
  await writeFile(join(dir, "c.wasm"), wasm);
  await writeFile(join(dir, "c.zkey"), zkey);
  await writeFile(join(dir, "c.vkey.json"), vkey);
  const bad = zkey.slice();
  bad[123_456] = bad[123_456]! ^ 0x80;
  await writeFile(join(dir, "bad.zkey"), bad);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("artifacts in Node", () => {
  it("loads real files by absolute path, with storage progress and no network bytes", async () => {
    const loader = createArtifactLoader({ store: null, readFile: createNodeArtifactReader() });
    const events: ArtifactProgress[] = [];
    const out = await loader.load(circuit((n) => join(dir, n)), { onProgress: (e) => events.push(e) });
    expect(Buffer.from(out.zkey).equals(Buffer.from(zkey))).toBe(true);
    expect(Buffer.from(out.wasm).equals(Buffer.from(wasm))).toBe(true);
    expect(out.vkey).toEqual(vkeyJson);
    expect(out.networkBytes).toBe(0);
    expect(events.find((e) => e.artifact === "zkey")).toMatchObject({ loadedBytes: zkey.length, totalBytes: zkey.length, source: "storage" });
    // Second load: from memory, the files are not read again.
    const events2: ArtifactProgress[] = [];
    await loader.load(circuit((n) => join(dir, n)), { onProgress: (e) => events2.push(e) });
    expect(events2.map((e) => e.source)).toEqual(["memory", "memory", "memory"]);
  });

  it("loads by file: URL and by path relative to a base directory", async () => {
    const byUrl = await createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }).load(circuit((n) => pathToFileURL(join(dir, n)).href));
    expect(sha(byUrl.zkey)).toBe(sha(zkey));
    const byBase = await createArtifactLoader({ store: null, baseUrl: dir, readFile: createNodeArtifactReader() }).load(circuit((n) => n));
    expect(sha(byBase.wasm)).toBe(sha(wasm));
  });

  it("gives IntegrityError (ARTIFACT_INTEGRITY) for a corrupted zkey copy", async () => {
    const c = circuit((n) => join(dir, n));
    const tampered: CircuitDefinition = { ...c, zkey: { ...c.zkey, url: join(dir, "bad.zkey") } };
    const err = (await createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }).load(tampered).catch((e) => e)) as ProofError;
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.code).toBe("ARTIFACT_INTEGRITY");
    expect(err.details).toMatchObject({ circuitId: "tmp", artifact: "zkey", expectedBytes: zkey.length, actualBytes: zkey.length, attempts: 2 });
  });

  it("gives NetworkError naming the errno for a missing file", async () => {
    const c = circuit((n) => join(dir, "missing-" + n));
    const err = (await createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }).load(c).catch((e) => e)) as ProofError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.details.errno).toBe("ENOENT");
  });

  it.skipIf(!existsSync(MANIFEST))("loads ebsl-16's real artifacts through circuits/manifest.json", async (ctx) => {
    const manifest = parseManifest(await readFile(MANIFEST, "utf8"));
    const def = circuitsFromManifest(manifest, join(ROOT, "circuits")).find((c) => c.id === "ebsl-16");
    expect(def).toBeDefined();
    if (!existsSync(def!.zkey.url) || !existsSync(def!.wasm.url)) ctx.skip(); // artifacts not built yet
    const out = await createArtifactLoader({ store: null, readFile: createNodeArtifactReader() }).load(def!);
    const onDisk = await readFile(def!.zkey.url);
    expect(out.zkey.length).toBe(def!.zkey.bytes);
    expect(Buffer.from(out.zkey).equals(onDisk)).toBe(true);
    expect(sha(out.wasm)).toBe(def!.wasm.sha256);
    expect(out.vkey).toMatchObject({ protocol: "groth16", nPublic: 8 });
  });
});
