// @vitest-environment node
// Bounded fuzzing of the .zkey and .wtns readers and of the zkey checks: mutants of a real zkey
// (the multiplier fixture) and of a witness, made by flipping bytes, writing boundary values
// into the container's counts and lengths, truncating and repeating sections. Each mutant must
// either be read or be refused with ArtifactInvalidError; any other exception (RangeError,
// TypeError, an out-of-bounds read) is a reader bug. A random seed per run, printed; replay with
// BN254_SEED=<n>; more iterations by hand with BN254_FUZZ_RUNS=<n>.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ArtifactInvalidError } from "../../../../../src/lib/proof/core/errors.js";
import { readBinFile } from "../../../../../src/lib/proof/engine/artifacts/bin-file.js";
import { readWitness } from "../../../../../src/lib/proof/worker/bn254/prover/groth16-proof.js";
import { BN254_R, readGroth16Zkey } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../../../../../src/lib/proof/worker/bn254/readers/zkey-validation.js";
import { leBytes, loadWasm, seeded } from "../bn254-harness.js";

const SEED = Number(process.env.BN254_SEED ?? globalThis.crypto.getRandomValues(new Uint32Array(1))[0]);
const RUNS = Number(process.env.BN254_FUZZ_RUNS ?? 1500);
console.log(`zkey/wtns reader fuzz: seed ${SEED}, ${RUNS} mutants each (replay with BN254_SEED=${SEED})`);

const zkey = new Uint8Array(readFileSync(new URL("../../../../fixtures/multiplier/circuit.zkey", import.meta.url)));

/** A .wtns as snarkjs writes it: section 1 (field size, prime, count), section 2 (values). */
function wtnsOf(values: bigint[]): Uint8Array {
  const out = new Uint8Array(12 + 12 + 40 + 12 + 32 * values.length);
  const v = new DataView(out.buffer);
  out.set([0x77, 0x74, 0x6e, 0x73]); // "wtns"
  v.setUint32(4, 2, true), v.setUint32(8, 2, true);
  v.setUint32(12, 1, true), v.setBigUint64(16, 40n, true);
  v.setUint32(24, 32, true), out.set(leBytes(BN254_R), 28), v.setUint32(60, values.length, true);
  v.setUint32(64, 2, true), v.setBigUint64(68, BigInt(32 * values.length), true);
  values.forEach((x, i) => out.set(leBytes(x), 76 + 32 * i));
  return out;
}

/** Offsets of every section header (id, u64 length) in a container, for targeted mutations. */
function sectionHeaders(bytes: Uint8Array): number[] {
  const f = readBinFile(bytes, String.fromCharCode(...bytes.subarray(0, 4)), "file");
  return [...f.sections.values()].map((s) => s.byteOffset - bytes.byteOffset - 12);
}

function mutate(original: Uint8Array, next: () => number): Uint8Array {
  const pick = (n: number) => Math.floor(next() * n);
  const heads = sectionHeaders(original);
  let bytes = original.slice();
  const v = () => new DataView(bytes.buffer);
  const boundary = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 1 << 22, (1 << 22) + 1, bytes.byteLength];
  for (let m = 1 + pick(3); m > 0; m--) {
    const head = heads[pick(heads.length)]!;
    if (head + 12 > bytes.byteLength) break;
    switch (pick(7)) {
      case 0: // a byte anywhere, biased towards the headers (the first kilobyte)
        {
          const k = pick(Math.min(bytes.byteLength, next() < 0.7 ? 1024 : bytes.byteLength));
          bytes[k] = bytes[k]! ^ (1 << pick(8));
        }
        break;
      case 1: // a boundary value into a u32 of the first kilobyte (counts, sizes, ids)
        v().setUint32(4 * pick(Math.min(256, bytes.byteLength >> 2)), boundary[pick(boundary.length)]!, true);
        break;
      case 2: // a section's id
        v().setUint32(head, pick(12), true);
        break;
      case 3: // a section's u64 length
        v().setBigUint64(head + 4, [0n, 1n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n, BigInt(pick(bytes.byteLength))][pick(6)]!, true);
        break;
      case 4: // truncated
        bytes = bytes.slice(0, pick(bytes.byteLength));
        break;
      case 5: {
        // a section repeated at the end, the section count raised
        const at = head, len = Math.min(bytes.byteLength - at, 12 + pick(4096));
        const grown = new Uint8Array(bytes.byteLength + len);
        grown.set(bytes), grown.set(bytes.subarray(at, at + len), bytes.byteLength);
        bytes = grown;
        if (bytes.byteLength >= 12) v().setUint32(8, v().getUint32(8, true) + 1, true);
        break;
      }
      default: // the section count
        if (bytes.byteLength >= 12) v().setUint32(8, boundary[pick(boundary.length)]!, true);
    }
    if (bytes.byteLength < 12) break;
  }
  return bytes;
}

/** Runs `read`; returns "ok", "refused" (ArtifactInvalidError) or rethrows anything else with the mutant's index. */
function outcome(read: () => unknown, i: number): "ok" | "refused" {
  try {
    read();
    return "ok";
  } catch (error) {
    if (error instanceof ArtifactInvalidError) return "refused";
    throw new Error(`mutant ${i} (seed ${SEED}) threw ${String(error)}`, { cause: error });
  }
}

describe(`.zkey and .wtns readers under mutation (seed ${SEED})`, () => {
  it("zkey mutants are read or refused with ARTIFACT_INVALID; those read also pass or fail the checks that way", async () => {
    const next = seeded(SEED);
    const { exports: e } = await loadWasm();
    const counts = { ok: 0, refused: 0, checked: 0 };
    for (let i = 0; i < RUNS; i++) {
      const bytes = mutate(zkey, next);
      let parsed: ReturnType<typeof readGroth16Zkey> | undefined;
      counts[outcome(() => (parsed = readGroth16Zkey(bytes)), i)]++;
      // The checks cost a pairing and an MSM: a sample of the readable mutants.
      if (parsed && counts.checked < 10) {
        counts.checked++;
        outcome(() => validateGroth16Zkey(e, parsed!), i);
      }
    }
    console.log(`zkey mutants: ${counts.ok} read, ${counts.refused} refused, ${counts.checked} checked`);
    expect(counts.refused).toBeGreaterThan(RUNS / 4);
  }, 120_000);

  it("wtns mutants are read or refused with ARTIFACT_INVALID", () => {
    const next = seeded(SEED + 1);
    const wtns = wtnsOf([1n, 7n, BN254_R - 1n, 2n ** 200n, 0n, 1n]);
    expect(readWitness(wtns).count).toBe(6);
    const counts = { ok: 0, refused: 0 };
    for (let i = 0; i < RUNS; i++) {
      const bytes = mutate(wtns, next);
      counts[outcome(() => readWitness(bytes), i)]++;
    }
    console.log(`wtns mutants: ${counts.ok} read, ${counts.refused} refused`);
    expect(counts.refused).toBeGreaterThan(RUNS / 4);
  }, 60_000);
});
