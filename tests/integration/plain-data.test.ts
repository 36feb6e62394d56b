/**
 * A result kept in Svelte 5 `$state` (a deep Proxy) goes back into the library as a dapp would
 * pass it: verified and re-randomised in a real worker, where posting the proxy itself fails
 * with a DataCloneError.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createNodeProofAPI } from "../../src/node.js";
import { svelteState } from "../support/svelte-state.js";
import { attestationList } from "./support/attestations.js";

const WORKER = new URL("../../dist/prover.node-worker.js", import.meta.url);
const NOW = Date.now();
const api = createNodeProofAPI({ workerUrl: WORKER, proverOptions: { poolSize: 1 }, rateLimit: false, cache: false });

afterAll(() => api.dispose());

describe("reactive state crossing into a worker", () => {
  it("verifies a result held in Svelte 5 $state, and refuses a tampered one", async () => {
    const result = await api.requestProof(attestationList(4, NOW), "threshold", { now: NOW, threshold: 100_000 });
    const held = await svelteState({ circuitId: result.circuitId, proof: result.proof, publicSignals: [...result.publicSignals] });
    expect(() => structuredClone(held)).toThrow(); // the proxy itself cannot be posted
    expect(await api.verify(held)).toBe(true);
    held.publicSignals[2] = held.publicSignals[2] === "1" ? "0" : "1";
    expect(await api.verify(held)).toBe(false);
  });

  it("refuses a result carrying something that is not data with VALIDATION_ERROR naming it", async () => {
    const result = await api.requestProof(attestationList(3, NOW), "exact", { now: NOW });
    const odd = { ...result, proof: { ...result.proof, pi_a: [...result.proof.pi_a, new Date()] } } as unknown as typeof result;
    await expect(api.verify(odd)).rejects.toMatchObject({ code: "VALIDATION_ERROR", details: { field: "proof.pi_a[3]" } });
  });
});
