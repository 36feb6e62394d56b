// @vitest-environment node
// Many cores without many copies. Split bn254 proofs on 2, 4, 8 and 16 threads equal the
// single-thread proof byte for byte (same seeded r, s), and a prover worker on a simulated
// 16-core machine starts no helper before a proof granted more than one thread needs it, and
// stops them when the pool hands its one helper set to another worker (worker-pool.test.ts
// covers the pool's side: which worker holds the set).
// The helpers here are the real helper service (slice-helper-service.ts) on in-process
// channels that clone every message as postMessage would: the split's arithmetic and protocol
// are the real ones, and a 2-core machine runs sixteen of them without sixteen isolates (the
// worker_threads path is bn254-split.test.ts).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalizeInput } from "../../src/lib/proof/engine/canonical-input.js";
import { compiledBn254Module, createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import type { SpawnedHelper } from "../../src/lib/proof/worker/bn254/split/slice-helper-client.js";
import { serveSlices } from "../../src/lib/proof/worker/bn254/split/slice-helper-service.js";
import { SliceHelperSet } from "../../src/lib/proof/worker/bn254/split/slice-helper-set.js";
import { createWarmWitness } from "../../src/lib/proof/worker/warm-witness.js";
import { createProverCore } from "../../src/lib/proof/worker/prover-core.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DIR = join(ROOT, "circuits/build/ebsl-16");
const zkeyBytes = () => new Uint8Array(readFileSync(join(DIR, "ebsl-16.zkey")));
const wasmPath = join(DIR, "ebsl-16.wasm");
const vkey = JSON.parse(readFileSync(join(DIR, "ebsl-16.vkey.json"), "utf8")) as Record<string, unknown>;

/** A message as it arrives through postMessage: a structured clone (the compiled module is shared, as browsers and Node share it). */
function cloned(m: unknown): unknown {
  const { module, ...rest } = m as { module?: WebAssembly.Module };
  return { ...structuredClone(rest), ...(module ? { module } : {}) };
}

/** Starts helpers in this thread, each the real helper service behind a cloning channel; counts them. */
function inProcessHelpers() {
  const spawned: { terminated: boolean }[] = [];
  const requests: string[] = [];
  const spawn = (): SpawnedHelper => {
    const toLead: Array<(d: unknown) => void> = [];
    const toHelper: Array<(d: unknown) => void> = [];
    const state = { terminated: false };
    spawned.push(state);
    const deliver = (listeners: Array<(d: unknown) => void>, m: unknown) => {
      const copy = cloned(m);
      setImmediate(() => !state.terminated && listeners.forEach((l) => l(copy)));
    };
    serveSlices({ postMessage: (m) => deliver(toLead, m), onMessage: (l) => void toHelper.push(l) });
    return {
      postMessage: (m) => (requests.push((m as { kind: string }).kind), deliver(toHelper, m)),
      onMessage: (l) => void toLead.push(l),
      onDeath: () => undefined,
      terminate: () => void (state.terminated = true),
    };
  };
  return { spawn, spawned, requests, live: () => spawned.filter((s) => !s.terminated).length };
}

const sets: SliceHelperSet[] = [];
afterAll(() => sets.forEach((s) => s.dispose()));

describe("split bn254 proofs on many threads", () => {
  it("on 2, 4, 8 and 16 threads a split proof equals the single-thread proof for the same r, s, and verifies", async () => {
    const zkey = zkeyBytes();
    const wtns = await witness(wasmPath, ebslInput(16, 16));
    const expected = await (await createGroth16Prover(zkey, { random: seededBytes(7) })).prove(wtns);
    expect(await snarkjs.groth16.verify(vkey, expected.publicSignals, expected.proof)).toBe(true);
    for (const threads of [2, 4, 8, 16]) {
      const h = inProcessHelpers();
      const set = new SliceHelperSet({ spawn: h.spawn, module: compiledBn254Module, random: seededBytes(7) });
      sets.push(set);
      const split = await set.get(threads - 1);
      expect(split.threads).toBe(threads);
      expect(h.spawned).toHaveLength(threads - 1);
      expect(await split.prove(zkey, wtns)).toEqual(expected);
      set.dispose();
    }
    // Positive control: another seed gives other bytes on the same split shape.
    const h = inProcessHelpers();
    const other = new SliceHelperSet({ spawn: h.spawn, module: compiledBn254Module, random: seededBytes(8) });
    sets.push(other);
    expect((await (await other.get(15)).prove(zkey, wtns)).proof).not.toEqual(expected.proof);
  });

  /** ebsl-16's witness, the single-thread prover and a split on `threads` threads, both with r, s from `seed`. */
  async function splitAndSingle(threads: number, seed: number) {
    const zkey = zkeyBytes();
    const wtns = await witness(wasmPath, ebslInput(16, 16));
    const single = await createGroth16Prover(zkey, { random: seededBytes(seed) });
    const h = inProcessHelpers();
    const set = new SliceHelperSet({ spawn: h.spawn, module: compiledBn254Module, random: seededBytes(seed) });
    sets.push(set);
    const split = await set.get(threads - 1);
    const sent = (...kinds: string[]) => h.requests.filter((k) => kinds.includes(k)).length;
    return { zkey, wtns, single, set, split, sent };
  }

  it("a witness the slices fit badly has the circuit cut anew for its shape before the next proof; the proofs stay the single-thread ones", async () => {
    // ebsl-16 on 8 threads: the first slices assume a full-width witness; its real one (63 % of
    // the values large, 16 % ones) makes the lead's witness share too large by the model.
    const { zkey, wtns, single, set, split, sent } = await splitAndSingle(8, 11);
    expect(await split.prove(zkey, wtns)).toEqual(await single.prove(wtns));
    expect([sent("load"), sent("drop")]).toEqual([7, 0]);
    // The next proof: every helper drops its old slice and loads one cut for this witness.
    expect(await split.prove(zkey, wtns)).toEqual(await single.prove(wtns));
    expect([sent("load"), sent("drop")]).toEqual([14, 7]);
    // It fits now: no more cutting.
    expect(await split.prove(zkey, wtns)).toEqual(await single.prove(wtns));
    expect(sent("load")).toBe(14);
    set.dispose();
  });

  it("a zkey whose bytes cannot be read again keeps its slices: the next proof runs on them", async () => {
    const { zkey, wtns, single, set, split, sent } = await splitAndSingle(8, 12);
    let reads = 0;
    const ref = { key: {}, bytes: () => (reads++ === 0 ? Promise.resolve(zkey) : Promise.reject(new Error("the artifact store lost it"))) };
    for (let i = 0; i < 3; i++) expect(await split.prove(ref, wtns)).toEqual(await single.prove(wtns));
    // Asked again once (the cut the first proof's witness called for), then never cut anew.
    expect(reads).toBe(2);
    expect(sent("load", "drop")).toBe(7);
    set.dispose();
  });

  it("a worker on a simulated 16-core machine starts no helper at start-up, load or one-thread proofs; the first proof granted 16 threads starts 15, kept for the next", async () => {
    const h = inProcessHelpers();
    const core = createProverCore({ nestedThreadsSupported: false, sliceHelpers: h.spawn, witness: createWarmWitness() });
    expect(await core.init({ threads: "adaptive", cores: 16, backend: "bn254" })).toMatchObject({ ok: true, value: { helpers: true } });
    expect(await core.load("ebsl-16", new Uint8Array(readFileSync(wasmPath)), zkeyBytes())).toMatchObject({ ok: true });
    const input = canonicalizeInput(ebslInput(16, 9) as never);
    const one = await core.prove("ebsl-16", input);
    expect(one).toMatchObject({ ok: true, value: { threads: 1 } });
    expect(h.spawned).toHaveLength(0);
    for (let i = 0; i < 2; i++) {
      const wide = await core.prove("ebsl-16", input, undefined, { threads: 16 });
      if (!wide.ok) throw new Error(wide.error.message);
      expect(wide.value.threads).toBe(16);
      expect(await snarkjs.groth16.verify(vkey, wide.value.publicSignals, wide.value.proof)).toBe(true);
      expect(h.spawned).toHaveLength(15);
      expect(h.live()).toBe(15);
    }
  });

  it("a warm-up for a lone proof builds the helpers and slices it will use, so that proof starts none", async () => {
    const h = inProcessHelpers();
    const core = createProverCore({ nestedThreadsSupported: false, sliceHelpers: h.spawn, witness: createWarmWitness() });
    await core.init({ threads: "adaptive", cores: 4, backend: "bn254" });
    await core.load("ebsl-16", new Uint8Array(readFileSync(wasmPath)), zkeyBytes());
    expect(h.spawned).toHaveLength(0);
    // The rehearsal proves (and verifies) a public example once, on the same helpers.
    const warmed = await core.warm?.("ebsl-16", { threads: 4, input: canonicalizeInput(ebslInput(16, 1) as never), vkey });
    expect(warmed).toMatchObject({ ok: true, value: { circuitId: "ebsl-16", threads: 4 } });
    expect(warmed?.ok && warmed.value.rehearsalMs).toBeGreaterThan(0);
    expect(h.spawned).toHaveLength(3);
    const r = await core.prove("ebsl-16", canonicalizeInput(ebslInput(16, 5) as never), undefined, { threads: 4 });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.threads).toBe(4);
    expect(await snarkjs.groth16.verify(vkey, r.value.publicSignals, r.value.proof)).toBe(true);
    expect(h.spawned).toHaveLength(3);
    // The pool moved its helper set elsewhere while a wide proof ran here: that proof ends
    // normally on its helpers, which stop after it.
    const running = core.prove("ebsl-16", canonicalizeInput(ebslInput(16, 3) as never), undefined, { threads: 4 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await core.releaseHelpers?.()).toEqual({ ok: true, value: undefined });
    const released = await running;
    if (!released.ok) throw new Error(released.error.message);
    expect(released.value.threads).toBe(4);
    expect(await snarkjs.groth16.verify(vkey, released.value.publicSignals, released.value.proof)).toBe(true);
    expect(h.live()).toBe(0);
  });
});
