import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { budgetRefusal, holdCircuit, HeldZkey, loadPinnedCircuit } from "../../../src/lib/proof/worker/held-circuits.js";
import type { ArtifactSource, CircuitDefinition, LoadOptions } from "../../../src/lib/proof/engine/types.js";

const realZkey = () => new Uint8Array(readFileSync("circuits/build/ebsl-16/ebsl-16.zkey"));

describe("HeldZkey", () => {
  it("keeps bytes that cannot be read again, and bytes at or under the release size", async () => {
    const bytes = new Uint8Array(100).fill(7);
    const kept = new HeldZkey(bytes);
    kept.release();
    expect(kept.held).toBe(true);
    expect(await kept.bytes()).toBe(bytes);
    let reads = 0;
    const small = new HeldZkey(bytes, async () => (reads++, bytes.slice()), 100);
    small.release();
    expect(small.held).toBe(true);
    expect(await small.bytes()).toBe(bytes);
    expect(reads).toBe(0);
  });

  it("lets big bytes go once released and reads them again on demand; it is its own stable key", async () => {
    const bytes = new Uint8Array(1000).fill(3);
    const copy = bytes.slice();
    let reads = 0;
    const zkey = new HeldZkey(bytes, async () => (reads++, copy), 999);
    expect(zkey.key).toBe(zkey);
    expect(await zkey.bytes()).toBe(bytes);
    zkey.release();
    expect(zkey.held).toBe(false);
    expect(zkey.byteLength).toBe(1000);
    // Where ArrayBuffer.prototype.transfer exists (Chromium, Node 21+) the buffer is detached at once.
    const canDetach = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === "function";
    expect(bytes.byteLength).toBe(canDetach ? 0 : 1000);
    expect(await zkey.bytes()).toBe(copy);
    expect(await zkey.bytes()).toBe(copy);
    expect(reads).toBe(2); // not cached: each rare use reads again and lets go after
    expect(zkey.key).toBe(zkey);
  });

  it("reads bytes someone else detached again instead of handing out an empty buffer", async () => {
    const bytes = new Uint8Array(64).fill(1);
    const zkey = new HeldZkey(bytes, async () => new Uint8Array(64).fill(1));
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    expect(bytes.byteLength).toBe(0);
    expect(zkey.held).toBe(false);
    expect((await zkey.bytes()).byteLength).toBe(64);
    const stuck = new HeldZkey(new Uint8Array(8));
    const b = await stuck.bytes();
    structuredClone(b.buffer, { transfer: [b.buffer] });
    await expect(stuck.bytes()).rejects.toThrow(/detached/);
  });
});

describe("holdCircuit and budgetRefusal", () => {
  it("sizes a real zkey from its header and refuses it over budget before anything is decoded", () => {
    const held = holdCircuit("ebsl-16", new Uint8Array(1000), realZkey());
    expect(held.neededBytes).toBeGreaterThan(12e6);
    expect(budgetRefusal(held, undefined)).toBeUndefined();
    expect(budgetRefusal(held, 100_000)).toBeUndefined();
    expect(budgetRefusal(held, 1)).toMatchObject({ code: "RESOURCE_EXHAUSTED", details: { circuitId: "ebsl-16" } });
  });

  it("lets bytes that are not a zkey pass (the prover reports them itself)", () => {
    const held = holdCircuit("x", new Uint8Array(1), new Uint8Array(5));
    expect(held.neededBytes).toBeUndefined();
    expect(budgetRefusal(held, 1)).toBeUndefined();
    expect(held.zkey.held).toBe(true);
  });
});

describe("loadPinnedCircuit", () => {
  const ref = (url: string) => ({ url, bytes: 1, sha256: "0".repeat(64) });
  const circuit: CircuitDefinition = { id: "c", wasm: ref("c.wasm"), zkey: ref("c.zkey"), vkey: ref("c.vkey") };

  it("hands over the circuit's wasm as soon as the source checked it, before the zkey, and only the wasm", async () => {
    const wasm = new Uint8Array([1, 2, 3]);
    const zkey = new Uint8Array([4, 5]);
    const seen: Uint8Array[] = [];
    let atWasm = -1;
    const source: ArtifactSource = {
      async load(_c, opts: LoadOptions = {}) {
        opts.onVerified?.("vkey", new Uint8Array([9]));
        opts.onVerified?.("wasm", wasm);
        atWasm = seen.length; // what the caller had when the wasm was handed over, zkey not yet checked
        await Promise.resolve();
        opts.onVerified?.("zkey", zkey);
        return { circuitId: "c", wasm, zkey, vkey: {}, networkBytes: 0 };
      },
    };
    const { held } = await loadPinnedCircuit(source, circuit, () => undefined, undefined, (w) => void seen.push(w));
    expect(atWasm).toBe(1);
    expect(seen).toEqual([wasm]);
    expect(seen[0]).toBe(held.wasm);
  });

  it("re-reads the zkey later without handing the wasm over again", async () => {
    let loads = 0;
    const source: ArtifactSource = {
      async load(_c, opts: LoadOptions = {}) {
        loads += 1;
        const wasm = new Uint8Array([1]);
        opts.onVerified?.("wasm", wasm);
        return { circuitId: "c", wasm, zkey: new Uint8Array(20), vkey: {}, networkBytes: 0 };
      },
    };
    let handed = 0;
    const { held } = await loadPinnedCircuit(source, circuit, () => undefined, 10, () => void (handed += 1));
    held.zkey.release();
    expect((await held.zkey.bytes()).byteLength).toBe(20);
    expect([loads, handed]).toEqual([2, 1]);
  });
});
