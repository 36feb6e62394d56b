// The checks `proofline pin` runs before it pins anything: each file is what its role says (a
// circom witness wasm, a Groth16 zkey, a snarkjs vkey, an r1cs), and the files belong together
// (same nPublic, the vkey exported from this very zkey, the wasm and r1cs of the circuit the zkey
// was set up for). Each of these mistakes would otherwise surface only at proving time, in the
// browser, as a failed proof or a proof that never verifies.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { circuitPower, readR1csHeader } from "../circuits/r1cs-header.mjs";
import { PinError } from "./pin-error.mjs";
import { readZkey } from "./zkey-header.mjs";

/** Size and SHA-256 of a file, streamed (zkeys reach hundreds of MB). */
export async function describeFile(path) {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest("hex") };
}

/** Throws MISSING_FILE unless `path` is an existing, non-empty regular file. */
export async function requireFile(role, path) {
  let s;
  try {
    s = await stat(path);
  } catch {
    throw new PinError("MISSING_FILE", `${role} file not found: ${path}`);
  }
  if (!s.isFile()) throw new PinError("MISSING_FILE", `${role} path is not a file: ${path}`);
  if (s.size === 0) throw new PinError("MISSING_FILE", `${role} file is empty: ${path}`);
}

const rejectAll = () => {
  throw new Error("the circom runtime is not available while pinning");
};

/**
 * The witness size a circom wasm computes. snarkjs refuses a witness whose length differs from
 * the zkey's nVars, so comparing the two catches a wasm recompiled after the setup.
 */
export async function readWasmWitnessSize(path) {
  const bytes = await readFile(path);
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) {
    throw new PinError("NOT_WASM", `${path} is not a WebAssembly file (no \\0asm magic); pass the circuit's .wasm from circom's <name>_js/ directory`);
  }
  try {
    const runtime = { exceptionHandler: rejectAll, printErrorMessage: rejectAll, writeBufferMessage: rejectAll, showSharedRWMemory: rejectAll };
    const { instance } = await WebAssembly.instantiate(bytes, { runtime });
    return instance.exports.getWitnessSize();
  } catch {
    throw new PinError("NOT_WASM", `${path} is WebAssembly but not a circom witness calculator (compile with circom --wasm)`);
  }
}

/** The parsed vkey; NOT_JSON / NOT_A_VKEY when it is not a snarkjs Groth16 verification key. */
export async function readVkey(path) {
  const text = await readFile(path, "utf8");
  let vkey;
  try {
    vkey = JSON.parse(text);
  } catch (error) {
    throw new PinError("NOT_JSON", `${path} is not JSON (${error.message}); export the vkey with: snarkjs zkey export verificationkey <zkey> <vkey.json>`);
  }
  const isObject = typeof vkey === "object" && vkey !== null && !Array.isArray(vkey);
  if (!isObject || !Number.isSafeInteger(vkey.nPublic) || !Array.isArray(vkey.IC)) {
    throw new PinError("NOT_A_VKEY", `${path} is JSON but not a snarkjs verification key (no nPublic or IC)`);
  }
  if (vkey.protocol !== "groth16") {
    throw new PinError("NOT_A_VKEY", `${path} is a ${String(vkey.protocol)} verification key; proofline proves Groth16 only`);
  }
  return vkey;
}

const VK_POINTS = ["vk_alpha_1", "vk_beta_2", "vk_gamma_2", "vk_delta_2"];

/** Affine coordinates as bigints; z = 0 is the point at infinity, compared as such. */
function affine(point) {
  const flat = (v) => (Array.isArray(v) ? v.map(BigInt) : [BigInt(v)]);
  const [x, y, z] = point.map(flat);
  if (z?.every((c) => c === 0n)) return "infinity";
  return [...x, ...y].join(",");
}

function samePoint(a, b) {
  try {
    return Array.isArray(a) && Array.isArray(b) && affine(a) === affine(b);
  } catch {
    return false;
  }
}

/**
 * Header of the zkey, checked against the vkey (and the wasm's witness size and the r1cs
 * header when given). Returns the zkey header and, when an r1cs was given, its header.
 */
export async function checkArtifacts({ wasm, zkey, vkey, r1cs }) {
  const header = await readZkey(zkey);
  const vk = await readVkey(vkey);
  if (vk.nPublic !== header.nPublic) {
    throw new PinError(
      "NPUBLIC_MISMATCH",
      `nPublic differs: the zkey has ${header.nPublic} public signals, the vkey ${vk.nPublic}. The vkey was exported from another circuit's zkey; re-export it: snarkjs zkey export verificationkey ${zkey} ${vkey}`,
    );
  }
  if (vk.curve !== undefined && header.curve !== undefined && vk.curve !== header.curve) {
    throw new PinError("VKEY_MISMATCH", `the zkey is on ${header.curve}, the vkey says ${vk.curve}`);
  }
  const differs = VK_POINTS.filter((k) => !samePoint(vk[k], header.points[k]));
  if (vk.IC.length !== header.points.IC.length || vk.IC.some((p, i) => !samePoint(p, header.points.IC[i]))) differs.push("IC");
  if (differs.length > 0) {
    throw new PinError(
      "VKEY_MISMATCH",
      `the vkey does not belong to the zkey (${differs.join(", ")} differ): proofs would never verify. It was probably exported before a later contribution or from another setup; re-export it: snarkjs zkey export verificationkey ${zkey} ${vkey}`,
    );
  }

  const witnessSize = await readWasmWitnessSize(wasm);
  if (witnessSize !== header.nVars) {
    throw new PinError(
      "R1CS_MISMATCH",
      `the wasm computes ${witnessSize} witness values but the zkey expects ${header.nVars}: the circuit was recompiled after the setup (or the files come from different circuits); run the setup again on the new r1cs`,
    );
  }

  if (r1cs === undefined) return { header };
  let r1csHeader;
  try {
    r1csHeader = await readR1csHeader(r1cs);
  } catch {
    throw new PinError("NOT_R1CS", `${r1cs} is not an r1cs file (compile with circom --r1cs)`);
  }
  const r1csPublic = r1csHeader.nOutputs + r1csHeader.nPubInputs;
  const power = circuitPower(r1csHeader);
  if (r1csHeader.nWires !== header.nVars || r1csPublic !== header.nPublic || power !== header.power) {
    throw new PinError(
      "R1CS_MISMATCH",
      `the r1cs does not describe this zkey (r1cs: ${r1csHeader.nWires} wires, ${r1csPublic} public, power ${power}; zkey: ${header.nVars} variables, ${header.nPublic} public, power ${header.power})`,
    );
  }
  return { header, r1csHeader };
}
