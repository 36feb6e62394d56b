/**
 * A big zkey's bytes let go once decoded (worker/held-circuits.ts), against the reference path
 * that keeps them (bytes handed in through `load`): the same proof bytes for the same blinding
 * scalars, and through a real prover worker core the same verdict, with the file read again
 * from the artifact source only on the rare paths that need it.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createBn254Proving } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { zkeyRef } from "../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { HeldZkey } from "../../src/lib/proof/worker/held-circuits.js";
import { createProverCore } from "../../src/lib/proof/worker/prover-core.js";
import type { ArtifactSource, CircuitDefinition } from "../../src/lib/proof/engine/types.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";

const dir = new URL("../../circuits/build/ebsl-16/", import.meta.url).pathname;
const file = (name: string) => new Uint8Array(readFileSync(`${dir}${name}`));
const vkey = JSON.parse(readFileSync(`${dir}ebsl-16.vkey.json`, "utf8")) as Record<string, unknown>;
const pin = { url: "unused", bytes: 0, sha256: "" };
const circuit: CircuitDefinition = { id: "ebsl-16", wasm: pin, zkey: pin, vkey: pin };

describe("a zkey released after its decode", () => {
  it("proves the same bytes as the kept zkey for the same blinding scalars, reading the file once", async () => {
    const wtns = await witness(`${dir}ebsl-16.wasm`, ebslInput(16, 16));
    const reference = await createBn254Proving({ random: seededBytes(11) }).prove(zkeyRef(file("ebsl-16.zkey")), wtns);
    let reads = 0;
    const released = new HeldZkey(file("ebsl-16.zkey"), async () => (reads++, file("ebsl-16.zkey")), 0);
    released.release();
    expect(released.held).toBe(false);
    const proving = createBn254Proving({ random: seededBytes(11) });
    const streamed = await proving.prove(released, wtns);
    expect(streamed).toEqual(reference);
    await proving.prove(released, wtns); // warm: the decoded copy, no second read
    expect(reads).toBe(1);
  }, 120_000);

  it("a prover worker core lets a pinned zkey go once decoded and proves and verifies as the kept path does", async () => {
    // Detaching is how the bytes go where the platform can (Chromium, Node 21+); Node 20 gets a stand-in.
    const proto = ArrayBuffer.prototype as { transfer?: (length?: number) => ArrayBuffer };
    const native = proto.transfer;
    proto.transfer ??= function (this: ArrayBuffer, length = 0) {
      structuredClone(this, { transfer: [this] });
      return new ArrayBuffer(length);
    };
    try {
      const handed: Uint8Array[] = [];
      const source: ArtifactSource = {
        load: async () => {
          handed.push(file("ebsl-16.zkey"));
          return { circuitId: circuit.id, wasm: file("ebsl-16.wasm"), zkey: handed.at(-1)!, vkey, networkBytes: 0 };
        },
      };
      const pinned = createProverCore({ nestedThreadsSupported: false, artifacts: () => source, releaseZkeysAboveBytes: 0 });
      const kept = createProverCore({ nestedThreadsSupported: false });
      const input = ebslInput(16, 16) as never;
      for (const core of [pinned, kept]) expect(await core.init({ threads: "single", backend: "bn254" })).toMatchObject({ ok: true });
      expect(await pinned.loadPinned!(circuit)).toMatchObject({ ok: true });
      const keptZkey = file("ebsl-16.zkey");
      expect(await kept.load(circuit.id, file("ebsl-16.wasm"), keptZkey)).toMatchObject({ ok: true });
      const verdict = async (core: typeof pinned) => {
        const proof = await core.prove(circuit.id, input);
        if (!proof.ok) throw new Error(proof.error.message);
        const checked = await core.verify(vkey, proof.value.publicSignals, proof.value.proof);
        return { publicSignals: proof.value.publicSignals, valid: checked.ok && checked.value.valid };
      };
      const reference = await verdict(kept);
      expect(reference.valid).toBe(true);
      expect(keptZkey.byteLength).toBeGreaterThan(0); // bytes handed in through load() are kept
      expect(handed[0]!.byteLength).toBeGreaterThan(0);
      expect(await verdict(pinned)).toEqual(reference);
      expect(handed[0]!.byteLength).toBe(0); // let go: detached
      // Later proofs and a warm-up's rehearsal run on the decoded copy: the file is not read again.
      expect(await pinned.warm!(circuit.id, { vkey })).toMatchObject({ ok: true });
      expect(await verdict(pinned)).toEqual(reference);
      expect(handed).toHaveLength(1);
    } finally {
      if (native) proto.transfer = native;
      else delete proto.transfer;
    }
  }, 180_000);
});
