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
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";
import { createNodeWorkerFactory } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver } from "../../src/lib/proof/engine/prover.js";
import type { CircuitInput } from "../../src/lib/proof/engine/types.js";
import { fileArtifacts } from "./support/file-artifacts.js";
import { ArtifactInvalidError } from "../../src/lib/proof/core/errors.js";
import { instantiateBn254Wasm } from "../../src/lib/proof/worker/bn254/bn254-wasm.js";
import { compiledBn254Module, createGroth16Prover } from "../../src/lib/proof/worker/bn254/prover/groth16-prover.js";
import { createSplitProving } from "../../src/lib/proof/worker/bn254/split/split-prover.js";
import { readGroth16Zkey } from "../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../../src/lib/proof/worker/bn254/readers/zkey-validation.js";
import { hostileZkeys } from "./support/hostile-zkeys.js";

const ZKEY = fileURLToPath(new URL("../../circuits/build/ebsl-16/ebsl-16.zkey", import.meta.url));
const original = new Uint8Array(readFileSync(ZKEY));
const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The exact bytes each case refuses (a changed fixture or builder fails here first). */
const PINNED: Record<string, string> = {
  "a B2 base outside the subgroup": "77a543875f6d9bf297bcf1310e185a5eab7caa467940dad959019af20c8ddde4",
  "alpha1 off the curve": "ad00242a3bacd99d400eccad9dfee2a7b58259b40a643a80fd6faf8d63850b41",
  "an A base off the curve": "41b95e062f24983534622faac23bd0796154af92e93f33f3a264c906ae32a8d8",
  "beta1 and beta2 unrelated": "72b553851556b552a4b8258a1136cabec788c7d508d69cfee09c0231e83b90ac",
  "beta2 off the curve": "473708b8511b8046a2f20628823adbf28f6bf2fdbd2a57a0a2f7a5957854749b",
  "delta1 and delta2 unrelated": "b28d2a01ce5d221fa95fd067efa36bdb4e50b5c224e53e0a6faf82e2206cea0b",
  "delta1 at infinity": "11c9a5b5c47b1d4e12b4f1fac0e30ed1a3bce41b1482e8bf2910b86c9fb21adb",
  "delta1 coordinate >= p": "ec63a4b6662f95350edde7c6e8322a724ec6ebc997bff3e2f90e1b9c21d311de",
  "delta1 off the curve": "5a630f1ec00ecbd23c5ce4116924fd29894d636c013225333798edf1f5595f1d",
  "delta2 at infinity": "125682a4bbaefa98fef425162fd5c3ad4e118970c72103269d588ae69d3df5d3",
  "delta2 with a small-order component": "c3d1527d8664d57c7da61cf410132183934f1475532da579ea928bb040354a91",
  "duplicate header section": "aec87f6feb252891e9d99968a06646c58e8f2dc870a0068ebd9ee6c9dffd80db",
  "huge domain": "1562044fdf8ec4460dcfe57f71a8b301979deb6e96b01da69ba44cba262fc261",
  "huge section length": "61d35e0ccd184e3ea066bfa156a11fb1d50c5493056f8a7aacc79e1865d65ac9",
  "huge signal count": "29104b0db44fab2181823d60b51fb8f1ee2afb09d6b78420cb84cc05d04debec",
  "truncated": "4471076d357e2e661cb66b714539f256579f40ceffa31a5532a3eba34b092f82",
};

const cases = hostileZkeys(original);

describe("bn254 prover: hostile zkeys are refused on load", () => {
  it("the original key is the one the pins were made from", () => {
    expect(sha256(original)).toBe("b189bcc3a2351c83352c019b3ee3d5d44b143d60c2ab791f84d0345e0b2f8dc6");
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
    const build = fileURLToPath(new URL("../../circuits/build/ebsl-16/", import.meta.url));
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
