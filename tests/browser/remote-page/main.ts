// The remote proving test page: exposes `window.__remote` to tests/browser/remote-proving.test.ts.
// It does what the README tells an app that opts in to remote proving: createProofAPI with
// `remote: { url, apiKey }`, then requestProof with `mode: "remote"`. Two requests run; one is
// cancelled through its signal once the server reports work on it, the other is awaited (the
// library verifies it here against the pinned vkey before returning it).
import { createProofAPI } from "proofline";
import type { ProgressEvent } from "proofline";

interface Attestation {
  source: string;
  target: string;
  opinion: { belief: number; disbelief: number; uncertainty: number; base_rate: number };
  attestation_type: "trust";
  weight: number;
  created_at: number;
  expires_at: number;
}

export interface RemoteOutcome {
  readonly requestIds: [string, string];
  readonly cancelledCode?: string;
  readonly cancelledEvents: ProgressEvent[];
  readonly events: ProgressEvent[];
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  readonly circuitId?: string;
  readonly proof?: unknown;
  readonly publicSignals?: string[];
  readonly fusedOpinion?: unknown;
  readonly verifiedAgain?: boolean;
}

declare global {
  interface Window {
    __remote: { ready: true; run(serviceUrl: string, apiKey: string, now: number): Promise<RemoteOutcome> };
  }
}

const list = (n: number, now: number, offset: number): Attestation[] =>
  Array.from({ length: n }, (_, i) => ({
    source: `0x${(i + 1 + offset).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: now - 86_400_000 + i,
    expires_at: now + 86_400_000,
  }));

window.__remote = {
  ready: true,
  async run(serviceUrl, apiKey, now) {
    const api = createProofAPI({ artifactsBaseUrl: new URL("/circuits/", location.href).href, remote: { url: serviceUrl, apiKey } });
    const controller = new AbortController();
    const cancelledEvents: ProgressEvent[] = [];
    const events: ProgressEvent[] = [];
    const cancelled = api.requestProof(list(40, now, 1000), "threshold", {
      mode: "remote",
      now,
      signal: controller.signal,
      onProgress: (e) => {
        cancelledEvents.push(e);
        if (e.stage !== "queued") controller.abort();
      },
    });
    const kept = api.requestProof(list(6, now, 0), "exact", { mode: "remote", now, onProgress: (e) => events.push(e) });
    const requestIds: [string, string] = [cancelled.requestId, kept.requestId];
    let cancelledCode: string | undefined;
    try {
      await cancelled;
    } catch (error) {
      cancelledCode = (error as { code?: string }).code;
    }
    try {
      const result = await kept;
      const verifiedAgain = await api.verify(result);
      return { requestIds, cancelledCode, cancelledEvents, events, ok: true, circuitId: result.circuitId, proof: result.proof, publicSignals: [...result.publicSignals], fusedOpinion: result.fusedOpinion, verifiedAgain };
    } catch (error) {
      const e = error as { code?: string; message?: string };
      return { requestIds, cancelledCode, cancelledEvents, events, ok: false, code: e.code, message: e.message };
    } finally {
      api.dispose();
    }
  },
};
