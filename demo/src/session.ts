/**
 * The demo's composition root: one proof API for the page, wired the way a dapp would wire it
 * (package entry only), plus the bits of UI state the library does not keep (finished results,
 * latency samples, per-artifact download rows). Also installs `window.__proofline`, a small
 * test hook the Chromium end-to-end tests drive (tests/browser/).
 */
import {
  bundledManifest,
  circuitsFromManifest,
  createProofAPI,
  isProofError,
  parseManifest,
} from "proofline";
import { createRegistry, type AttestationRegistry } from "proofline/ebsl";
import { writable } from "svelte/store";
import type {
  ArtifactProgress,
  Attestation,
  EbslProofResult,
  ProofPriority,
  ProofType,
  ProgressEvent,
} from "proofline";
import type { LatencySample } from "./latency.js";

export interface ArtifactRow {
  readonly key: string;
  readonly circuitId: string;
  readonly artifact: string;
  readonly loaded: number;
  readonly total: number;
  readonly source: ArtifactProgress["source"];
}

/** Where artifacts came from, counted from progress events (the workers load them). */
export interface ArtifactCounters {
  readonly networkRequests: number;
  readonly networkBytes: number;
  readonly storageHits: number;
  readonly memoryHits: number;
}

export interface Outcome {
  readonly id: string;
  readonly proofType: ProofType;
  readonly priority: ProofPriority;
  readonly ok: boolean;
  readonly result?: EbslProofResult;
  readonly errorCode?: string;
  readonly errorMessage?: string;
  /** undefined: not checked; "pending"; true/false: the worker's answer. */
  readonly verified?: boolean | "pending";
  readonly tamperedRejected?: boolean;
}

export interface RequestInput {
  readonly attestations: readonly Attestation[];
  readonly proofType: ProofType;
  readonly priority: ProofPriority;
  readonly threshold?: number;
}

export type Session = ReturnType<typeof createSession>;

/**
 * Build the page's proof API. Nothing starts until the first request or preload.
 * @param asOf the proofs' public `now` (epoch ms): fixed for the session, so asking for the same
 *   proof twice is the same request and the second is served by the proof cache.
 */
export function createSession(artifactsBaseUrl: string, asOf: number) {
  const manifest = parseManifest(bundledManifest());
  const circuits = circuitsFromManifest(manifest, artifactsBaseUrl);

  const artifactRows = writable<readonly ArtifactRow[]>([]);
  const loaderStats = writable<ArtifactCounters>({ networkRequests: 0, networkBytes: 0, storageHits: 0, memoryHits: 0 });
  const finishedLoads = new Set<string>();
  const outcomes = writable<Readonly<Record<string, Outcome>>>({});
  const latency = writable<readonly LatencySample[]>([]);
  // Progress values each request reported (onProgress) and showed (jobs store), for the tests.
  const traces = new Map<string, number[]>();
  const settled = new Map<string, Promise<Outcome>>();

  // A localhost download delivers hundreds of chunks back to back; re-rendering the rows for
  // each would be wasted main-thread work, so they are applied at most every 50 ms.
  const pendingRows = new Map<string, ArtifactRow>();
  let rowsTimer: ReturnType<typeof setTimeout> | undefined;
  const applyRows = () => {
    rowsTimer = undefined;
    const updates = [...pendingRows.values()];
    pendingRows.clear();
    artifactRows.update((rows) => {
      const next = [...rows];
      for (const row of updates) {
        const i = next.findIndex((r) => r.key === row.key);
        if (i === -1) next.push(row);
        else next[i] = row;
      }
      return next;
    });
  };
  const scheduleRows = () => {
    rowsTimer ??= setTimeout(applyRows, 50);
  };

  // The prover workers fetch, check and store the artifacts; the page only sees their progress.
  const api = createProofAPI({ artifactsBaseUrl });

  /** Artifacts-stage progress events name the artifact and where its bytes come from. */
  function watchArtifacts(e: ProgressEvent): void {
    if (!e.bytes || !e.artifact || !e.source || !e.circuitId) return;
    const key = `${e.circuitId}/${e.artifact}`;
    pendingRows.set(key, { key, circuitId: e.circuitId, artifact: e.artifact, loaded: e.bytes.loaded, total: e.bytes.total, source: e.source });
    scheduleRows();
    const load = `${e.requestId}/${key}`;
    if (e.bytes.total > 0 && e.bytes.loaded >= e.bytes.total && !finishedLoads.has(load)) {
      finishedLoads.add(load);
      const { source } = e;
      const total = e.bytes.total;
      loaderStats.update((s) => ({
        networkRequests: s.networkRequests + (source === "network" ? 1 : 0),
        networkBytes: s.networkBytes + (source === "network" ? total : 0),
        storageHits: s.storageHits + (source === "storage" ? 1 : 0),
        memoryHits: s.memoryHits + (source === "memory" ? 1 : 0),
      }));
    }
  }

  function setOutcome(id: string, patch: Partial<Outcome>) {
    outcomes.update((all) => ({ ...all, [id]: { ...all[id]!, ...patch } }));
  }

  // The page plays the registry operator: the attestations in the table are the registry (one
  // built per table, in a task of its own after the table changes, kept while it is unchanged).
  // A dapp fetches its holder's membership from the operator instead; the proof's public `root`
  // is then a root the operator published.
  const registries = new WeakMap<readonly Attestation[], AttestationRegistry | null>();
  const registryRoot = writable<string | undefined>(undefined);
  let building: Promise<void> = Promise.resolve();
  function registryOf(attestations: readonly Attestation[]): AttestationRegistry | null {
    let registry = registries.get(attestations);
    if (registry === undefined) {
      try {
        registry = createRegistry(attestations);
      } catch {
        // An invalid table: requestProof refuses the same attestation with a typed error.
        registry = null;
      }
      registries.set(attestations, registry);
    }
    registryRoot.set(registry?.root.toString(10));
    return registry;
  }
  function prepareRegistry(attestations: readonly Attestation[]): void {
    building = new Promise((resolve) => setTimeout(() => {
      registryOf(attestations);
      resolve();
    }, 0));
  }
  function membershipFor(attestations: readonly Attestation[]) {
    const registry = registryOf(attestations);
    const subject = attestations[0]?.target;
    return registry && subject !== undefined ? registry.membership(subject) : undefined;
  }

  /** Queue a proof; returns its request id at once. */
  function request(input: RequestInput): string {
    const trace: number[] = [];
    const registry = membershipFor(input.attestations);
    const req = api.requestProof(input.attestations, input.proofType, {
      priority: input.priority,
      now: asOf,
      ...(registry ? { registry } : {}),
      ...(input.threshold !== undefined ? { threshold: input.threshold } : {}),
      onProgress: (e: ProgressEvent) => {
        trace.push(e.progress);
        watchArtifacts(e);
      },
    });
    const id = req.requestId;
    traces.set(id, trace);
    outcomes.update((all) => ({ ...all, [id]: { id, proofType: input.proofType, priority: input.priority, ok: false } }));
    const done = req.then(
      (result): Outcome => {
        setOutcome(id, { ok: true, result });
        // A cache hit did no proving: it is not a latency sample of the circuit.
        if (!result.cached) latency.update((s) => [...s, { circuitId: result.circuitId, totalMs: result.timings.requestMs, proveMs: result.timings.proveMs, at: Date.now() }]);
        return { id, proofType: input.proofType, priority: input.priority, ok: true, result };
      },
      (error: unknown): Outcome => {
        const errorCode = isProofError(error) ? error.code : "UNKNOWN";
        const errorMessage = error instanceof Error ? error.message : String(error);
        setOutcome(id, { ok: false, errorCode, errorMessage });
        return { id, proofType: input.proofType, priority: input.priority, ok: false, errorCode, errorMessage };
      },
    );
    settled.set(id, done);
    return id;
  }

  /** Verify a finished proof in a worker against the pinned vkey; also checks a tampered copy fails. */
  async function verify(id: string): Promise<boolean> {
    let outcome: Outcome | undefined;
    outcomes.subscribe((all) => (outcome = all[id]))();
    const result = outcome?.result;
    if (!result) return false;
    setOutcome(id, { verified: "pending" });
    const ok = await api.verify(result);
    // Claim a different score: a sound verifier must say no.
    const tampered = result.publicSignals.map((s, i) => (i === 1 ? (BigInt(s) + 1n).toString() : s));
    const rejected = !(await api.verify({ ...result, publicSignals: tampered }));
    setOutcome(id, { verified: ok, tamperedRejected: rejected });
    return ok;
  }

  /** Forget downloaded artifacts (IndexedDB) so the next visit is a first visit again. */
  async function forgetArtifacts(): Promise<void> {
    api.dispose();
    await new Promise<void>((resolve) => {
      const r = indexedDB.deleteDatabase("proofline-artifacts");
      r.onsuccess = r.onerror = r.onblocked = () => resolve();
    });
  }

  return {
    api,
    circuits,
    asOf,
    insecureDevSetup: manifest.insecureDevSetup === true,
    stores: { artifactRows, loaderStats, outcomes, latency, registryRoot },
    traces,
    request,
    prepareRegistry,
    /** Resolves once the latest table's registry is built. */
    registryReady: () => building,
    wait: (id: string) => settled.get(id) ?? Promise.reject(new Error(`unknown request ${id}`)),
    cancel: (id: string) => api.cancelProof(id),
    verify,
    forgetArtifacts,
    artifactCounters: () => {
      let value: ArtifactCounters | undefined;
      loaderStats.subscribe((v) => (value = v))();
      return value as ArtifactCounters;
    },
  };
}
