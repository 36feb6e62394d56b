import { describe, expect, it } from "vitest";
import { createArtifactLoader } from "../../../src/lib/proof/engine/artifacts/artifact-loader.js";
import { fetchArtifact } from "../../../src/lib/proof/engine/artifacts/artifact-fetch.js";
import { sha256Hex } from "../../../src/lib/proof/engine/artifacts/digest.js";
import type { CircuitDefinition } from "../../../src/lib/proof/engine/types.js";
import { createFaultyFetch } from "../../../src/lib/proof/testing/faulty-fetch.js";

const bytes = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

/** A fetch over in-memory files that streams in 1 KiB chunks, with content-length. */
function memoryFetch(files: Record<string, Uint8Array>) {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    const body = files[url];
    if (!body) return new Response(null, { status: 404 });
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < body.length; i += 1024) c.enqueue(body.slice(i, i + 1024));
        c.close();
      },
    });
    return new Response(stream, { headers: { "content-length": String(body.length) } });
  };
  return { fetch, calls };
}

describe("createFaultyFetch", () => {
  it("network-drop: the body stream errors after about half the bytes (a real stream error)", async () => {
    const data = bytes(10_000);
    const { fetch } = memoryFetch({ "http://x/a.zkey": data });
    const faulty = createFaultyFetch({ kind: "network-drop", seed: 1 }, fetch);
    const res = await faulty("http://x/a.zkey");
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let got = 0;
    let error: unknown;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        got += value.byteLength;
      }
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypeError);
    expect(got).toBe(5000);
  });

  it("network-drop through the loader's download: NETWORK_ERROR after partial progress", async () => {
    const data = bytes(8192);
    const { fetch } = memoryFetch({ "http://x/a.zkey": data });
    const faulty = createFaultyFetch({ kind: "network-drop", artifact: "zkey", nth: 1, seed: 1 }, fetch);
    const progress: number[] = [];
    const err = await fetchArtifact("http://x/a.zkey", { fetch: faulty, circuitId: "c", artifact: "zkey", expectedBytes: data.length, onBytes: (n) => progress.push(n) }).catch((e) => e);
    expect(err.code).toBe("NETWORK_ERROR");
    expect(Math.max(...progress)).toBe(4096);
    // nth: 1 → the second download is clean
    const ok = await fetchArtifact("http://x/a.zkey", { fetch: faulty, circuitId: "c", artifact: "zkey", expectedBytes: data.length });
    expect(ok).toEqual(data);
    expect(faulty.schedule.injected).toHaveLength(1);
  });

  it("corrupt: full length, exactly one byte differs, at a seeded position", async () => {
    const data = bytes(5000);
    const { fetch } = memoryFetch({ "http://x/a.wasm": data });
    const read = async (seed: number) => new Uint8Array(await (await createFaultyFetch({ kind: "corrupt", seed }, fetch)("http://x/a.wasm")).arrayBuffer());
    const a = await read(5);
    expect(a.length).toBe(data.length);
    const diff = [...a].flatMap((b, i) => (b !== data[i] ? [i] : []));
    expect(diff).toHaveLength(1);
    expect((await read(5))[diff[0]!]).toBe(a[diff[0]!]); // same seed, same position
  });

  it("corrupt through the artifact loader: one-off is re-downloaded clean, persistent → ARTIFACT_INTEGRITY", async () => {
    const wasm = bytes(3000, 2);
    const zkey = bytes(9000, 3);
    const vkey = new TextEncoder().encode('{"protocol":"groth16"}');
    const ref = async (name: string, b: Uint8Array) => ({ url: `http://x/${name}`, bytes: b.length, sha256: await sha256Hex(b) });
    const circuit: CircuitDefinition = { id: "c", wasm: await ref("c.wasm", wasm), zkey: await ref("c.zkey", zkey), vkey: await ref("c.vkey.json", vkey) } as CircuitDefinition;
    const { fetch, calls } = memoryFetch({ "http://x/c.wasm": wasm, "http://x/c.zkey": zkey, "http://x/c.vkey.json": vkey });
    const once = createArtifactLoader({ store: null, fetch: createFaultyFetch({ kind: "corrupt", artifact: "zkey", nth: 1, seed: 9 }, fetch) });
    const loaded = await once.load(circuit);
    expect(loaded.zkey).toEqual(zkey);
    expect(once.stats().integrityFailures).toBe(1);
    expect(calls.filter((u) => u.endsWith(".zkey"))).toHaveLength(2);
    const always = createArtifactLoader({ store: null, fetch: createFaultyFetch({ kind: "corrupt", artifact: "zkey", seed: 9 }, fetch) });
    await expect(always.load(circuit)).rejects.toMatchObject({ code: "ARTIFACT_INTEGRITY" });
  });

  it("non-matching requests and error responses pass through untouched", async () => {
    const data = bytes(100);
    const { fetch } = memoryFetch({ "http://x/a.wasm": data });
    const faulty = createFaultyFetch({ kind: "corrupt", artifact: "zkey", seed: 1 }, fetch);
    expect(new Uint8Array(await (await faulty("http://x/a.wasm")).arrayBuffer())).toEqual(data);
    expect((await faulty("http://x/missing.zkey")).status).toBe(404);
  });
});
