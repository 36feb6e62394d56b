/** Fakes for pipeline unit tests: an auto-advancing clock, an honest scriptable prover, attestations, circuits. */
import type { Clock } from "../../../src/lib/proof/core/clock.js";
import { CancelledError, ProofError } from "../../../src/lib/proof/core/errors.js";
import type { CallOptions, Prover } from "../../../src/lib/proof/engine/prover.js";
import type { CircuitDefinition, CircuitInput, Groth16Proof, ProveOptions, ProveResult } from "../../../src/lib/proof/engine/types.js";
import { computeCircuitOutputs } from "../../../src/lib/proof/ebsl/fixed-point.js";
import type { Attestation, EncodedSlot } from "../../../src/lib/proof/ebsl/types.js";

/**
 * A clock whose timers fire on the next microtask turn after advancing time by their delay:
 * retries and backoffs run without real sleeps, and `now()` still reflects the waits.
 */
export class AutoClock implements Clock {
  t = 1_000;
  wall = 1_700_000_000_000;
  readonly delays: number[] = [];
  #cancelled = new Set<number>();
  #next = 1;
  now = () => this.t;
  wallNow = () => this.wall + this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.#next++;
    // Long timers (prover budgets) never fire by themselves in unit tests.
    if (ms >= 60_000) return id;
    this.delays.push(ms);
    void Promise.resolve().then(() => {
      if (this.#cancelled.has(id)) return;
      this.t += ms;
      fn();
    });
    return id;
  };
  clearTimeout = (handle: unknown) => {
    this.#cancelled.add(handle as number);
  };
}

export const PROOF: Groth16Proof = { pi_a: ["1", "2", "1"], pi_b: [["1", "2"], ["3", "4"], ["1", "0"]], pi_c: ["5", "6", "1"], protocol: "groth16", curve: "bn128" };

export const SUBJECT = "0xabc";
export const NOW = 1_700_000_000_000;

export function attestation(i: number, overrides: Partial<Attestation> = {}): Attestation {
  return {
    source: `0x${(i + 1).toString(16)}`,
    target: SUBJECT,
    opinion: { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: NOW - 1_000_000 + i,
    expires_at: NOW + 1_000_000_000,
    ...overrides,
  };
}
export const attestations = (n: number): Attestation[] => Array.from({ length: n }, (_, i) => attestation(i));

const ref = (name: string) => ({ url: `mem://${name}`, bytes: 1, sha256: "0".repeat(64) });
export function circuit(capacity: number, committed = true): CircuitDefinition {
  const id = `ebsl-${capacity}`;
  return { id, wasm: ref(`${id}.wasm`), zkey: ref(`${id}.zkey`), vkey: ref(`${id}.vkey`), meta: { family: "ebsl", capacity, committed } };
}
export const CIRCUITS: CircuitDefinition[] = [circuit(16), circuit(64), circuit(256, false)];

/** What the fake prover does for one call. */
export type Outcome = "ok" | "hold" | "tamper" | "unverified" | ProofError;

export interface ProveCall {
  readonly circuitId: string;
  readonly input: CircuitInput;
  readonly options: ProveOptions;
  /** Resolve a held call. */
  release(): void;
}

/** The honest public signals for an EBSL circuit input (what a real prover would output). */
export function honestSignals(input: CircuitInput): string[] {
  const col = (k: string) => (input[k] as string[]).map((v) => BigInt(v));
  const r = col("r"), s = col("s"), w = col("w"), a = col("a"), created = col("created"), expires = col("expires"), issuer = col("issuer");
  // Slots carry no target: the entry is the subject's.
  const slots: EncodedSlot[] = r.map((_, i) => ({ r: r[i]!, s: s[i]!, w: w[i]!, a: a[i]!, created: created[i]!, expires: expires[i]!, issuer: issuer[i]!, target: 0n }));
  const pub = { now: BigInt(input["now"] as string), subject: BigInt(input["subject"] as string), threshold: BigInt(input["threshold"] as string), reveal: BigInt(input["reveal"] as string) as 0n | 1n };
  const out = computeCircuitOutputs(slots, pub);
  return [out.commitment, out.scoreOut, out.meets, pub.now, pub.subject, pub.threshold, pub.reveal, BigInt(input["root"] as string)].map(String);
}

/** A Prover driven by the test: outcomes per circuit id, consumed in order ("ok" when none left). */
export class FakeProver implements Prover {
  readonly calls: ProveCall[] = [];
  readonly outcomes: Record<string, Outcome[]> = {};
  preloads: string[] = [];
  disposed = false;
  /** (proof, signals) pairs this prover made: the fake's notion of "verifies" (soundness). */
  readonly #issued = new Set<string>();
  verifyCalls = 0;
  rerandomizeCalls = 0;
  #rerandomized = 0;

  #pair(proof: Groth16Proof, signals: readonly string[]): string {
    return JSON.stringify([proof.pi_a, proof.pi_b, proof.pi_c, signals]);
  }

  async prove(circuitId: string, input: CircuitInput, options: ProveOptions = {}): Promise<ProveResult> {
    const outcome = this.outcomes[circuitId]?.shift() ?? "ok";
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    this.calls.push({ circuitId, input, options, release });
    const signal = options.signal;
    const abortable = <T>(p: Promise<T>) =>
      new Promise<T>((resolve, reject) => {
        if (signal?.aborted) return reject(reasonOf(signal));
        signal?.addEventListener("abort", () => reject(reasonOf(signal)), { once: true });
        p.then(resolve, reject);
      });
    const progress = options.onProgress ?? (() => {});
    progress({ phase: "artifacts", percent: 0, step: "artifacts" });
    progress({ phase: "artifacts", percent: 1.5, artifact: { circuitId, artifact: "zkey", loadedBytes: 50, totalBytes: 100, source: "network" } });
    progress({ phase: "witness", percent: 3, step: "witness" });
    await abortable(Promise.resolve());
    progress({ phase: "proving", percent: 40, step: "multiexp A" });
    if (outcome === "hold") await abortable(held);
    else await abortable(Promise.resolve());
    if (outcome instanceof ProofError) throw outcome;
    progress({ phase: "verifying", percent: 97, step: "verifying" });
    const publicSignals = honestSignals(input);
    if (outcome === "tamper") publicSignals[1] = String(BigInt(publicSignals[1]!) + 1n);
    if (outcome !== "unverified") this.#issued.add(this.#pair(PROOF, publicSignals));
    progress({ phase: "done", percent: 100, step: "done" });
    return {
      proof: PROOF,
      publicSignals,
      circuitId,
      verified: outcome !== "unverified",
      timings: { artifactsMs: 1, witnessMs: 2, proveMs: 3, verifyMs: 4, totalMs: 10 },
    };
  }

  async verify(_circuitId: string, proof: Groth16Proof, signals: string[], _options?: CallOptions): Promise<boolean> {
    this.verifyCalls++;
    return this.#issued.has(this.#pair(proof, signals));
  }

  /** A "fresh" proof of the same statement: distinct bytes that verify iff the original did. */
  async rerandomize(_circuitId: string, proof: Groth16Proof, options: { publicSignals?: readonly string[] } = {}): Promise<Groth16Proof> {
    this.rerandomizeCalls++;
    const fresh: Groth16Proof = { ...proof, pi_c: [String(1000 + ++this.#rerandomized), "6", "1"] };
    const signals = options.publicSignals ?? [];
    if (this.#issued.has(this.#pair(proof, signals))) this.#issued.add(this.#pair(fresh, signals));
    return fresh;
  }

  async preload(circuitId: string): Promise<void> {
    this.preloads.push(circuitId);
  }

  dispose(): void {
    this.disposed = true;
  }
}

function reasonOf(signal: AbortSignal): ProofError {
  return signal.reason instanceof ProofError ? signal.reason : new CancelledError();
}

/** Let queued microtasks and auto-clock timers run. */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
