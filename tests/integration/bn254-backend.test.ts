/**
 * proofline's BN254 WebAssembly prover, the default backend, end to end: the facade → the built
 * Node worker (run `npm run build` first) → circom's witness → the bn254 prover (on one thread,
 * or split across bn254 helper threads nested in the worker when the pool grants more) →
 * snarkjs verification against the pinned vkey in the worker. The snarkjs backend is the
 * reference: the same request proved by both gives the same public signals, and both proofs
 * verify here with snarkjs.
 */
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { afterEach, describe, expect, it } from "vitest";
import { createNodeProofAPI, type NodeProofAPIOptions, type ProofAPI } from "../../src/node.js";
import { rejection } from "../support/rejection.js";
import { buildCircuitInput, toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { createNodeWorkerFactory } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver, type Prover } from "../../src/lib/proof/engine/prover.js";
import type { ArtifactSource, CircuitInput } from "../../src/lib/proof/engine/types.js";
import { attestationList } from "./support/attestations.js";

const root = new URL("../../", import.meta.url);
const WORKER = new URL("dist/prover.node-worker.js", root);
const manifest = JSON.parse(readFileSync(new URL("circuits/manifest.json", root), "utf8")) as { circuits: Record<string, { vkey: { path: string } }> };
const vkeyOf = (id: string) => JSON.parse(readFileSync(new URL(`circuits/${manifest.circuits[id]!.vkey.path}`, root), "utf8")) as object;

const NOW = Date.now();
const list = (n: number) => attestationList(n, NOW);

const dir = new URL("circuits/build/", root).pathname;
/** Circuit signals for `n` attestations in a circuit of `n` slots, as the facade builds them. */
const signals = (n: number): CircuitInput => {
  const built = buildCircuitInput({ attestations: list(n), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [n], forceCapacity: n });
  return toCircuitSignals(built.slots, built.publicInputs) as unknown as CircuitInput;
};

let provers: Prover[] = [];
let apis: ProofAPI[] = [];
const make = (options: NodeProofAPIOptions = {}) => {
  const api = createNodeProofAPI({ workerUrl: WORKER, cache: false, ...options, proverOptions: { poolSize: 1, ...options.proverOptions } });
  apis.push(api);
  return api;
};
afterEach(() => {
  for (const api of apis) api.dispose();
  apis = [];
  for (const p of provers) p.dispose();
  provers = [];
});

describe('proverOptions.backend: "bn254" (the default)', () => {
  it("proves a full attestation set; the proof verifies and matches the snarkjs reference's statement", async () => {
    const attestations = list(16);
    const fast = await make({ proverOptions: { backend: "bn254" } }).requestProof(attestations, "exact", { now: NOW });
    const reference = await make({ proverOptions: { backend: "snarkjs" } }).requestProof(attestations, "exact", { now: NOW });
    expect(fast.circuitId).toBe("ebsl-16");
    expect(fast.publicSignals).toEqual(reference.publicSignals);
    expect(fast.proof).not.toEqual(reference.proof); // fresh blinding scalars
    for (const r of [fast, reference]) expect(await snarkjs.groth16.verify(vkeyOf(r.circuitId), [...r.publicSignals], r.proof)).toBe(true);
    // Three proofs on one warm worker: the decoded zkey is reused, each proof still verifies.
    const api = make({ proverOptions: { backend: "bn254" } });
    const more = await Promise.all([list(5), list(9), list(64)].map((a) => api.requestProof(a, "threshold", { now: NOW })));
    for (const r of more) expect(await snarkjs.groth16.verify(vkeyOf(r.circuitId), [...r.publicSignals], r.proof)).toBe(true);
    expect(more.map((r) => r.circuitId)).toEqual(["ebsl-16", "ebsl-16", "ebsl-64"]);
  });

  it("with the defaults and 2 cores, lone ebsl-16 and ebsl-64 proofs run on 2 threads (bn254 helpers) and verify; in a burst, proofs running while another waits use one thread", async () => {
    const circuits = (["ebsl-16", "ebsl-64"] as const).map((id) => {
      const ref = (ext: string) => ({ url: `${dir}${id}/${id}.${ext}`, bytes: 0, sha256: "" });
      return { id, wasm: ref("wasm"), zkey: ref("zkey"), vkey: ref("vkey.json") };
    });
    const files: ArtifactSource = {
      async load(c) {
        return { circuitId: c.id, wasm: new Uint8Array(readFileSync(c.wasm.url)), zkey: new Uint8Array(readFileSync(c.zkey.url)), vkey: JSON.parse(readFileSync(c.vkey.url, "utf8")) as Record<string, unknown>, networkBytes: 0 };
      },
    };
    const prover = createProver({ circuits, artifacts: files, poolSize: 2, cores: 2, workerFactory: createNodeWorkerFactory({ url: WORKER }) });
    provers.push(prover);
    for (const [id, n] of [["ebsl-16", 16], ["ebsl-64", 64]] as const) {
      const r = await prover.prove(id, signals(n));
      expect(r.threads).toBe(2);
      expect(r.verified).toBe(true);
      expect(await snarkjs.groth16.verify(vkeyOf(id), r.publicSignals, r.proof)).toBe(true);
    }
    // A burst of 3 on 2 workers: the first two start proving while the third waits, so they run
    // on one thread each (the third may widen once one of them has finished: no core is shared).
    const burst = await Promise.all([0, 1, 2].map(() => prover.prove("ebsl-16", signals(16))));
    expect(burst.slice(0, 2).map((r) => r.threads)).toEqual([1, 1]);
    for (const r of burst) expect(await snarkjs.groth16.verify(vkeyOf("ebsl-16"), r.publicSignals, r.proof)).toBe(true);
  });

  it("an unknown backend is refused before anything starts, naming the option", async () => {
    const error = await rejection(Promise.resolve().then(() => make({ proverOptions: { backend: "rapid" as never } }).requestProof(list(3), "exact", { now: NOW })));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "proverOptions.backend" } });
  });
});
