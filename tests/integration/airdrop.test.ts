/**
 * On chain: proofline's ebsl-16 proofs against the exported Solidity verifier and the example
 * airdrop gate (contracts/EbslAirdrop.sol), compiled by solc (npm, wasm) and deployed on an
 * in-process EthereumJS VM. A proof made in Node claims once; another root, another subject, a
 * stale `now`, a tampered proof and a replay are each refused with the contract's own error.
 * Needs `npm run build` (the Node prover worker) like the other facade integration tests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, claimCalldata, compileContracts, createChain, encodeWords, selector } from "../../contracts/chain.mjs";
import { createRegistry } from "../../src/lib/proof/ebsl/registry.js";
import type { Attestation } from "../../src/lib/proof/ebsl/types.js";
import { createNodeProofAPI, type ProofAPI } from "../../src/node.js";

const WORKER = new URL("../../dist/prover.node-worker.js", import.meta.url);
const operator = account(1);
const alice = account(2);
const bob = account(3);
const NOW = 1_765_000_000_000; // epoch ms the proofs are "as of"
const BLOCK_TIME = NOW / 1000 + 60; // a minute later on chain
const HOUR = 3_600_000;

const attestationAbout = (target: string, i: number, belief = 0.8): Attestation => ({
  source: `0x${(0x100 + i).toString(16)}`,
  target,
  opinion: { belief, disbelief: 0.05, uncertainty: 0.95 - belief, base_rate: 0.5 },
  attestation_type: "trust",
  weight: 1,
  created_at: NOW - 86_400_000,
  expires_at: NOW + 86_400_000,
});

let api: ProofAPI;
let chain: Awaited<ReturnType<typeof createChain>>;
let airdrop: Awaited<ReturnType<Awaited<ReturnType<typeof createChain>>["deploy"]>>;
const aliceAtts = [0, 1, 2].map((i) => attestationAbout(alice.hex, i));
// The operator's registry: Alice's attestations among others' (Bob's are not in it).
const registry = createRegistry([attestationAbout("0x1234", 7), ...aliceAtts, attestationAbout("0x5678", 8)]);

const claim = (from: typeof alice, proof: { proof: unknown; publicSignals: readonly string[] }, timestampSeconds = BLOCK_TIME) =>
  chain.send(from, { to: airdrop, data: claimCalldata(proof.proof, proof.publicSignals), timestampSeconds });

beforeAll(async () => {
  api = createNodeProofAPI({ workerUrl: WORKER, proverOptions: { poolSize: 1 } });
  const compiled = await compileContracts("Ebsl16Verifier");
  chain = await createChain([operator, alice, bob], [compiled.airdrop.abi]);
  const verifier = await chain.deploy(operator, compiled.verifier.bytecode);
  // threshold 0.6, proofs at most an hour old, at most 5 minutes ahead of the block.
  airdrop = await chain.deploy(operator, compiled.airdrop.bytecode, encodeWords([verifier.toString(), 600_000n, BigInt(HOUR), 300_000n]));
  const added = await chain.send(operator, { to: airdrop, data: selector("addRoot(uint256)") + encodeWords([registry.root]), timestampSeconds: BLOCK_TIME });
  expect(added.ok).toBe(true);
}, 600_000);

afterAll(() => api?.dispose());

describe("airdrop gate on an in-process EVM", () => {
  it("accepts a proofline proof once, and refuses a stale one, a tampered one, a replay and another subject's", async () => {
    const result = await api.requestProof(aliceAtts, "threshold", { subject: alice.hex, now: NOW, registry: registry.membership(alice.hex) });
    expect(result.meetsThreshold).toBe(true);
    expect(result.publicSignals[7]).toBe(registry.root.toString());

    const stale = await claim(alice, result, NOW / 1000 + 2 * 3600);
    expect(stale).toMatchObject({ ok: false, error: "StaleProof" });
    const early = await claim(alice, result, NOW / 1000 - 3600);
    expect(early).toMatchObject({ ok: false, error: "StaleProof" });

    const proof = result.proof as { pi_a: string[] };
    const tampered = { ...result, proof: { ...result.proof, pi_a: [proof.pi_a[0], (BigInt(proof.pi_a[1]!) + 1n).toString(), proof.pi_a[2]] } };
    expect((await claim(alice, tampered)).ok).toBe(false);
    const wrongSignal = { ...result, publicSignals: result.publicSignals.map((s, i) => (i === 0 ? (BigInt(s) + 1n).toString() : s)) };
    expect(await claim(alice, wrongSignal)).toMatchObject({ ok: false, error: "InvalidProof" });

    expect(await claim(bob, result)).toMatchObject({ ok: false, error: "WrongSubject" });

    const ok = await claim(alice, result);
    expect(ok).toMatchObject({ ok: true });
    console.log(`ebsl-16 claim: ${ok.gasUsed} gas`);
    expect(ok.gasUsed).toBeGreaterThan(200_000n);

    expect(await claim(alice, result)).toMatchObject({ ok: false, error: "AlreadyClaimed" });
  }, 600_000);

  it("refuses a proof against a root the operator never published (invented attestations)", async () => {
    const invented = [0, 1, 2].map((i) => attestationAbout(bob.hex, 20 + i, 0.9));
    // No registry: proofline proves against a private registry of exactly these attestations.
    const result = await api.requestProof(invented, "threshold", { subject: bob.hex, now: NOW });
    expect(result.meetsThreshold).toBe(true);
    expect(await claim(bob, result)).toMatchObject({ ok: false, error: "UnknownRoot" });
  }, 600_000);
});
