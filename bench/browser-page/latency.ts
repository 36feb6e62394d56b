// The Chromium side of `npm run bench -- latency --browser`: per circuit, proofline's engine
// (createProver, artifacts as bytes in memory, pool = cores) against bare snarkjs fullProve in
// plain module workers on the same page: with snarkjs's default threads (the naive call) and
// single-threaded. Inputs fill every slot of the circuit. Driven through `window.__latency`.
import { createProver } from "proofline";
import type { ArtifactSource, CircuitDefinition, Prover } from "proofline";
import { buildCircuitInput, toCircuitSignals } from "proofline/ebsl";

const NOW = 1_767_225_600_000;
const SUBJECT = "0xabc";
const base = new URL("circuits/", document.baseURI);
const cores = navigator.hardwareConcurrency || 1;

interface Entry {
  id: string;
  family: string;
  capacity: number;
  constraints?: number;
  wasm: { path: string; bytes: number; sha256: string };
  zkey: { path: string; bytes: number; sha256: string };
  vkey: { path: string; bytes: number; sha256: string };
}

/** Every slot holds an attestation that counts (the same set as the Node bench). */
function fullSet(capacity: number) {
  const attestations = Array.from({ length: capacity }, (_, i) => ({
    source: `0x${(0x5eed00 + i).toString(16)}`,
    target: SUBJECT,
    opinion: i % 2 === 0 ? { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1137, uncertainty: 0.5863, base_rate: 0.4 },
    attestation_type: "trust" as const,
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i * 1000,
    expires_at: NOW + 86_400_000,
  }));
  const built = buildCircuitInput({ attestations, subject: SUBJECT, now: NOW, threshold: 600000n, reveal: true, capacities: [capacity], forceCapacity: capacity });
  return toCircuitSignals(built.slots, built.publicInputs);
}

const get = async (path: string) => new Uint8Array(await (await fetch(new URL(path, base))).arrayBuffer());

/** A plain module worker running bare fullProve (bench/browser-page/bare.worker.ts). */
function bareWorker(wasm: Uint8Array, zkey: Uint8Array, input: unknown, singleThread: boolean) {
  const worker = new Worker(new URL("./bare.worker.ts", import.meta.url), { type: "module" });
  let first = true;
  const prove = () =>
    new Promise<number>((resolve, reject) => {
      worker.onmessage = (e) => (e.data.ok ? resolve(e.data.ms) : reject(new Error(e.data.error)));
      worker.postMessage({ input, wasmBytes: first ? wasm : undefined, zkeyBytes: first ? zkey : undefined, singleThread });
      first = false;
    });
  return { prove, close: () => worker.terminate() };
}

let current: { prover: Prover; id: string; input: unknown; naive: ReturnType<typeof bareWorker> | undefined; singles: ReturnType<typeof bareWorker>[] } | undefined;

const latency = {
  ready: true,
  cores,
  /**
   * Load one circuit everywhere and warm every side (not measured). `only`: set up that side
   * alone (the memory pass runs each side in a browser of its own).
   */
  async setup(id: string, backend?: "snarkjs" | "bn254", only?: "proofline" | "naive", lone = false) {
    latency.dispose();
    const manifest = (await (await fetch(new URL("manifest.json", base))).json()) as { circuits: Record<string, Entry> };
    const entry = manifest.circuits[id] as Entry;
    const [wasm, zkey] = await Promise.all([get(entry.wasm.path), get(entry.zkey.path)]);
    const vkey = JSON.parse(new TextDecoder().decode(await get(entry.vkey.path))) as Record<string, unknown>;
    const input = fullSet(entry.capacity);
    const ref = (a: Entry["wasm"], kind: string) => ({ url: `mem:${kind}`, bytes: a.bytes, sha256: a.sha256 });
    const def: CircuitDefinition = { id, wasm: ref(entry.wasm, "wasm"), zkey: ref(entry.zkey, "zkey"), vkey: ref(entry.vkey, "vkey"), ...(entry.constraints ? { constraints: entry.constraints } : {}) };
    // Copies: the engine transfers the buffers to each worker.
    const artifacts: ArtifactSource = { load: async () => ({ circuitId: id, wasm: wasm.slice(), zkey: zkey.slice(), vkey, networkBytes: 0 }) };
    const prover = createProver({ circuits: [def], artifacts, poolSize: cores, maxProofsPerWorker: 1_000_000, ...(backend ? { backend } : {}) });
    const naive = only === "proofline" ? undefined : bareWorker(wasm.slice(), zkey.slice(), input, false);
    // `lone`: one proof per side only (the large circuits): no single-threaded workers.
    const singles = only || lone ? [] : Array.from({ length: cores }, () => bareWorker(wasm.slice(), zkey.slice(), input, true));
    current = { prover, id, input, naive, singles };
    if (only !== "naive") {
      if (!lone) await Promise.all(Array.from({ length: cores }, () => prover.prove(id, input as never)));
      await prover.prove(id, input as never); // alone: warms the helpers too
    }
    await naive?.prove();
    await Promise.all(singles.map((s) => s.prove()));
  },
  async proofline() {
    const c = current!;
    const t0 = performance.now();
    const r = await c.prover.prove(c.id, c.input as never);
    return { ms: performance.now() - t0, threads: r.threads ?? 1, verified: r.verified, timings: r.timings };
  },
  naive: () => current!.naive!.prove(),
  single: () => current!.singles[0]!.prove(),
  /** Bursts of n, wall ms: proofline all at once; n sequential naive calls; n single-threaded over one worker per core. */
  burst: {
    async proofline(n: number) {
      const c = current!;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: n }, () => c.prover.prove(c.id, c.input as never)));
      return performance.now() - t0;
    },
    async naiveSequential(n: number) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await current!.naive!.prove();
      return performance.now() - t0;
    },
    async singlePerCore(n: number) {
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        current!.singles.map(async (s) => {
          while (next < n) {
            next++;
            await s.prove();
          }
        }),
      );
      return performance.now() - t0;
    },
  },
  dispose() {
    if (!current) return;
    current.prover.dispose();
    current.naive?.close();
    for (const s of current.singles) s.close();
    current = undefined;
  },
};

(window as unknown as { __latency: typeof latency }).__latency = latency;
