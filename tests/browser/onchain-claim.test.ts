/**
 * A proof made in Chromium claims on a chain: the demo page proves a threshold statement about
 * an address against the registry it builds from its table (the page plays the operator), and
 * the example airdrop gate (contracts/EbslAirdrop.sol with the exported ebsl-16 verifier,
 * compiled by solc and deployed on an in-process EthereumJS VM in this Node process) accepts it
 * once, from that address only, for the root the operator published here: the root Node
 * computes from the same attestations, not one the page reports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { account, claimCalldata, compileContracts, createChain, encodeWords, selector } from "../../contracts/chain.mjs";
import { generateAttestations } from "../../demo/src/attestations.js";
import { createRegistry } from "../../src/lib/proof/ebsl/registry.js";
import { proveInPage, startHarness, type Harness } from "./support/harness.js";

const operator = account(1);
const alice = account(2);
const bob = account(3);
const HOUR = 3_600_000;

let h: Harness;
let chain: Awaited<ReturnType<typeof createChain>>;
let airdrop: Awaited<ReturnType<Awaited<ReturnType<typeof createChain>>["deploy"]>>;
let asOf: number;

beforeAll(async () => {
  h = await startHarness();
  await h.open();
  asOf = await h.page.evaluate(() => window.__proofline.asOf);
  const compiled = await compileContracts("Ebsl16Verifier");
  chain = await createChain([operator, alice, bob], [compiled.airdrop.abi]);
  const verifier = await chain.deploy(operator, compiled.verifier.bytecode);
  // threshold 0.3, proofs at most an hour old, at most 5 minutes ahead of the block.
  airdrop = await chain.deploy(operator, compiled.airdrop.bytecode, encodeWords([verifier.toString(), 300_000n, BigInt(HOUR), 300_000n]));
});

afterAll(async () => {
  await h?.close();
});

describe("a proof made in Chromium claims on an in-process EVM", () => {
  it("claims once from the subject's address, against the root the operator published", async () => {
    const count = 6;
    // The operator's registry, built in Node from the attestations the page will hold.
    const attestations = generateAttestations({ count, seed: 7, sentiment: 0.7, now: asOf, subject: alice.hex });
    const root = createRegistry(attestations).root;
    const blockTime = Math.floor(asOf / 1000) + 60;
    const added = await chain.send(operator, { to: airdrop, data: selector("addRoot(uint256)") + encodeWords([root]), timestampSeconds: blockTime });
    expect(added.ok).toBe(true);

    const { outcome } = await proveInPage(h.page, "threshold", { count, seed: 7, threshold: 300_000, subject: alice.hex });
    expect(outcome.ok, outcome.errorMessage).toBe(true);
    const result = outcome.result!;
    expect(result.meetsThreshold).toBe(true);
    expect(result.publicSignals[7]).toBe(root.toString());
    // The root is shown in the page, beside where a claim goes.
    await expect(h.page.locator('[data-testid="claim-target"]').textContent()).resolves.toContain("EbslAirdrop.claim");

    const claim = (from: typeof alice) => chain.send(from, { to: airdrop, data: claimCalldata(result.proof, result.publicSignals), timestampSeconds: blockTime });
    expect(await claim(bob)).toMatchObject({ ok: false, error: "WrongSubject" });
    const ok = await claim(alice);
    expect(ok).toMatchObject({ ok: true });
    console.log(`claim of a Chromium proof (ebsl-16): ${ok.gasUsed} gas`);
    expect(await claim(alice)).toMatchObject({ ok: false, error: "AlreadyClaimed" });
  });
});
