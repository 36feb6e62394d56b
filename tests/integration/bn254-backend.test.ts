/**
 * proofline's BN254 WebAssembly prover behind `proverOptions.backend: "bn254"`, end to end: the
 * facade → the built Node worker (run `npm run build` first) → circom's witness → the bn254
 * prover → snarkjs verification against the pinned vkey in the worker. The snarkjs backend is
 * the reference: the same request proved by both gives the same public signals, and both proofs
 * verify here with snarkjs.
 */
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { afterEach, describe, expect, it } from "vitest";
import type { Attestation } from "../../src/lib/proof/ebsl/types.js";
import { createNodeProofAPI, type NodeProofAPIOptions, type ProofAPI } from "../../src/node.js";
import { rejection } from "../support/rejection.js";

const root = new URL("../../", import.meta.url);
const WORKER = new URL("dist/prover.node-worker.js", root);
const manifest = JSON.parse(readFileSync(new URL("packages/circuits/manifest.json", root), "utf8")) as { circuits: Record<string, { vkey: { path: string } }> };
const vkeyOf = (id: string) => JSON.parse(readFileSync(new URL(`packages/circuits/${manifest.circuits[id]!.vkey.path}`, root), "utf8")) as object;

const NOW = Date.now();
const list = (n: number): Attestation[] =>
  Array.from({ length: n }, (_, i) => ({
    source: `0x${(i + 1).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i,
    expires_at: NOW + 86_400_000,
  }));

let apis: ProofAPI[] = [];
const make = (options: NodeProofAPIOptions = {}) => {
  const api = createNodeProofAPI({ workerUrl: WORKER, cache: false, ...options, proverOptions: { poolSize: 1, ...options.proverOptions } });
  apis.push(api);
  return api;
};
afterEach(() => {
  for (const api of apis) api.dispose();
  apis = [];
});

describe('proverOptions.backend: "bn254"', () => {
  it("proves a full attestation set; the proof verifies and matches the snarkjs reference's statement", async () => {
    const attestations = list(16);
    const fast = await make({ proverOptions: { backend: "bn254" } }).requestProof(attestations, "exact", { now: NOW });
    const reference = await make().requestProof(attestations, "exact", { now: NOW });
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

  it("an unknown backend is refused before anything starts, naming the option", async () => {
    const error = await rejection(Promise.resolve().then(() => make({ proverOptions: { backend: "rapid" as never } }).requestProof(list(3), "exact", { now: NOW })));
    expect(error).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "proverOptions.backend" } });
  });
});
