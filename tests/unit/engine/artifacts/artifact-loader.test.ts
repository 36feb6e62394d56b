import "fake-indexeddb/auto";
import { createStore, keys as rawKeys, set as rawSet } from "idb-keyval";
import { describe, expect, it } from "vitest";
import { createArtifactLoader } from "../../../../src/lib/proof/engine/artifacts/artifact-loader.js";
import type { FetchLike } from "../../../../src/lib/proof/engine/artifacts/artifact-fetch.js";
import { createIndexedDbArtifactStore, createMemoryArtifactStore, type ArtifactStore } from "../../../../src/lib/proof/engine/artifacts/artifact-store.js";
import type { ArtifactProgress } from "../../../../src/lib/proof/engine/types.js";
import { CancelledError, IntegrityError, NetworkError, TimeoutError, type ProofError } from "../../../../src/lib/proof/core/errors.js";
import { bytesOf, fakeFetch, refFor, routesFor, testCircuit } from "./artifact-fixtures.js";

let n = 0;
const freshDb = () => `loader-test-${++n}-${Math.random().toString(36).slice(2)}`;

function byArtifact(events: ArtifactProgress[], artifact: string) {
  return events.filter((e) => e.artifact === artifact);
}

function expectMonotonicToTotal(events: ArtifactProgress[], total: number) {
  expect(events.length).toBeGreaterThan(0);
  for (let i = 1; i < events.length; i++) expect(events[i]!.loadedBytes).toBeGreaterThanOrEqual(events[i - 1]!.loadedBytes);
  const last = events.at(-1)!;
  expect(last.loadedBytes).toBe(total);
  expect(last.totalBytes).toBe(total);
}

describe("createArtifactLoader", () => {
  it("a pinned vkey that is not JSON (its SHA-256 matches) is ARTIFACT_INVALID, not a validation error", async () => {
    const t = testCircuit();
    for (const text of ["{ not json", "[1, 2]"]) {
      const vkey = new TextEncoder().encode(text);
      const circuit = { ...t.circuit, vkey: refFor(t.circuit.vkey.url, vkey) };
      const loader = createArtifactLoader({ fetch: fakeFetch({ ...routesFor(t), [t.circuit.vkey.url]: [vkey] }), store: null });
      const err = (await loader.load(circuit).catch((e: unknown) => e)) as ProofError;
      expect([err.code, err.details]).toEqual(["ARTIFACT_INVALID", { circuitId: "c1", artifact: "vkey" }]);
    }
  });

  it("downloads, verifies and reports monotonic byte progress per artifact", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t), { chunk: 1000 });
    const loader = createArtifactLoader({ fetch, store: null });
    const events: ArtifactProgress[] = [];
    const out = await loader.load(t.circuit, { onProgress: (p) => events.push(p) });
    expect(out.wasm).toEqual(t.wasm);
    expect(out.zkey).toEqual(t.zkey);
    expect(out.vkey).toEqual(t.vkeyJson);
    expect(out.circuitId).toBe("c1");
    expect(out.networkBytes).toBe(t.wasm.length + t.zkey.length + t.vkey.length);
    expect(fetch.calls.length).toBe(3);
    const zk = byArtifact(events, "zkey");
    expect(zk.length).toBeGreaterThanOrEqual(10);
    expectMonotonicToTotal(zk, 10_000);
    expect(zk.every((e) => e.source === "network" && e.circuitId === "c1")).toBe(true);
    expectMonotonicToTotal(byArtifact(events, "wasm"), 3000);
  });

  it("hands each artifact to onVerified once checked, before the others are in; a throwing listener changes nothing", async () => {
    const t = testCircuit();
    const served = fakeFetch(routesFor(t));
    let releaseZkey: () => void = () => undefined;
    const zkeyHeld = new Promise<void>((resolve) => (releaseZkey = resolve));
    // The zkey's download waits until the test lets it go.
    const fetch = Object.assign(async (url: string, init?: RequestInit) => (url === t.circuit.zkey.url && (await zkeyHeld), served(url, init)), { calls: served.calls, countFor: served.countFor });
    const loader = createArtifactLoader({ fetch, store: null });
    const verified: Array<[string, Uint8Array]> = [];
    // Waits for both artifacts that are not held back, whichever order their checks finish in.
    let othersSeen: () => void = () => undefined;
    const othersVerified = new Promise<void>((resolve) => (othersSeen = resolve));
    const loading = loader.load(t.circuit, {
      onVerified: (artifact, bytes) => {
        verified.push([artifact, bytes]);
        if (verified.filter(([a]) => a !== "zkey").length === 2) othersSeen();
        throw new Error("a listener's own failure");
      },
    });
    await othersVerified;
    expect(verified.map(([a]) => a).sort()).toEqual(["vkey", "wasm"]); // the zkey is still held back
    releaseZkey();
    const out = await loading;
    expect(verified.map(([a]) => a).sort()).toEqual(["vkey", "wasm", "zkey"]);
    // The very bytes the load returns.
    expect(verified.find(([a]) => a === "wasm")![1]).toBe(out.wasm);
    expect(verified.find(([a]) => a === "zkey")![1]).toBe(out.zkey);
  });

  it("never hands onVerified bytes that failed their pin", async () => {
    const t = testCircuit();
    const bad = t.wasm.slice();
    bad[0]! ^= 1;
    const loader = createArtifactLoader({ fetch: fakeFetch({ ...routesFor(t), [t.circuit.wasm.url]: [bad] }), store: null });
    const verified: string[] = [];
    await expect(loader.load(t.circuit, { onVerified: (artifact) => void verified.push(artifact) })).rejects.toBeInstanceOf(IntegrityError);
    expect(verified).not.toContain("wasm");
  });

  it("makes zero network requests on a second load (memory)", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: null });
    await loader.load(t.circuit);
    const events: ArtifactProgress[] = [];
    const again = await loader.load(t.circuit, { onProgress: (p) => events.push(p) });
    expect(fetch.calls.length).toBe(3);
    expect(again.networkBytes).toBe(0);
    expect(again.zkey).toEqual(t.zkey);
    expect(events.map((e) => e.source)).toEqual(["memory", "memory", "memory"]);
    expect(loader.stats().memoryHits).toBe(3);
  });

  it("hands over artifacts above handOverAboveBytes: not kept in memory, read again from the store", async () => {
    const t = testCircuit("handed", { wasm: 500, zkey: 9000 });
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: createMemoryArtifactStore(), handOverAboveBytes: 8999, exclusive: null });
    const first = await loader.load(t.circuit);
    // Already stored when handed over: the caller may detach it at once.
    structuredClone(first.zkey.buffer, { transfer: [first.zkey.buffer] });
    expect(loader.stats().memoryBytes).toBe(500 + t.vkey.byteLength); // the zkey is the caller's alone
    const again = await loader.load(t.circuit);
    expect(again.zkey).toEqual(t.zkey);
    expect(again.wasm).toBe(first.wasm);
    expect(fetch.calls.length).toBe(3);
    expect(loader.stats()).toMatchObject({ memoryHits: 2, storageHits: 1 });
  });

  it("makes zero network requests from a fresh loader sharing the IndexedDB store", async () => {
    const t = testCircuit();
    const dbName = freshDb();
    const fetch = fakeFetch(routesFor(t));
    const first = createArtifactLoader({ fetch, store: createIndexedDbArtifactStore({ dbName }) });
    await first.load(t.circuit);
    await first.flush();
    const fetch2 = fakeFetch(routesFor(t));
    const second = createArtifactLoader({ fetch: fetch2, store: createIndexedDbArtifactStore({ dbName }) });
    const events: ArtifactProgress[] = [];
    const out = await second.load(t.circuit, { onProgress: (p) => events.push(p) });
    expect(fetch2.calls.length).toBe(0);
    expect(out.networkBytes).toBe(0);
    expect(out.zkey).toEqual(t.zkey);
    expect(out.vkey).toEqual(t.vkeyJson);
    expect(new Set(events.map((e) => e.source))).toEqual(new Set(["storage"]));
    expect(second.stats().storageHits).toBe(3);
  });

  it("two loaders under one lock (a pool's workers) download each artifact once and share the stored copy", async () => {
    const t = testCircuit();
    const store = createMemoryArtifactStore();
    // An in-process stand-in for the origin-wide Web Lock: one holder per name at a time.
    const held = new Map<string, Promise<unknown>>();
    const exclusive = <T,>(name: string, _signal: AbortSignal, fn: () => Promise<T>): Promise<T> => {
      const run = (held.get(name) ?? Promise.resolve()).catch(() => undefined).then(fn);
      held.set(name, run);
      return run;
    };
    const fetch = fakeFetch(routesFor(t));
    const a = createArtifactLoader({ fetch, store, exclusive });
    const b = createArtifactLoader({ fetch, store, exclusive });
    const [ra, rb] = await Promise.all([a.load(t.circuit), b.load(t.circuit)]);
    expect(fetch.calls.length).toBe(3);
    expect(ra.zkey).toEqual(t.zkey);
    expect(rb.zkey).toEqual(t.zkey);
    expect(a.stats().networkRequests + b.stats().networkRequests).toBe(3);
    expect(a.stats().storageHits + b.stats().storageHits).toBe(3);

    // Without the lock both download everything: the lock is what makes the difference.
    const fetch2 = fakeFetch(routesFor(t));
    const store2 = createMemoryArtifactStore();
    await Promise.all([createArtifactLoader({ fetch: fetch2, store: store2, exclusive: null }).load(t.circuit), createArtifactLoader({ fetch: fetch2, store: store2, exclusive: null }).load(t.circuit)]);
    expect(fetch2.calls.length).toBe(6);
  });

  it("round-trips a zkey larger than the chunk size through the store", async () => {
    const t = testCircuit("big", { wasm: 500, zkey: 50_000 });
    const dbName = freshDb();
    const first = createArtifactLoader({ fetch: fakeFetch(routesFor(t)), store: createIndexedDbArtifactStore({ dbName, chunkBytes: 4096 }) });
    await first.load(t.circuit);
    await first.flush();
    const all = await rawKeys<string>(createStore(dbName, "artifacts"));
    expect(all.filter((k) => k.startsWith(`chunk:${t.circuit.zkey.sha256}:`))).toHaveLength(13);
    const fetch2 = fakeFetch(routesFor(t));
    const out = await createArtifactLoader({ fetch: fetch2, store: createIndexedDbArtifactStore({ dbName, chunkBytes: 4096 }) }).load(t.circuit);
    expect(fetch2.calls.length).toBe(0);
    expect(out.zkey).toEqual(t.zkey);
  });

  it("re-downloads once after an integrity failure and succeeds when the refetch is good", async () => {
    const t = testCircuit();
    const bad = t.zkey.slice();
    bad[1234] = bad[1234]! ^ 1;
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.zkey.url]: [bad, t.zkey] });
    const loader = createArtifactLoader({ fetch, store: null });
    const events: ArtifactProgress[] = [];
    const out = await loader.load(t.circuit, { onProgress: (p) => events.push(p) });
    expect(out.zkey).toEqual(t.zkey);
    expect(fetch.countFor(t.circuit.zkey.url)).toBe(2);
    expect(fetch.calls.filter((c) => c.url === t.circuit.zkey.url).map((c) => c.init?.cache)).toEqual([undefined, "reload"]);
    expect(out.networkBytes).toBe(t.wasm.length + 2 * t.zkey.length + t.vkey.length);
    expectMonotonicToTotal(byArtifact(events, "zkey"), 20_000);
    expect(loader.stats().integrityFailures).toBe(1);
  });

  it("fails with IntegrityError after exactly one refetch when the bytes stay bad", async () => {
    const t = testCircuit();
    const bad = t.zkey.slice();
    bad[0] = bad[0]! ^ 0xff;
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.zkey.url]: [bad] });
    const loader = createArtifactLoader({ fetch, store: createMemoryArtifactStore() });
    const err = (await loader.load(t.circuit).catch((e) => e)) as ProofError;
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.code).toBe("ARTIFACT_INTEGRITY");
    expect(fetch.countFor(t.circuit.zkey.url)).toBe(2);
    expect(err.details).toMatchObject({
      circuitId: "c1",
      artifact: "zkey",
      expectedBytes: 10_000,
      actualBytes: 10_000,
      expectedSha256: t.circuit.zkey.sha256.slice(0, 16),
      attempts: 2,
    });
    expect(err.details.actualSha256).toMatch(/^[0-9a-f]{16}$/);
    expect(err.details.actualSha256).not.toBe(err.details.expectedSha256);
    // A later load tries again (nothing bad was cached).
    await loader.load(t.circuit).catch(() => undefined);
    expect(fetch.countFor(t.circuit.zkey.url)).toBe(4);
  });

  it("reports a wrong size", async () => {
    const t = testCircuit();
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.wasm.url]: [t.wasm.subarray(0, 2999)] });
    const err = (await createArtifactLoader({ fetch, store: null }).load(t.circuit).catch((e) => e)) as ProofError;
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.details).toMatchObject({ artifact: "wasm", expectedBytes: 3000, actualBytes: 2999 });
  });

  it("deletes a corrupted store chunk and re-downloads, repairing the store", async () => {
    const t = testCircuit("c2", { wasm: 500, zkey: 9000 });
    const dbName = freshDb();
    const mk = (fetch: FetchLike) => createArtifactLoader({ fetch, store: createIndexedDbArtifactStore({ dbName, chunkBytes: 4096 }) });
    const first = mk(fakeFetch(routesFor(t)));
    await first.load(t.circuit);
    await first.flush();
    const chunk = bytesOf(4096, 12345); // same size, wrong content
    await rawSet(`chunk:${t.circuit.zkey.sha256}:1`, chunk, createStore(dbName, "artifacts"));

    const fetch2 = fakeFetch(routesFor(t));
    const second = mk(fetch2);
    const out = await second.load(t.circuit);
    expect(out.zkey).toEqual(t.zkey);
    expect(fetch2.calls.map((c) => c.url)).toEqual([t.circuit.zkey.url]);
    expect(second.stats().corruptStoreEntries).toBe(1);
    await second.flush();

    const fetch3 = fakeFetch(routesFor(t));
    await mk(fetch3).load(t.circuit);
    expect(fetch3.calls.length).toBe(0);
  });

  it("settles with CancelledError on abort mid-download and stores nothing", async () => {
    const t = testCircuit();
    const store = createMemoryArtifactStore();
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.zkey.url]: [{ hangAfter: t.zkey.subarray(0, 4000) }, t.zkey] }, { chunk: 1000 });
    const loader = createArtifactLoader({ fetch, store });
    const ac = new AbortController();
    const p = loader.load(t.circuit, {
      signal: ac.signal,
      onProgress: (e) => {
        if (e.artifact === "zkey" && e.loadedBytes >= 2000) ac.abort();
      },
    });
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(err.code).toBe("CANCELLED");
    await loader.flush();
    expect(await store.get(t.circuit.zkey.sha256)).toBeUndefined();
    expect(loader.stats().memoryBytes).toBeLessThan(10_000);
    // The next load downloads the zkey afresh and succeeds.
    const ok = await loader.load(t.circuit);
    expect(ok.zkey).toEqual(t.zkey);
    expect(fetch.countFor(t.circuit.zkey.url)).toBe(2);
  });

  it("rejects at once with the signal's ProofError reason", async () => {
    const t = testCircuit();
    const ac = new AbortController();
    ac.abort(new TimeoutError("budget"));
    const fetch = fakeFetch(routesFor(t));
    await expect(createArtifactLoader({ fetch, store: null }).load(t.circuit, { signal: ac.signal })).rejects.toBeInstanceOf(TimeoutError);
    expect(fetch.calls.length).toBe(0);
  });

  it("loads from the network when the store throws on every call, and reports it", async () => {
    const t = testCircuit();
    const boom = () => {
      throw new DOMException("quota", "QuotaExceededError");
    };
    const broken: ArtifactStore = { get: boom, put: boom, delete: boom, clear: boom, usage: boom };
    const errors: ProofError[] = [];
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: broken, onStorageError: (e) => errors.push(e) });
    const out = await loader.load(t.circuit);
    await loader.flush();
    expect(out.zkey).toEqual(t.zkey);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === "STORAGE_ERROR")).toBe(true);
    expect(loader.stats().storageErrors).toBe(errors.length);
    expect(fetch.calls.length).toBe(3);
  });

  it("keeps working when writes fail with a rejected promise (quota)", async () => {
    const t = testCircuit();
    const store = createMemoryArtifactStore();
    const quota: ArtifactStore = { ...store, put: () => Promise.reject(new DOMException("full", "QuotaExceededError")) };
    const errors: ProofError[] = [];
    const loader = createArtifactLoader({ fetch: fakeFetch(routesFor(t)), store: quota, onStorageError: (e) => errors.push(e) });
    await loader.load(t.circuit);
    await loader.flush();
    expect(errors).toHaveLength(3);
    expect(errors[0]!.details).toMatchObject({ operation: "write", name: "QuotaExceededError", disabled: false });
  });

  it("gives up on a store read that hangs and continues from the network", async () => {
    const t = testCircuit();
    const hanging: ArtifactStore = { ...createMemoryArtifactStore(), get: () => new Promise(() => undefined) };
    const errors: ProofError[] = [];
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: hanging, storeTimeoutMs: 10, onStorageError: (e) => errors.push(e) });
    const out = await loader.load(t.circuit);
    expect(out.zkey).toEqual(t.zkey);
    expect(errors[0]!.details).toMatchObject({ operation: "read", disabled: true });
  });

  it("shares one download between concurrent loads", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t), { chunk: 500 });
    const loader = createArtifactLoader({ fetch, store: null });
    const [a, b] = await Promise.all([loader.load(t.circuit), loader.load(t.circuit)]);
    expect(fetch.calls.length).toBe(3);
    expect(a.zkey).toBe(b.zkey);
  });

  it("lets one waiter abort without cancelling the shared download for the other", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t), { chunk: 500 });
    const loader = createArtifactLoader({ fetch, store: null });
    const ac = new AbortController();
    const events: ArtifactProgress[] = [];
    const a = loader.load(t.circuit, { signal: ac.signal });
    const b = loader.load(t.circuit, { onProgress: (p) => events.push(p) });
    ac.abort();
    await expect(a).rejects.toBeInstanceOf(CancelledError);
    const out = await b;
    expect(out.zkey).toEqual(t.zkey);
    expect(fetch.calls.length).toBe(3);
    expectMonotonicToTotal(byArtifact(events, "zkey"), 10_000);
  });

  it("resolves relative URLs against baseUrl", async () => {
    const t = testCircuit("rel", undefined, "");
    const base = "https://cdn.test/circuits/";
    const fetch = fakeFetch({ [base + "rel.wasm"]: [t.wasm], [base + "rel.zkey"]: [t.zkey], [base + "rel.vkey.json"]: [t.vkey] });
    const out = await createArtifactLoader({ fetch, store: null, baseUrl: base }).load(t.circuit);
    expect(out.zkey).toEqual(t.zkey);
  });

  it("propagates HTTP failures as NetworkError without a refetch", async () => {
    const t = testCircuit();
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.zkey.url]: [{ status: 500 }] });
    const err = (await createArtifactLoader({ fetch, store: null }).load(t.circuit).catch((e) => e)) as ProofError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.details).toMatchObject({ status: 500, artifact: "zkey" });
    expect(fetch.countFor(t.circuit.zkey.url)).toBe(1);
  });

  it("a missing file (404) fails with ARTIFACT_NOT_FOUND after one request: no clean re-download", async () => {
    const t = testCircuit();
    const fetch = fakeFetch({ ...routesFor(t), [t.circuit.wasm.url]: [{ status: 404 }] });
    const err = (await createArtifactLoader({ fetch, store: null }).load(t.circuit).catch((e) => e)) as ProofError;
    expect(err.code).toBe("ARTIFACT_NOT_FOUND");
    expect(fetch.countFor(t.circuit.wasm.url)).toBe(1);
  });

  it("reloads when the caller transferred (detached) the cached buffer", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: createMemoryArtifactStore() });
    const first = await loader.load(t.circuit);
    await loader.flush();
    structuredClone(first.zkey.buffer, { transfer: [first.zkey.buffer as ArrayBuffer] });
    expect(first.zkey.byteLength).toBe(0);
    const again = await loader.load(t.circuit);
    expect(again.zkey).toEqual(t.zkey);
    expect(fetch.calls.length).toBe(3);
    expect(loader.stats().storageHits).toBe(1);
  });

  it("does not keep memory copies when memory is off", async () => {
    const t = testCircuit();
    const fetch = fakeFetch(routesFor(t));
    const loader = createArtifactLoader({ fetch, store: null, memory: false });
    await loader.load(t.circuit);
    await loader.load(t.circuit);
    expect(fetch.calls.length).toBe(6);
    expect(loader.stats().memoryBytes).toBe(0);
  });
});
