import { describe, expect, it } from "vitest";
import { createArtifactLoader } from "../../../src/lib/proof/engine/artifacts/artifact-loader.js";
import { createMemoryArtifactStore } from "../../../src/lib/proof/engine/artifacts/artifact-store.js";
import { sha256Hex } from "../../../src/lib/proof/engine/artifacts/digest.js";
import type { CircuitDefinition } from "../../../src/lib/proof/engine/types.js";
import type { ProofError } from "../../../src/lib/proof/core/errors.js";

type StorageError = ProofError<"STORAGE_ERROR">;
import { createFaultyStore } from "../../../src/lib/proof/testing/faulty-store.js";

async function fixture() {
  const files: Record<string, Uint8Array> = {
    "http://x/c.wasm": new Uint8Array([1, 2, 3]),
    "http://x/c.zkey": new Uint8Array([4, 5, 6, 7]),
    "http://x/c.vkey.json": new TextEncoder().encode("{}"),
  };
  const ref = async (url: string) => ({ url, bytes: files[url]!.length, sha256: await sha256Hex(files[url]!) });
  const circuit = { id: "c", wasm: await ref("http://x/c.wasm"), zkey: await ref("http://x/c.zkey"), vkey: await ref("http://x/c.vkey.json") } as CircuitDefinition;
  let requests = 0;
  const fetch = async (url: string) => {
    requests++;
    return new Response(files[url]!.slice());
  };
  return { circuit, fetch, requests: () => requests };
}

describe("createFaultyStore", () => {
  it("storage-unavailable: every call rejects with an InvalidStateError DOMException", async () => {
    const store = createFaultyStore({ kind: "storage-unavailable", seed: 1 });
    for (const call of [() => store.get("a"), () => store.put("a", new Uint8Array(1)), () => store.delete("a"), () => store.clear(), () => store.usage()]) {
      const e = await call().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DOMException);
      expect((e as DOMException).name).toBe("InvalidStateError");
    }
  });

  it("storage-full: writes reject with QuotaExceededError, reads still work; nth counts writes only", async () => {
    const inner = createMemoryArtifactStore();
    await inner.put("k", new Uint8Array([9]));
    const store = createFaultyStore({ kind: "storage-full", nth: 2, seed: 1 }, inner);
    expect(await store.get("k")).toEqual(new Uint8Array([9]));
    await store.put("a", new Uint8Array(1)); // write 1: fine
    const e = await store.put("b", new Uint8Array(1)).catch((x: unknown) => x); // write 2: full
    expect((e as DOMException).name).toBe("QuotaExceededError");
    expect(await inner.get("b")).toBeUndefined();
    expect(store.schedule.counts()).toEqual({ "storage-full": 1 });
  });

  it("the loader degrades: unavailable store → network, one typed STORAGE_ERROR, store disabled", async () => {
    const { circuit, fetch, requests } = await fixture();
    const errors: StorageError[] = [];
    const loader = createArtifactLoader({ store: createFaultyStore({ kind: "storage-unavailable", seed: 1 }), fetch, onStorageError: (e) => errors.push(e) });
    const loaded = await loader.load(circuit);
    expect(loaded.zkey).toEqual(new Uint8Array([4, 5, 6, 7]));
    expect(requests()).toBe(3);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === "STORAGE_ERROR" && e.details["name"] === "InvalidStateError")).toBe(true);
  });

  it("the loader degrades: full store → loads succeed, QuotaExceededError reported per write", async () => {
    const { circuit, fetch } = await fixture();
    const errors: StorageError[] = [];
    const loader = createArtifactLoader({ store: createFaultyStore({ kind: "storage-full", seed: 1 }), fetch, onStorageError: (e) => errors.push(e) });
    await loader.load(circuit);
    await loader.flush();
    expect(errors.map((e) => e.details["name"])).toEqual(["QuotaExceededError", "QuotaExceededError", "QuotaExceededError"]);
    expect(loader.stats().storageErrors).toBe(3);
  });
});
