import "fake-indexeddb/auto";
import { createStore, get as rawGet, keys as rawKeys, set as rawSet } from "idb-keyval";
import { describe, expect, it, vi } from "vitest";
import { createIndexedDbArtifactStore, createMemoryArtifactStore, DEFAULT_CHUNK_BYTES, DEFAULT_READ_AHEAD, splitChunks } from "../../../../src/lib/proof/engine/artifacts/artifact-store.js";
import { bytesOf, hexOf } from "./artifact-fixtures.js";

let n = 0;
const freshDb = () => `proofline-artifacts-test-${++n}-${Math.random().toString(36).slice(2)}`;

describe("IndexedDB artifact store", () => {
  it("round-trips a small artifact in one chunk", async () => {
    const store = createIndexedDbArtifactStore({ dbName: freshDb() });
    const data = bytesOf(1000);
    const key = hexOf(data);
    expect(await store.get(key)).toBeUndefined();
    await store.put(key, data);
    expect(await store.get(key)).toEqual(data);
    expect(await store.usage()).toEqual({ artifacts: 1, bytes: 1000 });
  });

  it("splits a file larger than the chunk size and reassembles it", async () => {
    const dbName = freshDb();
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 1024 });
    const data = bytesOf(5000, 5);
    const key = hexOf(data);
    await store.put(key, data);
    const raw = createStore(dbName, "artifacts");
    const all = (await rawKeys<string>(raw)).sort();
    expect(all).toEqual([0, 1, 2, 3, 4].map((i) => `chunk:${key}:${i}`).concat(`meta:${key}`).sort());
    const chunk0 = (await rawGet(`chunk:${key}:0`, raw)) as Uint8Array;
    // Each chunk is stored as its own small buffer, not the whole underlying file.
    expect(chunk0.byteLength).toBe(1024);
    expect(chunk0.buffer.byteLength).toBe(1024);
    const last = (await rawGet(`chunk:${key}:4`, raw)) as Uint8Array;
    expect(last.byteLength).toBe(5000 - 4 * 1024);
    const back = await createIndexedDbArtifactStore({ dbName, chunkBytes: 1024 }).get(key);
    expect(back).toEqual(data);
  });

  it("a caller that keeps its bytes gets chunks copied as they are written (not all up front), stored and read back the same", async () => {
    const dbName = freshDb();
    const data = bytesOf(5000, 7);
    const key = hexOf(data);
    let copies = 0;
    const counting = new Proxy(data, {
      get(target, prop) {
        if (prop === "slice") return (...a: [number, number]) => (copies++, target.slice(...a));
        const v = Reflect.get(target, prop, target) as unknown;
        return typeof v === "function" ? (v as (...x: unknown[]) => unknown).bind(target) : v;
      },
    });
    const pauses: number[] = [];
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 1024, callerKeepsBytes: true, yield: async () => void pauses.push(copies) });
    const writing = store.put(key, counting);
    // Nothing copied before the write starts; one more chunk at each step.
    expect(copies).toBe(0);
    await writing;
    expect(copies).toBe(5);
    expect(pauses).toEqual([1, 2, 3, 4]);
    expect(await createIndexedDbArtifactStore({ dbName, chunkBytes: 1024 }).get(key)).toEqual(data);
    // Without the promise every chunk is copied before put returns (the caller may transfer the bytes next).
    copies = 0;
    void createIndexedDbArtifactStore({ dbName: freshDb(), chunkBytes: 1024 }).put(key, counting);
    expect(copies).toBe(5);
  });

  it("uses its own database and object store names by default", async () => {
    const store = createIndexedDbArtifactStore();
    const data = bytesOf(64);
    await store.put(hexOf(data), data);
    const raw = createStore("proofline-artifacts", "artifacts");
    expect(await rawGet(`meta:${hexOf(data)}`, raw)).toMatchObject({ v: 1, bytes: 64, chunks: 1 });
    await store.clear();
  });

  it("treats chunks without a meta record (an interrupted write) as absent", async () => {
    const dbName = freshDb();
    const raw = createStore(dbName, "artifacts");
    const data = bytesOf(100);
    const key = hexOf(data);
    await rawSet(`chunk:${key}:0`, data, raw);
    const store = createIndexedDbArtifactStore({ dbName });
    expect(await store.get(key)).toBeUndefined();
    expect((await store.usage()).artifacts).toBe(0);
  });

  it("treats a missing or resized chunk as absent", async () => {
    const dbName = freshDb();
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 100 });
    const data = bytesOf(350);
    const key = hexOf(data);
    await store.put(key, data);
    const raw = createStore(dbName, "artifacts");
    await rawSet(`chunk:${key}:1`, new Uint8Array(10), raw);
    expect(await store.get(key)).toBeUndefined();
  });

  it("deletes an entry with all its chunks, and clears everything", async () => {
    const dbName = freshDb();
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 100 });
    const a = bytesOf(250, 1);
    const b = bytesOf(50, 2);
    await store.put(hexOf(a), a);
    await store.put(hexOf(b), b);
    expect(await store.usage()).toEqual({ artifacts: 2, bytes: 300 });
    await store.delete(hexOf(a));
    expect(await store.get(hexOf(a))).toBeUndefined();
    expect(await rawKeys(createStore(dbName, "artifacts"))).toHaveLength(2);
    expect(await store.get(hexOf(b))).toEqual(b);
    await store.clear();
    expect(await store.usage()).toEqual({ artifacts: 0, bytes: 0 });
  });

  it("is not affected when the caller mutates or detaches its buffer after put", async () => {
    const store = createIndexedDbArtifactStore({ dbName: freshDb(), chunkBytes: 64 });
    const data = bytesOf(200);
    const copy = data.slice();
    const p = store.put(hexOf(copy), data);
    structuredClone(data.buffer, { transfer: [data.buffer] }); // detach, as a worker transfer would
    await p;
    expect(await store.get(hexOf(copy))).toEqual(copy);
  });

  it("writes and reads one chunk per task: a yield between chunks, meta written last", async () => {
    const dbName = freshDb();
    const raw = createStore(dbName, "artifacts");
    const data = bytesOf(1000, 9);
    const key = hexOf(data);
    const seen: string[][] = [];
    // Each yield records which keys exist at that moment: the write order, chunk by chunk.
    const pause = async () => {
      seen.push((await rawKeys<string>(raw)).sort());
    };
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 300, yield: pause });
    await store.put(key, data);
    expect(seen).toEqual([[`chunk:${key}:0`], [`chunk:${key}:0`, `chunk:${key}:1`], [`chunk:${key}:0`, `chunk:${key}:1`, `chunk:${key}:2`]]);
    expect((await rawKeys<string>(raw)).filter((k) => k.startsWith("meta:"))).toEqual([`meta:${key}`]);
    seen.length = 0;
    expect(await store.get(key)).toEqual(data);
    expect(seen).toHaveLength(3); // 4 chunks read back, one per task
  });

  it("keeps readAhead chunk reads in flight: the backend reads on while the reader is busy", async () => {
    const dbName = freshDb();
    const data = bytesOf(10 * 100, 11);
    const key = hexOf(data);
    await createIndexedDbArtifactStore({ dbName, chunkBytes: 100 }).put(key, data);
    const gets = vi.spyOn(IDBObjectStore.prototype, "get");
    try {
      const chunkReads = () => gets.mock.calls.filter(([k]) => String(k).startsWith("chunk:")).length;
      for (const readAhead of [1, 4]) {
        const atPauses: number[] = [];
        const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 100, readAhead, yield: async () => {
          // A timer turn: every read asked for so far has reached the object store.
          await new Promise((resolve) => setTimeout(resolve, 0));
          atPauses.push(chunkReads());
        } });
        gets.mockClear();
        expect(await store.get(key)).toEqual(data);
        // When the first chunk has been copied, readAhead more reads are already asked for.
        expect(atPauses[0]).toBe(1 + readAhead);
        expect(chunkReads()).toBe(10); // each chunk read once
      }
    } finally {
      gets.mockRestore();
    }
    expect(DEFAULT_READ_AHEAD).toBe(8);
    expect(() => createIndexedDbArtifactStore({ readAhead: 0 })).toThrow(RangeError);
  });

  it("chunks are 1 MiB by default, and entries written with another chunk size read back", async () => {
    expect(DEFAULT_CHUNK_BYTES).toBe(1024 * 1024);
    const dbName = freshDb();
    const data = bytesOf(5000, 4);
    await createIndexedDbArtifactStore({ dbName, chunkBytes: 4096 }).put(hexOf(data), data);
    expect(await createIndexedDbArtifactStore({ dbName, chunkBytes: 700 }).get(hexOf(data))).toEqual(data);
    expect(await createIndexedDbArtifactStore({ dbName }).get(hexOf(data))).toEqual(data);
  });

  it("treats a chunk longer than the meta size as absent", async () => {
    const dbName = freshDb();
    const store = createIndexedDbArtifactStore({ dbName, chunkBytes: 100 });
    const data = bytesOf(250);
    const key = hexOf(data);
    await store.put(key, data);
    await rawSet(`chunk:${key}:2`, new Uint8Array(120), createStore(dbName, "artifacts"));
    expect(await store.get(key)).toBeUndefined();
  });

  it("rejects a bad chunk size", () => {
    expect(() => createIndexedDbArtifactStore({ chunkBytes: 0 })).toThrow(RangeError);
  });
});

describe("splitChunks", () => {
  it("covers every byte exactly once", () => {
    const data = bytesOf(1000);
    const parts = splitChunks(data, 300);
    expect(parts.map((p) => p.byteLength)).toEqual([300, 300, 300, 100]);
    const joined = new Uint8Array(1000);
    let o = 0;
    for (const p of parts) {
      joined.set(p, o);
      o += p.byteLength;
    }
    expect(joined).toEqual(data);
    expect(splitChunks(new Uint8Array(0), 10)).toEqual([]);
  });
});

describe("memory artifact store", () => {
  it("stores copies", async () => {
    const store = createMemoryArtifactStore();
    const data = bytesOf(10);
    await store.put("k", data);
    data[0] = data[0]! ^ 0xff;
    expect((await store.get("k"))![0]).not.toBe(data[0]);
    expect(await store.usage()).toEqual({ artifacts: 1, bytes: 10 });
  });
});
