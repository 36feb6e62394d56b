// Hostile or broken zkeys (a bring-your-own key is not pinned by us) are refused by the bn254
// prover when it loads them, with ARTIFACT_INVALID, before any proof is made from them.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { circuitsDir, list, manifest, NOW } from "../fixtures.mjs";
import { rejectionOf } from "../report.mjs";
import { errorFacts, WORKER_URL } from "./common.mjs";

const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const sha256 = (b) => createHash("sha256").update(b).digest("hex");

/** Byte offset of section `id`'s content in an iden3 binary file. */
function sectionAt(bytes, id) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 12, i = 0; i < v.getUint32(8, true); i++) {
    const size = Number(v.getBigUint64(at + 4, true));
    if (v.getUint32(at, true) === id) return { at: at + 12, size };
    at += 12 + size;
  }
  throw new Error(`section ${id} missing`);
}

/** One defect each; offsets inside the header section (2): alpha1 84, delta1 468, delta2 532. */
function hostileCopies(zkey) {
  const h = sectionAt(zkey, 2);
  const edit = (change) => {
    const z = zkey.slice();
    change(z);
    return z;
  };
  const le = (v) => Uint8Array.from({ length: 32 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
  const leRead = (b) => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
  return {
    "delta1 at infinity": edit((z) => z.fill(0, h.at + 468, h.at + 532)),
    "delta2 at infinity": edit((z) => z.fill(0, h.at + 532, h.at + 660)),
    "alpha1 off the curve": edit((z) => void z[h.at + 84 + 32]++),
    "delta1's x written as x + p": edit((z) => z.set(le(leRead(z.subarray(h.at + 468, h.at + 500)) + Q), h.at + 468)),
    "an A base off the curve": edit((z) => {
      const a = sectionAt(z, 5);
      let i = 0;
      while (z.subarray(a.at + 64 * i, a.at + 64 * i + 64).every((b) => b === 0)) i++;
      z[a.at + 64 * i + 40]++;
    }),
    "a duplicated header section": (() => {
      const head = zkey.subarray(h.at - 12, h.at + h.size);
      const z = new Uint8Array(zkey.byteLength + head.byteLength);
      z.set(zkey), z.set(head, zkey.byteLength);
      const v = new DataView(z.buffer);
      v.setUint32(8, v.getUint32(8, true) + 1, true);
      return z;
    })(),
  };
}

export const hostileZkey = {
  name: "hostile_zkey",
  description: "A bring-your-own zkey is checked when the bn254 prover loads it: header points on the curve, canonical, not infinity, G2 ones in the subgroup, delta1/delta2 and beta1/beta2 tied by a pairing, every base on its curve, no duplicate sections, capped counts. Broken copies of ebsl-16's key (each identified by its SHA-256) fail the proof request with ARTIFACT_INVALID in a real prover worker, and the original key still proves.",
  configuration: { circuit: "ebsl-16", backend: "bn254", worker: "dist/prover.node-worker.js", poolSize: 1 },
  conclusion: "A hostile key never yields a proof: it is refused, typed, before proving.",
  async run(ctx, item) {
    const entry = manifest().circuits["ebsl-16"];
    const original = new Uint8Array(readFileSync(join(circuitsDir, entry.zkey.path)));
    const wasm = new Uint8Array(readFileSync(join(circuitsDir, entry.wasm.path)));
    const vkey = JSON.parse(readFileSync(join(circuitsDir, entry.vkey.path), "utf8"));
    const b = ctx.ebsl.buildCircuitInput({ attestations: list(16, 7), subject: "0xabc", now: NOW, threshold: 600000n, reveal: true, capacities: [16], forceCapacity: 16 });
    const input = ctx.ebsl.toCircuitSignals(b.slots, b.publicInputs);
    const ref = { url: "memory:", bytes: 0, sha256: "" };
    const proverFor = (zkey) =>
      ctx.node.createProver({
        circuits: [{ id: "ebsl-16", wasm: ref, zkey: ref, vkey: ref }],
        artifacts: { load: async (c) => ({ circuitId: c.id, wasm, zkey, vkey, networkBytes: 0 }) },
        workerFactory: ctx.node.createNodeWorkerFactory({ url: WORKER_URL }),
        poolSize: 1,
        cores: 1,
        backend: "bn254",
      });
    const refused = {};
    for (const [name, bytes] of Object.entries(hostileCopies(original))) {
      const prover = proverFor(bytes);
      try {
        const e = await rejectionOf(prover.prove("ebsl-16", input));
        refused[name] = { sha256: sha256(bytes), error: errorFacts(e), reason: e?.details?.reason };
        item.check(`${name}: ARTIFACT_INVALID, no proof`, e?.code === "ARTIFACT_INVALID", refused[name]);
      } finally {
        prover.dispose();
      }
    }
    const prover = proverFor(original);
    try {
      const ok = await prover.prove("ebsl-16", input);
      item.check("the original key still proves", Array.isArray(ok.proof?.pi_a), { publicSignals: ok.publicSignals.length });
    } finally {
      prover.dispose();
    }
    item.record({ refused });
  },
};
