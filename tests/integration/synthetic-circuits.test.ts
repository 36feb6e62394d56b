// @vitest-environment node
// The synthetic circuit family of the scale bench (scripts/circuits/synthetic.mjs) at its
// smallest size, 2^10 (CI keeps to it: a 2^16 dev setup takes minutes here): both kinds compile
// to their power, fill 15/16 of its domain, have the witness they are meant to have (full-width
// values, or nearly all bits), and the bn254 prover's proofs of them verify with snarkjs. The
// second call reuses the cached build.
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { describe, expect, it } from "vitest";
import { createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { witnessValues } from "../../src/lib/proof/worker/bn254/prover/groth16-proof.js";
// @ts-expect-error a plain .mjs script without types
import { ensureSynthetic, inputFor, stepsFor } from "../../scripts/circuits/synthetic.mjs";

type Made = { id: string; kind: string; power: number; constraints: number; wasm: string; zkey: string; vkey: string };
const make = ensureSynthetic as (kind: string, power: number) => Promise<Made>;

describe("synthetic circuits (INSECURE dev setup, generated into .synthetic/)", () => {
  for (const kind of ["full", "bits"]) {
    it(`${kind} at 2^10: fills its domain, has its kind of witness, and proves with the bn254 prover`, async () => {
      const made = await make(kind, 10);
      expect(made.power).toBe(10);
      expect(made.constraints).toBe((stepsFor as (k: string, p: number) => number)(kind, 10) * (kind === "full" ? 4 : 65) + (kind === "full" ? 0 : 1));
      const input = (inputFor as (k: string, s?: number) => Record<string, string>)(kind, 3);
      const out: { type: "mem"; data?: Uint8Array } = { type: "mem" };
      await snarkjs.wtns.calculate(input, new Uint8Array(readFileSync(made.wasm)), out);
      const zkey = new Uint8Array(readFileSync(made.zkey));
      const prover = await createGroth16Prover(zkey);
      const w = witnessValues({ nVars: prover.nVars }, out.data!);
      // Witness values: 32 bytes each, little-endian Montgomery or plain (either way a 0/1 value is
      // not full-width): count those with a nonzero top byte.
      let wide = 0;
      for (let i = 0; i < prover.nVars; i++) if (w[32 * i + 31]! !== 0 || w[32 * i + 30]! !== 0) wide++;
      if (kind === "full") expect(wide / prover.nVars).toBeGreaterThan(0.9);
      else expect(wide / prover.nVars).toBeLessThan(0.1);
      const { proof, publicSignals } = await prover.prove(out.data!);
      const vkey = JSON.parse(readFileSync(made.vkey, "utf8")) as Record<string, unknown>;
      expect(await snarkjs.groth16.verify(vkey, publicSignals, proof)).toBe(true);
      // Cached: the same files, not rebuilt.
      expect((await make(kind, 10)).zkey).toBe(made.zkey);
    }, 240_000);
  }
});
