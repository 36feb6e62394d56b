// The Chromium side of `npm run bench -- scale`: one side per page (each in a browser of its own,
// so its renderer's peak memory is its own). proofline: createProver with its defaults, the
// artifacts pinned (URL, size, SHA-256) and loaded by the prover worker itself (fetch, check,
// IndexedDB), as a dapp ships them. naive: snarkjs.groth16.fullProve with its default threads
// in a plain module worker, fed the bytes once. Driven through `window.__scale`.
import { createProver } from "proofline";
import type { CircuitDefinition, Prover } from "proofline";

interface Pins {
  id: string;
  wasm: { url: string; bytes: number; sha256: string };
  zkey: { url: string; bytes: number; sha256: string };
  vkey: { url: string; bytes: number; sha256: string };
  constraints: number;
}

let prover: Prover | undefined;
let naive: Worker | undefined;
let current: { id: string; input: Record<string, string> } | undefined;

function bare(message: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    naive!.onmessage = (e) => (e.data.ok ? resolve(e.data.ms) : reject(new Error(e.data.error)));
    naive!.onerror = (e) => reject(new Error(e.message || "the naive worker died"));
    naive!.postMessage(message);
  });
}

const scale = {
  ready: true,
  cores: navigator.hardwareConcurrency || 1,
  /** Load and warm one side (one proof, not measured); returns that proof's ms. */
  async setup(side: "proofline" | "naive", pins: Pins, input: Record<string, string>) {
    current = { id: pins.id, input };
    const t0 = performance.now();
    if (side === "proofline") {
      const abs = (a: Pins["wasm"]) => ({ ...a, url: new URL(a.url, document.baseURI).toString() });
      const def: CircuitDefinition = { id: pins.id, wasm: abs(pins.wasm), zkey: abs(pins.zkey), vkey: abs(pins.vkey), constraints: pins.constraints };
      prover = createProver({ circuits: [def], timeoutMs: 2_000_000_000 });
      const r = await prover.prove(pins.id, input);
      if (!r.verified) throw new Error("unverified proof");
      return { ms: performance.now() - t0, threads: r.threads ?? 1 };
    }
    naive = new Worker(new URL("./bare.worker.ts", import.meta.url), { type: "module" });
    const get = async (url: string) => new Uint8Array(await (await fetch(new URL(url, document.baseURI))).arrayBuffer());
    const [wasmBytes, zkeyBytes] = await Promise.all([get(pins.wasm.url), get(pins.zkey.url)]);
    await bare({ input, wasmBytes, zkeyBytes, singleThread: false });
    return { ms: performance.now() - t0, threads: scale.cores };
  },
  /** One warm proof of the side set up: wall ms and threads. */
  async run(side: "proofline" | "naive") {
    const t0 = performance.now();
    if (side === "proofline") {
      const r = await prover!.prove(current!.id, current!.input);
      if (!r.verified) throw new Error("unverified proof");
      return { ms: performance.now() - t0, threads: r.threads ?? 1 };
    }
    await bare({ input: current!.input });
    return { ms: performance.now() - t0 };
  },
};

(window as unknown as { __scale: typeof scale }).__scale = scale;
