// node scripts/circuits/selftest-ptau.mjs [power]
// Writes a fully filled dev ptau at a small power, runs snarkjs's own preparePhase2 on it, and
// checks that every section snarkjs derives (12-15) equals ours byte for byte. Exit code 1 if not.
import * as snarkjs from "snarkjs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeDevPtau } from "./dev-ptau.mjs";

function sections(buf) {
  const out = {};
  let pos = 12;
  for (let i = 0; i < buf.readUInt32LE(8); i++) {
    const id = buf.readUInt32LE(pos);
    const size = Number(buf.readBigUInt64LE(pos + 4));
    out[id] = buf.subarray(pos + 12, pos + 12 + size);
    pos += 12 + size;
  }
  return out;
}

const power = Number(process.argv[2] ?? 5);
const dir = await mkdtemp(join(tmpdir(), "proofline-ptau-selftest-"));
const curve = await snarkjs.curves.getCurveFromName("bn128");
try {
  const ours = join(dir, "ours.ptau");
  const theirs = join(dir, "theirs.ptau");
  await writeDevPtau(curve, ours, { power, full: true });
  await snarkjs.powersOfTau.preparePhase2(ours, theirs);
  const a = sections(await readFile(ours));
  const b = sections(await readFile(theirs));
  const bad = [1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15].filter((id) => !a[id] || !b[id] || Buffer.compare(a[id], b[id]) !== 0);
  if (bad.length > 0) {
    console.error(`dev ptau (power ${power}) differs from snarkjs preparePhase2 in sections ${bad.join(", ")}`);
    process.exitCode = 1;
  } else {
    console.log(`dev ptau (power ${power}) equals snarkjs preparePhase2 in every section`);
  }
} finally {
  await curve.terminate();
  await rm(dir, { recursive: true, force: true });
}
