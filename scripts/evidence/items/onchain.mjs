// A registry-backed proof claimed on an in-process EVM through the exported Solidity verifier.
import { account, claimCalldata, compileContracts, createChain, encodeWords, selector } from "../../../contracts/chain.mjs";
import { NOW } from "../fixtures.mjs";
import { makeApi } from "./common.mjs";

const about = (target, i, belief = 0.8) => ({
  source: `0x${(0x100 + i).toString(16)}`,
  target,
  opinion: { belief, disbelief: 0.05, uncertainty: 0.95 - belief, base_rate: 0.5 },
  attestation_type: "trust",
  weight: 1,
  created_at: NOW - 86_400_000,
  expires_at: NOW + 86_400_000,
});

export const onchainClaim = {
  name: "onchain_claim",
  description: "An operator registers attestations in a Poseidon registry and publishes its root on an example airdrop contract (solc from npm, EthereumJS VM in process, the snarkjs-exported Groth16 verifier of ebsl-16). A holder proves score >= 0.6 with proofline against that root; the claim succeeds once; a replay, another sender, a stale `now`, a tampered proof and a proof over invented attestations (a root nobody published) are each refused.",
  configuration: { circuit: "ebsl-16", attestations: 3, threshold: 600000, registry: "quaternary Poseidon, depth 10", chain: "@ethereumjs/vm, Prague rules" },
  conclusion: "Proofs are checked on a chain: only registered attestations, only by their subject, only once.",
  async run(ctx, item) {
    const api = makeApi(ctx);
    try {
      const [operator, alice, bob] = [account(1), account(2), account(3)];
      const compiled = await compileContracts("Ebsl16Verifier");
      const chain = await createChain([operator, alice, bob], [compiled.airdrop.abi]);
      const t = Math.floor(NOW / 1000) + 60;
      const verifier = await chain.deploy(operator, compiled.verifier.bytecode, "", t);
      const airdrop = await chain.deploy(operator, compiled.airdrop.bytecode, encodeWords([verifier.toString(), 600_000n, 3_600_000n, 300_000n]), t);
      const mine = [0, 1, 2].map((i) => about(alice.hex, i));
      const registry = ctx.ebsl.createRegistry([about("0x1234", 9), ...mine]);
      await chain.send(operator, { to: airdrop, data: selector("addRoot(uint256)") + encodeWords([registry.root]), timestampSeconds: t });
      const claim = (from, r, at = t) => chain.send(from, { to: airdrop, data: claimCalldata(r.proof, r.publicSignals), timestampSeconds: at });

      const r = await api.requestProof(mine, "threshold", { subject: alice.hex, now: NOW, registry: registry.membership(alice.hex) });
      item.check("the proof's public root is the registry's", r.publicSignals[7] === registry.root.toString(), { root: r.publicSignals[7].slice(0, 16) });
      const stale = await claim(alice, r, t + 7200);
      item.check("a stale `now` (2 h old) is refused: StaleProof", stale.error === "StaleProof", { error: stale.error });
      const tampered = await claim(alice, { ...r, publicSignals: r.publicSignals.map((s, i) => (i === 0 ? String(BigInt(s) + 1n) : s)) });
      item.check("a tampered public signal is refused: InvalidProof", tampered.error === "InvalidProof", { error: tampered.error });
      const other = await claim(bob, r);
      item.check("another sender is refused: WrongSubject", other.error === "WrongSubject", { error: other.error });
      const ok = await claim(alice, r);
      item.check("the subject's claim succeeds", ok.ok, { gasUsed: String(ok.gasUsed) });
      const replay = await claim(alice, r);
      item.check("a replay is refused: AlreadyClaimed", replay.error === "AlreadyClaimed", { error: replay.error });
      const invented = [0, 1, 2].map((i) => about(bob.hex, 20 + i, 0.9));
      const fake = await api.requestProof(invented, "threshold", { subject: bob.hex, now: NOW });
      const unknown = await claim(bob, fake);
      item.check("invented attestations (a root nobody published) are refused: UnknownRoot", unknown.error === "UnknownRoot", { error: unknown.error });
      item.record({ gasPerClaim: Number(ok.gasUsed), solc: compiled.solcVersion, proofs: 2 });
    } finally {
      api.dispose();
    }
  },
};
