// The "bring your own circuit" test page: exposes `window.__byo` to tests/browser/byo-circuit.test.ts.
// It does what the README recipe tells an app to do: parse the manifest `proofline pin` wrote
// (the test hands it in, as an app bundles its own rather than trusting the artifact host for
// it), `createProver({ circuits: circuitsFromManifest(manifest, baseUrl) })` with the defaults
// (the prover workers fetch, check and store the artifacts), then prove and verify.
import { circuitsFromManifest, createProver, parseManifest } from "proofline";
import type { Groth16Proof, ProveTimings } from "proofline";

export interface ByoOutcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly proof?: Groth16Proof;
  readonly publicSignals?: string[];
  readonly timings?: ProveTimings;
  /** The pinned vkey's verdict, in a worker, on the proof and on a tampered copy of its signals. */
  readonly verifiedInWorker?: { proof: boolean; tampered: boolean };
  /** Every distinct (artifact, source) pair the progress events reported. */
  readonly artifactSources?: string[];
  readonly ms?: number;
}

export interface ByoHook {
  readonly ready: true;
  prove(manifestJson: string, circuitId: string, input: Record<string, string>): Promise<ByoOutcome>;
}

declare global {
  interface Window {
    __byo: ByoHook;
  }
}

async function prove(manifestJson: string, circuitId: string, input: Record<string, string>): Promise<ByoOutcome> {
  const baseUrl = new URL("circuits/", document.baseURI);
  const prover = createProver({ circuits: circuitsFromManifest(parseManifest(manifestJson), baseUrl) });
  const sources = new Set<string>();
  const t0 = performance.now();
  try {
    const result = await prover.prove(circuitId, input, {
      onProgress: (p) => {
        if (p.artifact) sources.add(`${p.artifact.artifact}:${p.artifact.source}`);
      },
    });
    const ms = performance.now() - t0;
    const tampered = [...result.publicSignals];
    tampered[0] = (BigInt(tampered[0]!) + 1n).toString();
    const verifiedInWorker = {
      proof: await prover.verify(circuitId, result.proof, result.publicSignals),
      tampered: await prover.verify(circuitId, result.proof, tampered),
    };
    return { ok: true, proof: result.proof, publicSignals: result.publicSignals, timings: result.timings, verifiedInWorker, artifactSources: [...sources].sort(), ms };
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { ok: false, code: e.code ?? "UNKNOWN", message: String(e.message ?? error) };
  } finally {
    prover.dispose();
  }
}

window.__byo = { ready: true, prove };
