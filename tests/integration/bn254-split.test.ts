// @vitest-environment node
// The N-way split bn254 prover (src/lib/proof/worker/bn254/split/split-prover.ts) on real helper
// threads: worker_threads running the built prover worker entry (dist/prover.node-worker.js,
// `npm run build`) in helper mode, as a prover worker starts them. Differential: with the same
// seeded random source (same r, s) a split proof is byte for byte the single-thread prover's;
// with fresh randomness split proofs verify with snarkjs. A helper that dies mid-proof rejects
// the proof at once with SliceHelperDied; helpers that never answer mark the set unavailable.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import * as snarkjs from "snarkjs";
import { afterAll, describe, expect, it } from "vitest";
import { compiledBn254Module, createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { SliceHelperDied, type SpawnedHelper } from "../../src/lib/proof/worker/bn254/split/slice-helper-client.js";
import { SliceHelperSet, SliceHelpersUnavailable } from "../../src/lib/proof/worker/bn254/split/slice-helper-set.js";
import { nodeSliceHelpers } from "../../workers/node-slice-helpers.js";
import { ebslInput, seededBytes, witness } from "./support/bn254-fixtures.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const ENTRY = new URL("dist/prover.node-worker.js", `file://${ROOT}`);

function ebsl(capacity: number) {
  const dir = join(ROOT, `circuits/build/ebsl-${capacity}`);
  return {
    zkey: new Uint8Array(readFileSync(join(dir, `ebsl-${capacity}.zkey`))),
    wasm: join(dir, `ebsl-${capacity}.wasm`),
    vkey: JSON.parse(readFileSync(join(dir, `ebsl-${capacity}.vkey.json`), "utf8")) as object,
    input: ebslInput(capacity, capacity),
  };
}

const sets: SliceHelperSet[] = [];
const helperSet = (spawn: () => SpawnedHelper, extra: Partial<ConstructorParameters<typeof SliceHelperSet>[0]> = {}) => {
  const set = new SliceHelperSet({ spawn, module: compiledBn254Module, ...extra });
  sets.push(set);
  return set;
};
afterAll(() => {
  for (const s of sets) s.dispose();
});

describe("split bn254 prover on worker_threads helpers", () => {
  it("the built entry exists (npm run build)", () => {
    expect(existsSync(ENTRY)).toBe(true);
  });

  for (const capacity of [16, 64]) {
    it(`ebsl-${capacity}: a split proof on 2 and 3 threads equals the single-thread proof for the same r, s, and verifies`, async () => {
      const c = ebsl(capacity);
      const wtns = await witness(c.wasm, c.input);
      const single = await createGroth16Prover(c.zkey, { random: seededBytes(capacity) });
      const expected = await single.prove(wtns);
      for (const helpers of [1, 2]) {
        const split = await helperSet(nodeSliceHelpers(ENTRY), { random: seededBytes(capacity) }).get(helpers);
        expect(split.threads).toBe(helpers + 1);
        const steps: [string, number][] = [];
        const run = split.run(c.zkey, wtns);
        let next = await run.next();
        for (; !next.done; next = await run.next()) steps.push([next.value.step, next.value.fraction]);
        const got = next.value;
        expect(got).toEqual(expected);
        // Progress: after the H evaluations, the lead's own slice MSMs in order, then the wait for the helpers.
        expect(steps.map(([step]) => step)).toEqual([...["A", "B1", "B2", "C", "H"].map((l) => `multiexp ${l} slices on ${helpers + 1} threads`), `multiexp slices: waiting for ${helpers} helper thread${helpers > 1 ? "s" : ""}`]);
        // The lead's first MSM starts after its H evaluations: past the 5 % reported before the proof.
        expect(steps[0]![1]).toBeGreaterThan(0.05);
        expect(steps.at(-1)![1]).toBe(0.95);
        for (let i = 1; i < steps.length; i++) expect(steps[i]![1]).toBeGreaterThan(steps[i - 1]![1]);
        // Fresh randomness on the same helpers: a different proof, still valid.
        const fresh = await helperSet(nodeSliceHelpers(ENTRY)).get(helpers);
        const other = await fresh.prove(c.zkey, wtns);
        expect(other.proof).not.toEqual(expected.proof);
        expect(await snarkjs.groth16.verify(c.vkey, other.publicSignals, other.proof)).toBe(true);
      }
      // Positive control: a wrong r, s (another seed) does not give the same bytes.
      const skewed = await helperSet(nodeSliceHelpers(ENTRY), { random: seededBytes(capacity + 1) }).get(1);
      expect((await skewed.prove(c.zkey, wtns)).proof).not.toEqual(expected.proof);
    });
  }

  it("a helper that dies mid-proof rejects the proof with SliceHelperDied, and the set starts afresh", async () => {
    const c = ebsl(16);
    const wtns = await witness(c.wasm, c.input);
    let victim: Worker | undefined;
    const spawn = nodeSliceHelpers(ENTRY, (w) => (victim ??= w));
    const set = helperSet(spawn);
    const split = await set.get(1);
    await split.warm(c.zkey);
    const proof = split.prove(c.zkey, wtns);
    // A message outside the protocol kills the helper, as a crash would, while the lead waits for it.
    victim!.postMessage({ kind: "bogus" });
    await expect(proof).rejects.toBeInstanceOf(SliceHelperDied);
    victim = undefined;
    const again = await set.get(1);
    expect(again).not.toBe(split);
    const ok = await again.prove(c.zkey, wtns);
    expect(await snarkjs.groth16.verify(c.vkey, ok.publicSignals, ok.proof)).toBe(true);
  });

  it("helpers that never report ready make the set unavailable for good (the worker then proves on one thread)", async () => {
    const silent = (): SpawnedHelper => {
      const w = new Worker("setInterval(() => {}, 1000)", { eval: true });
      return { postMessage: () => undefined, onMessage: () => undefined, onDeath: () => undefined, terminate: () => void w.terminate() };
    };
    const set = helperSet(silent, { startTimeoutMs: 200 });
    await expect(set.get(1)).rejects.toBeInstanceOf(SliceHelpersUnavailable);
    expect(set.unavailable).toBe(true);
    await expect(set.get(1)).rejects.toBeInstanceOf(SliceHelpersUnavailable);
  });
});
