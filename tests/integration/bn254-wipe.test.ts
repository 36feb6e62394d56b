// @vitest-environment node
// After a proof, and after a failed one, no copy of the witness values or of the blinding
// scalars r, s (and -rs) is left where the prover can be read: the whole wasm memory of every
// bn254 instance (arena, kept region and the C stack), and every buffer the split proof's helpers
// received. The blinding scalars come from a recording seeded source, so the test knows them;
// the witness needles are the private values with at least 8 non-zero bytes (0, 1 and small
// values occur everywhere). A positive control shows the scanner finds what it looks for.
import { readFileSync } from "node:fs";
import { MessageChannel } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { compiledBn254Module, createGroth16Prover, type ProofRun } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { randomFrScalar, readWitness, type RandomBytes } from "../../src/lib/proof/worker/bn254/prover/groth16-proof.js";
import { SliceHelperClient } from "../../src/lib/proof/worker/bn254/split/slice-helper-client.js";
import { serveSlices } from "../../src/lib/proof/worker/bn254/split/slice-helper-service.js";
import { createSplitProving } from "../../src/lib/proof/worker/bn254/split/split-prover.js";
import { BN254_R } from "../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";
import { stackBounds } from "./support/wasm-stack-bounds.js";

const SHIPPED = new URL("../../src/lib/proof/worker/bn254/bn254.wasm", import.meta.url);
const TEST_BUILD = new URL("../../native/bn254-test.wasm", import.meta.url);
const BUILD = fileURLToPath(new URL("../../circuits/build/ebsl-16/", import.meta.url));

/** Runs a proof until the phase `at` accepts, then fails it there (as a caller that gives up would). */
async function failAt(run: ProofRun, at: (step: string) => boolean): Promise<unknown> {
  for (let next = await run.next(); !next.done; next = await run.next()) if (at(next.value.step)) return run.throw(new Error("stop here"));
  throw new Error(`the proof never reached the phase to fail at`);
}

const le32 = (v: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));

/** Offsets (4-byte aligned) in `hay` where any 32-byte needle starts. */
function findAll(hay: Uint8Array, needles: readonly Uint8Array[]): number {
  const byFirst = new Map<number, Uint8Array[]>();
  for (const n of needles) {
    const k = new DataView(n.buffer, n.byteOffset).getUint32(0, true);
    byFirst.set(k, [...(byFirst.get(k) ?? []), n]);
  }
  const words = new Uint32Array(hay.buffer, hay.byteOffset, hay.byteLength >>> 2);
  let found = 0;
  for (let i = 0; i + 8 <= words.length; i++) {
    const list = byFirst.get(words[i]!);
    if (!list) continue;
    for (const n of list) if (hay.subarray(4 * i, 4 * i + 32).every((b, j) => b === n[j])) found++;
  }
  return found;
}

/** A seeded source that remembers what it gave: the prover asks 64 bytes for r, then for s. */
function recording(seed: number): { random: RandomBytes; secrets(): Uint8Array[] } {
  const base = seededBytes(seed);
  const drawn: Uint8Array[] = [];
  return {
    random: (n) => {
      const b = base(n);
      drawn.push(b.slice());
      return b;
    },
    secrets: () => {
      const out: Uint8Array[] = [];
      for (let i = 0; i + 1 < drawn.length; i += 2) {
        const r = randomFrScalar(() => drawn[i]!.slice());
        const s = randomFrScalar(() => drawn[i + 1]!.slice());
        out.push(le32(r), le32(s), le32((BN254_R - ((r * s) % BN254_R)) % BN254_R));
      }
      return out;
    },
  };
}

describe("bn254 prover memory after proofs", () => {
  const memories: WebAssembly.Memory[] = [];
  const stacks: Array<readonly [number, number]> = [];
  let zkey: Uint8Array;
  let wtns: Uint8Array;
  let needles: Uint8Array[];

  beforeAll(async () => {
    zkey = new Uint8Array(readFileSync(`${BUILD}ebsl-16.zkey`));
    wtns = await witness(`${BUILD}ebsl-16.wasm`, ebslInput(16, 11));
    const values = readWitness(wtns).values;
    needles = [];
    for (let i = 8; i < values.byteLength / 32; i++) {
      const v = values.slice(32 * i, 32 * i + 32);
      if (v.filter((b) => b !== 0).length >= 8) needles.push(v);
    }
    // The shipped module's stack, read from its bytes; the reader checked on the test build,
    // which reports its own stack's bounds.
    const { instance: test } = await WebAssembly.instantiate(readFileSync(TEST_BUILD), {});
    const bound = (test.exports as { bn_stack_bound: (which: number) => number }).bn_stack_bound;
    expect(stackBounds(readFileSync(TEST_BUILD))).toEqual([bound(0) >>> 0, bound(1) >>> 0]);
    const stack = stackBounds(readFileSync(SHIPPED));
    // Every bn254.wasm instance made from now on (circom's calculator ran above) is scanned.
    const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (m: WebAssembly.Module, i: object) => Promise<WebAssembly.Instance>;
    vi.spyOn(WebAssembly, "instantiate").mockImplementation((async (m: WebAssembly.Module, imports: object) => {
      const instance = await instantiate(m, imports);
      const memory = (instance.exports as { memory?: WebAssembly.Memory; bn_wipe?: unknown }).memory;
      if (memory && (instance.exports as { bn_wipe?: unknown }).bn_wipe) memories.push(memory), stacks.push(stack);
      return instance;
    }) as never);
  });
  afterAll(() => vi.restoreAllMocks());

  it("the scanner finds witness values and scalars where they are (positive control)", () => {
    expect(needles.length).toBeGreaterThan(1000);
    expect(findAll(wtns, needles)).toBeGreaterThanOrEqual(needles.length);
    const planted = new Uint8Array(4096);
    planted.set(needles[7]!, 1028);
    expect(findAll(planted, [needles[7]!])).toBe(1);
  });

  it("whole prover: nothing of the witness or r, s, -rs in its wasm memory (stack included), after a proof and after a failed one", async () => {
    memories.length = 0;
    stacks.length = 0;
    const rec = recording(0x3190);
    const prover = await createGroth16Prover(zkey, { random: rec.random });
    expect(memories).toHaveLength(1);
    await prover.prove(wtns);
    const scan = () => findAll(new Uint8Array(memories[0]!.buffer), [...needles, ...rec.secrets()]);
    expect(rec.secrets()).toHaveLength(3);
    expect(scan()).toBe(0);
    // The C stack holds the MSM's scalar digits and GLV halves and the constant-time multiply's
    // table during a proof; after it, all of it is zero but bn_wipe's own frame at the top.
    const [low, high] = stacks[0]!;
    expect(high - low).toBeGreaterThanOrEqual(64 * 1024);
    const dirty = new Uint8Array(memories[0]!.buffer, low, high - low - 64).findIndex((b) => b !== 0);
    expect(dirty).toBe(-1);
    // A proof that fails after A and B1 were computed with r and s.
    await expect(failAt(prover.run(wtns), (step) => step === "multiexp B2")).rejects.toThrow("stop here");
    expect(rec.secrets()).toHaveLength(6);
    expect(scan()).toBe(0);
  });

  it("split prover: nothing in the lead's or the helpers' wasm memory, nor in any buffer a helper received", async () => {
    memories.length = 0;
    stacks.length = 0;
    const received: Uint8Array[] = [];
    let asked = 0;
    let answered = 0;
    const ports: MessageChannel[] = [];
    const helper = () => {
      const channel = new MessageChannel();
      ports.push(channel);
      serveSlices({
        postMessage: (m) => {
          if ((m as { kind: string }).kind !== "ready" && (m as { kind: string }).kind !== "loaded") answered++;
          channel.port2.postMessage(m);
        },
        onMessage: (listener) =>
          channel.port2.on("message", (d: { kind: string; ab?: Uint8Array; c?: Uint8Array; h?: Uint8Array }) => {
            if (d.kind === "witness" || d.kind === "h") asked++;
            for (const b of [d.ab, d.c, d.h]) if (b) received.push(b);
            listener(d);
          }),
      });
      return new SliceHelperClient({
        postMessage: (m) => channel.port1.postMessage(m),
        onMessage: (listener) => channel.port1.on("message", listener),
        onDeath: () => undefined,
        terminate: () => channel.port1.close(),
      });
    };
    const rec = recording(0x5911);
    const split = createSplitProving([helper(), helper()], { module: await compiledBn254Module(), random: rec.random });
    // Until the helpers got `requests` requests in all (messages arrive after the lead's
    // synchronous failure) and answered each.
    const drained = async (requests: number) => {
      while (asked < requests || answered < asked) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    const scan = () => {
      const all = [...needles, ...rec.secrets()];
      return memories.reduce((n, m) => n + findAll(new Uint8Array(m.buffer), all), 0) + received.reduce((n, b) => n + findAll(b, all), 0);
    };
    try {
      await split.prove(zkey, wtns);
      await drained(4);
      expect(memories.length).toBe(3); // the lead and two helpers
      expect(received.length).toBe(6); // each helper: ab, c, h
      expect(scan()).toBe(0);
      // A proof that fails after the H evaluations went out, while the helpers work on them.
      await expect(failAt(split.run(zkey, wtns), (step) => step.startsWith("multiexp H"))).rejects.toThrow("stop here");
      await drained(8);
      expect(received.length).toBe(12);
      expect(rec.secrets()).toHaveLength(6);
      expect(scan()).toBe(0);
    } finally {
      for (const c of ports) c.port1.close(), c.port2.close();
    }
  });
});
