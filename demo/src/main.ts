/**
 * Demo entry: build the session, mount the Svelte app, install the test hook.
 * Artifacts are served next to the page under circuits/ (scripts/demo-server.mjs, or the Vite
 * dev server's middleware in demo/vite.config.ts).
 */
import { mount } from "svelte";
import { writable } from "svelte/store";
import type { Attestation, ProofType } from "proofline";
import App from "./App.svelte";
import { generateAttestations } from "./attestations.js";
import { createSession } from "./session.js";
import "./app.css";

const artifactsBaseUrl = new URL("circuits/", document.baseURI).toString();
// Proofs are "as of" the start of this minute (public input `now`): identical requests within a
// session are identical, so repeating one shows a proof-cache hit.
const asOf = Math.floor(Date.now() / 60_000) * 60_000;
const session = createSession(artifactsBaseUrl, asOf);
const attestations = writable<readonly Attestation[]>(generateAttestations({ count: 8, seed: 7, sentiment: 0.7, now: asOf }));

mount(App, { target: document.getElementById("app")!, props: { session, attestations } });
// The operator's registry follows the table, each build in a task of its own (not a click's).
attestations.subscribe((list) => session.prepareRegistry(list));

// What the UI showed for each job (the jobs store), next to what onProgress reported.
const shown = new Map<string, number[]>();
session.api.stores.jobs.subscribe((jobs) => {
  for (const job of jobs) {
    const list = shown.get(job.id) ?? [];
    if (list.at(-1) !== job.progress) list.push(job.progress);
    shown.set(job.id, list);
  }
});

interface HookRequest {
  readonly priority?: 0 | 1 | 2 | 3;
  readonly threshold?: number;
  /** Regenerate the table with this many attestations first (the UI shows them). */
  readonly count?: number;
  readonly seed?: number;
  /** With `count`: whom the new attestations are about (an address that can claim on a chain). */
  readonly subject?: string;
}

const hook = {
  ready: true,
  session,
  artifactsBaseUrl,
  /**
   * Queue a proof of the table's attestations (regenerated first when `count` is given); resolves
   * to its request id. A new table's registry is built in its own task first, as the page does
   * for a table shown before a click: the request's task stays short.
   */
  async request(proofType: ProofType, options: HookRequest = {}): Promise<string> {
    if (options.count !== undefined) {
      attestations.set(generateAttestations({ count: options.count, seed: options.seed ?? 7, sentiment: 0.7, now: asOf, ...(options.subject ? { subject: options.subject } : {}) }));
      await new Promise((resolve) => setTimeout(resolve, 0));
      await session.registryReady();
    }
    let list: readonly Attestation[] = [];
    attestations.subscribe((v) => (list = v))();
    return session.request({ attestations: list, proofType, priority: options.priority ?? 1, ...(options.threshold !== undefined ? { threshold: options.threshold } : {}) });
  },
  async wait(id: string) {
    const o = await session.wait(id);
    const r = o.result;
    return {
      ok: o.ok,
      errorCode: o.errorCode,
      errorMessage: o.errorMessage,
      result: r && {
        proof: r.proof,
        publicSignals: [...r.publicSignals],
        circuitId: r.circuitId,
        score: r.score,
        meetsThreshold: r.meetsThreshold,
        cached: r.cached,
        cacheSource: r.cacheSource,
        hash: r.hash,
        timings: r.timings,
      },
    };
  },
  cancel: (id: string) => session.cancel(id),
  verify: (id: string) => session.verify(id),
  status: (id: string) => session.api.getRequestStatus(id)?.status,
  trace: (id: string) => ({ reported: [...(session.traces.get(id) ?? [])], shown: [...(shown.get(id) ?? [])] }),
  loaderStats: () => session.artifactCounters(),
  cacheStats: () => session.api.getCacheStats(),
  asOf,
};

declare global {
  interface Window {
    __proofline: typeof hook;
  }
}
window.__proofline = hook;
