// The zkey check memo's test page: exposes `window.__memo` to tests/browser/zkey-check-memo.test.ts.
// Loads ebsl-16's zkey from the test server, registers it under its SHA-256 as a prover worker
// does after its artifact loader matched the pin, and runs the point checks with a random source
// that counts its calls (the checks always draw from it; skipped checks never do).
import { createIndexedDbZkeyCheckRecords, pinZkey, ZKEY_CHECKS_VERSION } from "../../../src/lib/proof/worker/bn254/readers/zkey-check-memo.js";
import { readGroth16Zkey } from "../../../src/lib/proof/worker/bn254/readers/zkey-groth16.js";
import { validateGroth16Zkey } from "../../../src/lib/proof/worker/bn254/readers/zkey-validation.js";
import { instantiateBn254Wasm } from "../../../src/lib/proof/worker/bn254/bn254-wasm.js";
import { compiledBn254Module } from "../../../src/lib/proof/worker/bn254/prover/groth16-prover.js";

export interface MemoOutcome {
  /** The checks ran (drew randomness, or refused the key). */
  readonly checked: boolean;
  /** The error code when the key was refused. */
  readonly code?: string;
  readonly sha256: string;
}

export interface MemoHook {
  readonly ready: true;
  /** Pin and check the honest key (fresh bytes each call). */
  honest(): Promise<MemoOutcome>;
  /** Pin and check a copy with delta1 at infinity, under its own SHA-256. */
  hostile(): Promise<MemoOutcome>;
  /** True once the record of `sha256` is in IndexedDB (the checks do not await its write), false after `tries` looks 50 ms apart. */
  recorded(sha256: string, tries?: number): Promise<boolean>;
}

declare global {
  interface Window {
    __memo: MemoHook;
  }
}

const hex = (b: ArrayBuffer) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, "0")).join("");
const sha256Of = async (bytes: Uint8Array) => hex(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
const zkeyBytes = async () => new Uint8Array(await (await fetch("/circuits/build/ebsl-16/ebsl-16.zkey")).arrayBuffer());

async function check(bytes: Uint8Array): Promise<MemoOutcome> {
  const sha256 = await sha256Of(bytes);
  await pinZkey(sha256)(bytes);
  const { exports: e } = await instantiateBn254Wasm(await compiledBn254Module());
  let draws = 0;
  const random = (n: number) => (draws++, crypto.getRandomValues(new Uint8Array(n)));
  try {
    validateGroth16Zkey(e, readGroth16Zkey(bytes), random);
    return { checked: draws > 0, sha256 };
  } catch (error) {
    // A refusal is the checks at work, whether or not they drew randomness before it.
    return { checked: true, sha256, code: (error as { code?: string }).code ?? String(error) };
  }
}

window.__memo = {
  ready: true,
  honest: async () => check(await zkeyBytes()),
  async hostile() {
    const bytes = await zkeyBytes();
    readGroth16Zkey(bytes).delta1.fill(0);
    return check(bytes);
  },
  async recorded(sha256, tries = 100) {
    const records = createIndexedDbZkeyCheckRecords();
    for (let i = 0; i < tries; i++) {
      if (await records.has(`v${ZKEY_CHECKS_VERSION}:${sha256}`)) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  },
};
