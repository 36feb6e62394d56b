// The bench page: exposes `window.__bench` to bench/browser.mjs. Long tasks are recorded by an
// init script the bench installs before this module runs.
import { createProofAPI, bundledManifest } from "proofline";
import type { Attestation } from "proofline";
import { buildCircuitInput, toCircuitSignals } from "proofline/ebsl";

const DAY = 86_400_000;
const SUBJECT = "0x00000000000000000000000000000000000000aa";
const artifactsBaseUrl = new URL("circuits/", document.baseURI).toString();
// `?prewarm`: the API's prewarm option (a warm-up when the page is idle), for the bench's
// returning visits that measure it.
const api = createProofAPI({ artifactsBaseUrl, prewarm: new URLSearchParams(location.search).has("prewarm") });

function attestations(count: number, now: number): Attestation[] {
  return Array.from({ length: count }, (_, i) => {
    const u = 0.1 + ((i * 37) % 40) / 100;
    const b = Number(((1 - u) * 0.7).toFixed(6));
    return {
      source: `0x${(0xb000 + i).toString(16).padStart(40, "0")}`,
      target: SUBJECT,
      opinion: { belief: b, disbelief: Number((1 - u - b).toFixed(6)), uncertainty: u, base_rate: 0.5 },
      attestation_type: "trust",
      weight: 1 + (i % 3),
      created_at: now - DAY,
      expires_at: now + 30 * DAY,
    };
  });
}

let bare: Worker | undefined;
function bareProve(input: unknown, first: { wasm: Uint8Array; zkey: Uint8Array } | undefined, singleThread: boolean) {
  bare ??= new Worker(new URL("./bare.worker.ts", import.meta.url), { type: "module" });
  const w = bare;
  return new Promise<{ ok: boolean; ms: number; error?: string }>((resolve) => {
    w.onmessage = (e) => resolve(e.data);
    w.postMessage({ input, wasmBytes: first?.wasm, zkeyBytes: first?.zkey, singleThread });
  });
}

const bench = {
  ready: true,
  /** One proofline proof; wall ms measured on this page, plus the synchronous part of requestProof. */
  async proofline(count: number) {
    const now = Date.now();
    const list = attestations(count, now);
    const t0 = performance.now();
    // The longest stretch without a progress event (the bar sitting still), from request to result.
    let lastEvent = t0;
    let maxGapMs = 0;
    const request = api.requestProof(list, "exact", {
      now,
      onProgress: () => {
        const t = performance.now();
        maxGapMs = Math.max(maxGapMs, t - lastEvent);
        lastEvent = t;
      },
    });
    const syncMs = performance.now() - t0;
    const result = await request;
    maxGapMs = Math.max(maxGapMs, performance.now() - lastEvent);
    return { ms: performance.now() - t0, syncMs, maxGapMs, start: t0, end: performance.now(), circuitId: result.circuitId, timings: result.timings };
  },
  /** Only the synchronous part of requestProof (validation, planning, reference outputs); the request is cancelled at once. */
  async syncOnly(count: number) {
    const now = Date.now();
    const list = attestations(count, now);
    const t0 = performance.now();
    const request = api.requestProof(list, "exact", { now });
    const syncMs = performance.now() - t0;
    api.cancelProof(request.requestId);
    await request.catch(() => undefined);
    return syncMs;
  },
  /** Bare snarkjs fullProve on the same circuit input, in a plain worker on this page. */
  async bare(count: number, singleThread: boolean) {
    const now = Date.now();
    const manifest = bundledManifest() as { circuits: Record<string, { capacity: number; wasm: { path: string }; zkey: { path: string } }> };
    const entries = Object.values(manifest.circuits).sort((a, b) => a.capacity - b.capacity);
    const entry = entries.find((e) => e.capacity >= count) ?? entries.at(-1)!;
    const slots = buildCircuitInput({ attestations: attestations(count, now), subject: SUBJECT, now, threshold: 600000n, reveal: true, capacities: entries.map((e) => e.capacity), forceCapacity: entry.capacity });
    const input = toCircuitSignals(slots.slots, slots.publicInputs);
    let first: { wasm: Uint8Array; zkey: Uint8Array } | undefined;
    if (!bare) {
      const get = async (p: string) => new Uint8Array(await (await fetch(new URL(p, artifactsBaseUrl))).arrayBuffer());
      first = { wasm: await get(entry.wasm.path), zkey: await get(entry.zkey.path) };
    }
    const t0 = performance.now();
    const r = await bareProve(input, first, singleThread);
    return { ...r, wallMs: performance.now() - t0, start: t0, end: performance.now() };
  },
  /** Warm a worker with the smallest circuit (worker start, curve, artifacts), as a dapp would at page load. */
  async preload() {
    const t0 = performance.now();
    await api.preload();
    return performance.now() - t0;
  },
  dispose() {
    api.dispose();
    bare?.terminate();
  },
};

(window as unknown as { __bench: typeof bench }).__bench = bench;
