// @vitest-environment node
// Hostile and broken zkeys are refused when a prover loads them, before any proof: each copy of
// ebsl-16's key below has one defect (support/hostile-zkeys.ts) and is pinned by its sha256, and
// each must reject with ARTIFACT_INVALID naming the defect, from the whole prover and from the
// split prover alike, never a proof and never another error. The unbroken key still loads, and
// the load-time cost of the checks is printed.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-signals.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";
import { createNodeWorkerFactory } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver } from "../../src/lib/proof/engine/prover.js";
import type { CircuitInput } from "../../src/lib/proof/engine/types.js";
import { fileArtifacts } from "./support/file-artifacts.js";
import { ArtifactInvalidError } from "../../src/lib/proof/core/errors.js";
import { instantiateBn254Wasm } from "../../src/lib/proof/engine/bn254/bn254-wasm.js";
import { compiledBn254Module, createGroth16Prover } from "../../src/lib/proof/engine/bn254/groth16-prover.js";
import { createSplitProving } from "../../src/lib/proof/engine/bn254/split-prover.js";
import { readGroth16Zkey } from "../../src/lib/proof/engine/bn254/zkey-groth16.js";
import { validateGroth16Zkey } from "../../src/lib/proof/engine/bn254/zkey-validation.js";
import { hostileZkeys } from "./support/hostile-zkeys.js";

const ZKEY = fileURLToPath(new URL("../../packages/circuits/build/ebsl-16/ebsl-16.zkey", import.meta.url));
const original = new Uint8Array(readFileSync(ZKEY));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The exact bytes each case refuses (a changed fixture or builder fails here first). */
const PINNED: Record<string, string> = {
  "a B2 base outside the subgroup": "f02a67661327af8f284558748964a730bc2da916068a017c5d3b6558e939615c",
  "alpha1 off the curve": "234ad0dda38094c14b0841ea7e8823d17aa23f70d5b26135696472776be7bf98",
  "an A base off the curve": "fac0102be5b5a6ce845236ca6537d7dd589a9b9e8274413f2c91cfb398317f7f",
  "beta1 and beta2 unrelated": "53acbaf790ed61a85b5e8e85667a3dc64defd03a1fdb6d5672bf79a8098b00fe",
  "beta2 off the curve": "cda661c5307d834fe1988b752bdbe7855fa95a383f90d72f81de4451a177c65a",
  "delta1 and delta2 unrelated": "a531cd31c82471cccd4117006085f7a213c6180d1022c0868cd0b7dfb38614c2",
  "delta1 at infinity": "ba0f82899824bda5d50150a56ecf6cbefdc49418fe3794006abc171edbbf0eae",
  "delta1 coordinate >= p": "fcd3ac1e58d2951911ef97214e0e3505d59b57bf5a4c225818e21147c67f878f",
  "delta1 off the curve": "8348167671652f200958c2eeb1352c15856c8812a4174d557e2319d08922798d",
  "delta2 at infinity": "570659efb5bbd1695a016d7ac7f5def0dce34bc58e135ee194c88605b7c97fed",
  "delta2 with a small-order component": "8b2a57f92511afa326f33dda5d817cea1685f14aabde48463df10282f283a5af",
  "duplicate header section": "ba56523663515de8ec6e1d5db6c650969dbee17e8b6d9b61028592dbaa76c432",
  "huge domain": "08f45fa0030c36f49a4e5959badb6d9dd31d8910139c8707b40afbea21514a03",
  "huge section length": "019c0442349f49d7fb773f9ae50f87b1b425da8bb4069aa37d089738c2714700",
  "huge signal count": "c5647c785b33688fd857478ea7fcb7423aec0e648682552dd7796bcbf5591330",
  "truncated": "e6a5f0bef245e79e72714fdfe58cd2ef94a5a09f83e3d319f6fd5621f52aadd6",
};

const cases = hostileZkeys(original);

describe("bn254 prover: hostile zkeys are refused on load", () => {
  it("the original key is the one the pins were made from", () => {
    expect(sha256(original)).toBe("52949b5262543c109a0fbe614f49455680f229e8ae32547f5b4ac73defe343fb");
  });

  it.each(Object.keys(cases))("%s: pinned bytes, ARTIFACT_INVALID before any proof", async (name) => {
    const { bytes, reason } = cases[name]!;
    console.log(`hostile zkey "${name}": sha256 ${sha256(bytes)}`);
    expect(sha256(bytes)).toBe(PINNED[name]);
    const whole = await createGroth16Prover(bytes).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(whole).toBeInstanceOf(ArtifactInvalidError);
    expect((whole as ArtifactInvalidError).code).toBe("ARTIFACT_INVALID");
    expect((whole as Error).message).toMatch(reason);
    // The split prover loads the same way; no helper is asked for anything.
    const asked: string[] = [];
    const helper = { load: async () => void asked.push("load"), witness: async () => (asked.push("witness"), never()), h: async () => (asked.push("h"), never()) };
    const split = createSplitProving([helper as never], { module: await compiledBn254Module() });
    await expect(split.prove(bytes, new Uint8Array(0))).rejects.toMatchObject({ code: "ARTIFACT_INVALID" });
    expect(asked).toEqual([]);
  });

  it("the unbroken key passes every check (load-time cost printed)", async () => {
    // Fresh copies: a key's buffer that passed once is not checked again.
    const { exports: e } = await instantiateBn254Wasm(await compiledBn254Module());
    const cpuMs = () => {
      const z = readGroth16Zkey(original.slice());
      const c = process.cpuUsage();
      validateGroth16Zkey(e, z);
      const d = process.cpuUsage(c);
      return (d.user + d.system) / 1000;
    };
    const cold = cpuMs(); // includes compiling the pairing code
    const warm = cpuMs();
    const z = readGroth16Zkey(original);
    const load = readFileSync("/proc/loadavg", "utf8").split(" ")[0];
    console.log(`zkey checks, ebsl-16 (${z.nVars} signals, domain ${z.domainSize}): ${cold.toFixed(0)} ms CPU cold, ${warm.toFixed(0)} ms warm, load average ${load}`);
    await expect(createGroth16Prover(original)).resolves.toBeTruthy();
  });
});

describe("bn254 prover in a real worker: a hostile key fails the request typed", () => {
  it("delta1 at infinity, delta2 with a small-order component, an off-curve A base: ARTIFACT_INVALID from prove(), on 1 and 2 threads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hostile-zkey-"));
    const build = fileURLToPath(new URL("../../packages/circuits/build/ebsl-16/", import.meta.url));
    const input = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n }) as unknown as CircuitInput;
    const workerUrl = new URL("../../dist/prover.node-worker.js", import.meta.url);
    try {
      for (const name of ["delta1 at infinity", "delta2 with a small-order component", "an A base off the curve"]) {
        const zkeyPath = join(dir, `${sha256(cases[name]!.bytes)}.zkey`);
        writeFileSync(zkeyPath, cases[name]!.bytes);
        const ref = (url: string) => ({ url, bytes: 0, sha256: "" });
        const circuit = { id: "ebsl-16", wasm: ref(`${build}ebsl-16.wasm`), zkey: ref(zkeyPath), vkey: ref(`${build}ebsl-16.vkey.json`) };
        for (const cores of [1, 2]) {
          const prover = createProver({ circuits: [circuit], artifacts: fileArtifacts, poolSize: 1, cores, workerFactory: createNodeWorkerFactory({ url: workerUrl }), backend: "bn254" });
          try {
            const error = await prover.prove("ebsl-16", input).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(error, `${name}, ${cores} core(s)`).toMatchObject({ code: "ARTIFACT_INVALID" });
          } finally {
            prover.dispose();
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

function never(): never {
  throw new Error("a helper was asked to prove for a refused key");
}
