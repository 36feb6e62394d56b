// The adaptive-threads test page: exposes `window.__threads` to tests/browser/adaptive-threads.test.ts.
// A prover from the repository's pinned manifest with the defaults (the prover worker fetches,
// checks and stores the artifacts; threads adaptive), proving ebsl-16 with every slot filled.
import { circuitsFromManifest, createProver, parseManifest } from "proofline";
import type { Groth16Proof, Prover } from "proofline";
import { buildCircuitInput, toCircuitSignals } from "proofline/ebsl";

export interface ThreadsOutcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly threads?: number;
  readonly verified?: boolean;
  readonly proof?: Groth16Proof;
  readonly publicSignals?: string[];
}

export interface ThreadsHook {
  readonly ready: true;
  readonly cores: number;
  /** One proof with nothing else running. */
  lone(): Promise<ThreadsOutcome>;
  /** One proof cancelled during a multiexp (its helper threads at work). */
  cancelMidProof(): Promise<ThreadsOutcome>;
  /** `n` proofs at once: the threads each ran on. */
  burst(n: number): Promise<number[]>;
  /** One proof with the defaults (bn254 backend, adaptive threads) on a 2-core prover of its own. */
  bn254(): Promise<ThreadsOutcome>;
  /** The same, cancelled at its proving step (helpers at work); then one more proof on that prover. */
  bn254CancelThenProve(): Promise<{ cancelled: ThreadsOutcome; next: ThreadsOutcome }>;
  dispose(): void;
}

declare global {
  interface Window {
    __threads: ThreadsHook;
  }
}

const NOW = 1_767_225_600_000;
const SUBJECT = "0xabc";
const CIRCUIT = "ebsl-16";

function fullSet(capacity: number) {
  const attestations = Array.from({ length: capacity }, (_, i) => ({
    source: `0x${(0x5eed00 + i).toString(16)}`,
    target: SUBJECT,
    opinion: { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 },
    attestation_type: "trust" as const,
    weight: 1 + (i % 3),
    created_at: NOW - 86_400_000 + i * 1000,
    expires_at: NOW + 86_400_000,
  }));
  const built = buildCircuitInput({ attestations, subject: SUBJECT, now: NOW, threshold: 600000n, reveal: true, capacities: [capacity], forceCapacity: capacity });
  return toCircuitSignals(built.slots, built.publicInputs, built.paths);
}

const input = fullSet(16) as never;
let prover: Prover | undefined;
async function getProver(): Promise<Prover> {
  if (prover) return prover;
  const base = new URL("circuits/", document.baseURI);
  const manifest = parseManifest(await (await fetch(new URL("manifest.json", base))).text());
  // Two cores whatever the machine reports: the mechanism is under test. The snarkjs backend:
  // these hooks test ffjavascript's nested threads (bn254's are tested by bn254()).
  prover = createProver({ circuits: circuitsFromManifest(manifest, base).filter((c) => c.id === CIRCUIT), poolSize: 2, cores: 2, backend: "snarkjs" });
  return prover;
}

const codeOf = (error: unknown) => (error as { code?: string }).code ?? "UNKNOWN";

/** A prover with the defaults (bn254 backend, adaptive threads) on two cores. */
async function bn254Prover(): Promise<Prover> {
  const base = new URL("circuits/", document.baseURI);
  const manifest = parseManifest(await (await fetch(new URL("manifest.json", base))).text());
  return createProver({ circuits: circuitsFromManifest(manifest, base).filter((c) => c.id === CIRCUIT), poolSize: 1, cores: 2 });
}

async function outcome(proving: ReturnType<Prover["prove"]>): Promise<ThreadsOutcome> {
  try {
    const r = await proving;
    return { ok: true, threads: r.threads ?? 1, verified: r.verified, proof: r.proof, publicSignals: r.publicSignals };
  } catch (error) {
    return { ok: false, code: codeOf(error) };
  }
}

const hook: ThreadsHook = {
  ready: true,
  cores: navigator.hardwareConcurrency,
  async lone() {
    const p = await getProver();
    try {
      const r = await p.prove(CIRCUIT, input);
      return { ok: true, threads: r.threads ?? 1, verified: r.verified, proof: r.proof, publicSignals: r.publicSignals };
    } catch (error) {
      return { ok: false, code: codeOf(error) };
    }
  },
  async cancelMidProof() {
    const p = await getProver();
    const controller = new AbortController();
    try {
      await p.prove(CIRCUIT, input, {
        signal: controller.signal,
        onProgress: (e) => {
          if (e.phase === "proving" && /multiexp/i.test(e.step ?? "")) controller.abort();
        },
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, code: codeOf(error) };
    }
  },
  async burst(n) {
    const p = await getProver();
    const results = await Promise.all(Array.from({ length: n }, () => p.prove(CIRCUIT, input)));
    return results.map((r) => r.threads ?? 1);
  },
  async bn254() {
    const fast = await bn254Prover();
    try {
      await fast.prove(CIRCUIT, input); // warm: worker start, artifacts, the zkey decoded and sliced once
      return await outcome(fast.prove(CIRCUIT, input));
    } finally {
      fast.dispose();
    }
  },
  async bn254CancelThenProve() {
    const fast = await bn254Prover();
    try {
      await fast.prove(CIRCUIT, input);
      const controller = new AbortController();
      const cancelled = await outcome(
        fast.prove(CIRCUIT, input, {
          signal: controller.signal,
          onProgress: (e) => {
            if (e.phase === "proving" && /multiexp/i.test(e.step ?? "")) controller.abort();
          },
        }),
      );
      return { cancelled, next: await outcome(fast.prove(CIRCUIT, input)) };
    } finally {
      fast.dispose();
    }
  },
  dispose() {
    prover?.dispose();
    prover = undefined;
  },
};
window.__threads = hook;
