// An in-process EVM chain for the example contracts: compiles with solc (npm, wasm), deploys on an
// EthereumJS VM (Prague rules), sends signed transactions with a chosen block time, and decodes the
// custom errors of a revert. Used by the contract tests, the airdrop bench and the evidence item.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { createBlock } from "@ethereumjs/block";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createLegacyTx } from "@ethereumjs/tx";
import { createAccount, createAddressFromPrivateKey } from "@ethereumjs/util";
import { createVM, runTx } from "@ethereumjs/vm";
import * as snarkjs from "snarkjs";

export const CONTRACTS_DIR = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const word = (v) => BigInt(v).toString(16).padStart(64, "0");
export const selector = (signature) => hex(keccak_256(new TextEncoder().encode(signature)).slice(0, 4));

/** Compile the airdrop and the verifier of `variant` (e.g. "Ebsl16Verifier"); returns { abi, bytecode } per contract. */
export async function compileContracts(variant) {
  const solc = require("solc");
  const sources = {
    "EbslAirdrop.sol": { content: await readFile(join(CONTRACTS_DIR, "EbslAirdrop.sol"), "utf8") },
    [`verifiers/${variant}.sol`]: { content: await readFile(join(CONTRACTS_DIR, "verifiers", `${variant}.sol`), "utf8") },
  };
  const input = {
    language: "Solidity",
    sources,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  const pick = (file, name) => ({ abi: output.contracts[file][name].abi, bytecode: output.contracts[file][name].evm.bytecode.object });
  return { airdrop: pick("EbslAirdrop.sol", "EbslAirdrop"), verifier: pick(`verifiers/${variant}.sol`, variant), solcVersion: solc.version() };
}

/** Error selector → name, for the custom errors of `abi`. */
function errorNames(abis) {
  const names = new Map();
  for (const abi of abis) {
    for (const item of abi) {
      if (item.type === "error") names.set(selector(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`), item.name);
    }
  }
  return names;
}

/** Accounts from fixed private keys (test keys, never funded anywhere real). */
export function account(n) {
  const key = new Uint8Array(32);
  key[31] = n;
  key[0] = 0x11;
  const address = createAddressFromPrivateKey(key);
  return { key, address, hex: `0x${address.toString().slice(2)}` };
}

/** A fresh chain with `accounts` funded. `send` returns { ok, gasUsed, error, returnValue, createdAddress }. */
export async function createChain(accounts, abis = []) {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Prague });
  const vm = await createVM({ common });
  for (const a of accounts) await vm.stateManager.putAccount(a.address, createAccount({ balance: 10n ** 22n }));
  const names = errorNames(abis);
  let number = 1n;
  async function send(from, { to, data, timestampSeconds }) {
    const nonce = (await vm.stateManager.getAccount(from.address)).nonce;
    const tx = createLegacyTx({ nonce, gasPrice: 10n ** 9n, gasLimit: 15_000_000n, to, data: `0x${data}` }, { common }).sign(from.key);
    const block = createBlock(
      { header: { number: number++, timestamp: BigInt(timestampSeconds), gasLimit: 30_000_000n, baseFeePerGas: 7n } },
      { common },
    );
    const result = await runTx(vm, { tx, block, skipHardForkValidation: true });
    const exec = result.execResult;
    const ret = hex(exec.returnValue);
    const error = exec.exceptionError ? (names.get(ret.slice(0, 8)) ?? exec.exceptionError.error) : undefined;
    return { ok: !exec.exceptionError, gasUsed: result.totalGasSpent, error, returnValue: ret, createdAddress: result.createdAddress };
  }
  async function deploy(from, bytecode, args = "", timestampSeconds = 1_700_000_000) {
    const r = await send(from, { data: bytecode + args, timestampSeconds });
    if (!r.ok) throw new Error(`deploy failed: ${r.error}`);
    return r.createdAddress;
  }
  return { vm, send, deploy };
}

/** ABI words for a constructor or call: addresses and integers, all static. */
export function encodeWords(values) {
  return values.map((v) => word(typeof v === "string" && v.startsWith("0x") ? BigInt(v) : v)).join("");
}

/** Calldata of `claim(a, b, c, publicSignals)` for a snarkjs-shaped proof (G2 coordinates swapped as Solidity's pairing wants). */
export function claimCalldata(proof, publicSignals) {
  const a = [proof.pi_a[0], proof.pi_a[1]];
  const b = [proof.pi_b[0][1], proof.pi_b[0][0], proof.pi_b[1][1], proof.pi_b[1][0]];
  const c = [proof.pi_c[0], proof.pi_c[1]];
  return selector("claim(uint256[2],uint256[2][2],uint256[2],uint256[8])") + encodeWords([...a, ...b, ...c, ...publicSignals]);
}

/** The Solidity verifier snarkjs exports for `zkeyPath`, renamed to `contractName`. */
export async function exportVerifier(zkeyPath, contractName) {
  // snarkjs's exports map hides its templates folder: find it next to the resolved entry.
  const entry = require.resolve("snarkjs");
  const template = await readFile(join(entry.slice(0, entry.lastIndexOf("/node_modules/snarkjs/") + 22), "templates", "verifier_groth16.sol.ejs"), "utf8");
  const source = await snarkjs.zKey.exportSolidityVerifier(zkeyPath, { groth16: template });
  return source.replace(/contract Groth16Verifier\b/, `contract ${contractName}`);
}
