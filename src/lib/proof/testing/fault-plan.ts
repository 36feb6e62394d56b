/**
 * Fault plans: data that says which fault to inject, where, and how often; and the seeded
 * schedule that turns a plan into deterministic yes/no decisions.
 *
 * TEST-ONLY. This module is reachable only from the `proofline/testing` entry and the fault
 * worker entries; the production entries (index, node, prover workers) never import it, and
 * tests/integration/fault-isolation.test.ts checks the built files for FAULT_MARKER.
 */

/** Marker carried by every injected failure's message and by the fault code itself. */
export const FAULT_MARKER = "proofline-fault-injection";

/** Faults injected inside a prover worker (through the fault worker factory). */
export type WorkerFaultKind = "crash" | "memory" | "stall";
/** Faults injected into artifact downloads (through `createFaultyFetch`). */
export type NetworkFaultKind = "network-drop" | "corrupt";
/** Faults injected into persistent artifact storage (through `createFaultyStore`). */
export type StorageFaultKind = "storage-unavailable" | "storage-full";
export type FaultKind = WorkerFaultKind | NetworkFaultKind | StorageFaultKind;

export const WORKER_FAULT_KINDS: readonly WorkerFaultKind[] = ["crash", "memory", "stall"];
export const NETWORK_FAULT_KINDS: readonly NetworkFaultKind[] = ["network-drop", "corrupt"];
export const STORAGE_FAULT_KINDS: readonly StorageFaultKind[] = ["storage-unavailable", "storage-full"];

/**
 * One fault. Without `nth` or `probability` every matching event is faulted.
 * @example { kind: "crash", circuitId: "ebsl-16", nth: 1, seed: 7 } // crash the first ebsl-16 proof
 * @example { kind: "stall", probability: 0.1, seed: 42 } // stall 10 % of proofs, reproducibly
 */
export interface FaultPlan {
  readonly kind: FaultKind;
  /** Only events about this circuit (worker: the proved circuit; fetch: a URL containing it). */
  readonly circuitId?: string;
  /** Only this artifact (fetch faults): matched by the URL's file suffix. */
  readonly artifact?: "wasm" | "zkey" | "vkey";
  /** Fault each matching event with this probability, drawn from the seeded PRNG. */
  readonly probability?: number;
  /** Fault exactly the nth matching event (1-based) and no other. Wins over `probability`. */
  readonly nth?: number;
  /** Seed of the plan's PRNG: same seed, same decisions. */
  readonly seed: number;
}

/** What a decision is about. */
export interface FaultTarget {
  readonly circuitId?: string;
  /** Fetch faults: the requested URL. */
  readonly url?: string;
}

/** One injected fault, as recorded by a schedule. */
export interface FaultRecord {
  readonly kind: FaultKind;
  readonly circuitId?: string;
  /** Index of the matching event this fault hit (1-based, per plan). */
  readonly event: number;
}

/** What a fault wrapper exposes of its decisions (for assertions and reports). */
export interface FaultLog<K extends FaultKind = FaultKind> {
  /** Every fault injected so far, in order. */
  readonly injected: readonly FaultRecord[];
  /** Injected faults counted by kind. */
  counts(): Partial<Record<K, number>>;
}

/** mulberry32: tiny, seedable, good enough to spread faults; never used for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALL_KINDS: readonly FaultKind[] = [...WORKER_FAULT_KINDS, ...NETWORK_FAULT_KINDS, ...STORAGE_FAULT_KINDS];

/** Validate a plan once; throws a RangeError naming the bad field and value. */
export function validateFaultPlan(plan: FaultPlan): FaultPlan {
  if (!plan || typeof plan !== "object") throw new RangeError(`${FAULT_MARKER}: a fault plan must be an object`);
  if (!ALL_KINDS.includes(plan.kind)) throw new RangeError(`${FAULT_MARKER}: unknown fault kind ${String(plan.kind)}`);
  if (!Number.isSafeInteger(plan.seed)) throw new RangeError(`${FAULT_MARKER}: seed must be an integer, got ${String(plan.seed)}`);
  if (plan.probability !== undefined && !(plan.probability >= 0 && plan.probability <= 1)) {
    throw new RangeError(`${FAULT_MARKER}: probability must be in [0, 1], got ${String(plan.probability)}`);
  }
  if (plan.nth !== undefined && !(Number.isSafeInteger(plan.nth) && plan.nth >= 1)) {
    throw new RangeError(`${FAULT_MARKER}: nth must be an integer >= 1, got ${String(plan.nth)}`);
  }
  return plan;
}

const ARTIFACT_SUFFIX = { wasm: ".wasm", zkey: ".zkey", vkey: ".json" } as const;

function matches(plan: FaultPlan, target: FaultTarget): boolean {
  if (plan.circuitId !== undefined) {
    const about = target.circuitId ?? target.url ?? "";
    if (target.circuitId !== undefined ? target.circuitId !== plan.circuitId : !about.includes(plan.circuitId)) return false;
  }
  if (plan.artifact !== undefined) {
    const path = (target.url ?? "").replace(/[?#].*$/, "");
    if (!path.endsWith(ARTIFACT_SUFFIX[plan.artifact])) return false;
  }
  return true;
}

/**
 * Deterministic decisions for a set of plans of one family (worker, network or storage). Each
 * plan has its own PRNG and event counter, so adding a plan never shifts another's decisions.
 * The first plan that fires wins an event.
 */
export class FaultSchedule<K extends FaultKind = FaultKind> implements FaultLog<K> {
  readonly #plans: { plan: FaultPlan & { kind: K }; random: () => number; events: number }[];
  readonly #log: FaultRecord[] = [];
  #paused = false;

  constructor(plans: FaultPlan | readonly FaultPlan[], kinds: readonly K[]) {
    const list = Array.isArray(plans) ? (plans as readonly FaultPlan[]) : [plans as FaultPlan];
    this.#plans = list.map((p) => {
      validateFaultPlan(p);
      if (!kinds.includes(p.kind as K)) throw new RangeError(`${FAULT_MARKER}: fault kind ${p.kind} does not belong here (expected ${kinds.join(", ")})`);
      return { plan: p as FaultPlan & { kind: K }, random: seededRandom(p.seed), events: 0 };
    });
  }

  /** Decide for one event; a fired fault is recorded and returned. */
  decide(target: FaultTarget): (FaultPlan & { kind: K }) | undefined {
    if (this.#paused) return undefined;
    let fired: (FaultPlan & { kind: K }) | undefined;
    for (const entry of this.#plans) {
      if (!matches(entry.plan, target)) continue;
      entry.events += 1;
      // Draw on every matching event, fired or not, so decisions depend only on the event index.
      const r = entry.random();
      const hit = entry.plan.nth !== undefined ? entry.events === entry.plan.nth : r < (entry.plan.probability ?? 1);
      if (hit && !fired) {
        fired = entry.plan;
        this.#log.push({ kind: entry.plan.kind, event: entry.events, ...(target.circuitId !== undefined ? { circuitId: target.circuitId } : {}) });
      }
    }
    return fired;
  }

  /** Stop injecting (warm-up, a final health probe); paused events are not counted. */
  pause(): void {
    this.#paused = true;
  }

  /** Inject again, continuing the same deterministic sequence. */
  resume(): void {
    this.#paused = false;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** Every fault injected so far, in order. */
  get injected(): readonly FaultRecord[] {
    return [...this.#log];
  }

  /** Injected faults counted by kind. */
  counts(): Partial<Record<K, number>> {
    const out: Partial<Record<K, number>> = {};
    for (const r of this.#log) out[r.kind as K] = (out[r.kind as K] ?? 0) + 1;
    return out;
  }
}
