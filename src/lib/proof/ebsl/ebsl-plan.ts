/**
 * EBSL requests → a generic `RequestPlan`: validation, subject and `now`, threshold and reveal,
 * variant choice and fallback order, the public signals a correct proof must have (computed by
 * the TypeScript reference), and the caller's result.
 *
 * Variant rule: among the manifest's EBSL circuits whose artifacts are available (not marked
 * `committed: false`), the smallest capacity that holds every attestation (or the largest when
 * none does, with the subset rule); fallbacks are the smaller capacities, largest first.
 *
 * Main-thread budget: `planEbslRequest` runs inside `requestProof`, synchronously, so it does
 * only what must fail at once: validation of the options, of a frozen copy of the attestations
 * (at most 1,024; well under a millisecond) and of a registry membership's shape and counts.
 * Encoding, the subset rule, the registry hashes (a leaf per attestation, the entry tree and the
 * path to the root: about 34 Poseidon hashes for 16 attestations, 0.2-0.5 ms each in a warm
 * V8, more on a cold page) and the circuit signals are built by `prepare`, inside the queued job,
 * in steps of a few hashes.
 *
 * Registry: with `options.registry` the proof is against that registry (the operator's entry
 * order, no fallback to a smaller circuit: the entry must fit). Without it, a private registry
 * of exactly the subject's attestations (its first entry, canonical order): the proof is valid
 * but its root vouches for nothing, and a verifier that wants authenticated attestations refuses
 * roots it does not know.
 *
 * Every step watches the request's signal: a cancel during selection settles at once.
 */
import { abortError, raceSignal } from "../core/abort.js";
import { CircuitNotFoundError } from "../core/errors.js";
import { invalid } from "../core/option-checks.js";
import { PromiseMemo } from "../core/shared-flights.js";
import type { CircuitDefinition, CircuitInput, Groth16Proof, ProveTimings } from "../engine/types.js";
import { buildCircuitInput, selectVariant, toCircuitSignals } from "./circuit-input.js";
import type { CircuitInput as EbslSlots } from "./circuit-input.js";
import { idToField, sameId } from "./encode.js";
import { checkMembership, placeInEntrySteps, type CheckedMembership } from "./registry-membership.js";
import type { RegistryMembership } from "./registry.js";
import { entryStatementSteps, loneEntryPosition, type EntryStatement, type RegistryPosition } from "./registry-tree.js";
import { assertPublicInRange, assertSlotInRange, computeScoreOutputs } from "./fixed-point.js";
import { fusedOpinionFromOutputs } from "./fusion.js";
import type { Attestation, CircuitOutputs, Opinion } from "./types.js";
import { validateAttestations } from "./validation.js";
import { yieldToEventLoop, type YieldFn } from "../core/clock.js";
import type { ProofErrorCode } from "../core/errors.js";
import type { DecoratedResult, PreparedVariant, RequestPlan } from "../request/request-plan.js";
import { resultHash } from "../core/content-hash.js";

/** `"exact"` reveals the score; `"threshold"` proves only `score >= threshold`. */
export type ProofType = "exact" | "threshold";

export interface EbslRequestOptions {
  /** Whom the score is about. @default the common `target` of all attestations */
  readonly subject?: string;
  /** Epoch ms the proof is "as of" (public input). @default wall-clock time at submission */
  readonly now?: number;
  /** On the 10^6 scale (600000 = 0.6). @default the API's `defaultThreshold` (600000) */
  readonly threshold?: number | bigint;
  /**
   * The subject's membership in an operator's registry, `registry.membership(subject)` from
   * `proofline/ebsl`: the proof then carries the subject's whole entry against that root. Pass
   * every attestation in the entry (in force or not; any order); one that is not in it is
   * refused before proving with a `ValidationError` naming its index. Without it the proof uses
   * a private registry whose root vouches for nothing.
   */
  readonly registry?: RegistryMembership;
}

/** An EBSL circuit the plan may use. */
export interface EbslVariant {
  readonly circuitId: string;
  readonly capacity: number;
}

/** The result of `requestProof`. */
export interface EbslProofResult {
  readonly proof: Groth16Proof;
  /** Decimal strings: [commitment, scoreOut, meets, now, subject, threshold, reveal, root]. */
  readonly publicSignals: readonly string[];
  /** Alias of `publicSignals` (Shadowgraph name). */
  readonly publicInputs: readonly string[];
  /** SHA-256 hex of (circuitId, proof, publicSignals) of THIS proof (a re-randomised one has its own); see core/content-hash.ts. */
  readonly hash: string;
  /**
   * `"exact"` only: the fused opinion behind the proven score (from the circuit's integers).
   * Absent from threshold results, which carry nothing that gives the score back. It is not part
   * of the proven statement (it also tells the total evidence, which the score does not): keep
   * it local, send `{ circuitId, proof, publicSignals }`.
   */
  readonly fusedOpinion?: Opinion;
  /** Fixed-point score (10^6 scale) for `"exact"`; undefined for `"threshold"` (it stays hidden). */
  readonly score: number | undefined;
  readonly meetsThreshold: boolean;
  readonly threshold: number;
  readonly proofType: ProofType;
  readonly circuitId: string;
  /** How many of the caller's attestations are in the proof. */
  readonly attestationsUsed: number;
  /** True when some attestations were left out (subset rule). */
  readonly truncated: boolean;
  /** The failure code that made the pipeline fall back to this smaller circuit. */
  readonly fallbackReason?: ProofErrorCode;
  readonly attempts: number;
  readonly requestId: string;
  /**
   * True when no proving job of this request made the proof: a cache hit (re-checked on read) or
   * a join of an identical in-flight request (`cacheSource` says which).
   */
  readonly cached: boolean;
  readonly cacheSource?: "hit" | "joined";
  /**
   * This request's timings. A cache hit did no artifact, witness or proving work: those are 0 and
   * `totalMs` is the lookup with its re-check. A join reports the shared job's timings.
   */
  readonly timings: ProveTimings & { readonly queueWaitMs: number; readonly requestMs: number };
}

export interface PreparedEbslVariant extends PreparedVariant {
  readonly slots: EbslSlots;
  /** What the circuit outputs, except the Poseidon commitment (see `expectedPublicSignals`). */
  readonly outputs: Omit<CircuitOutputs, "commitment">;
  /** [commitment, scoreOut, meets, now, subject, threshold, reveal, root]. */
  readonly expectedPublicSignals: (signal?: AbortSignal) => Promise<readonly string[]>;
}

/** An EBSL request plan: the generic plan plus how many attestations the caller gave. */
export interface EbslRequestPlan extends RequestPlan<PreparedEbslVariant, EbslProofResult> {
  readonly attestationCount: number;
}

export interface EbslPlanRequest {
  readonly attestations: unknown;
  readonly proofType: unknown;
  readonly options: EbslRequestOptions;
  readonly variants: readonly EbslVariant[];
  /** Wall-clock ms at submission, used when `options.now` is absent. */
  readonly wallNow: number;
  readonly defaultThreshold: number;
  /** Runs before a variant is prepared and between its Poseidon links. @default yieldToEventLoop */
  readonly yield?: YieldFn;
}

/**
 * EBSL variants among `circuits`: `meta.family === "ebsl"` with a positive integer
 * `meta.capacity`; those named in `ids`, or by default those not marked `committed: false`
 * (listed but not built). Sorted by capacity.
 */
export function ebslVariants(circuits: readonly CircuitDefinition[], ids?: readonly string[]): EbslVariant[] {
  const wanted = (c: CircuitDefinition): boolean => (ids ? ids.includes(c.id) : c.meta?.["committed"] !== false);
  return circuits
    .filter((c) => c.meta?.["family"] === "ebsl" && Number.isSafeInteger(c.meta?.["capacity"]) && wanted(c))
    .map((c) => ({ circuitId: c.id, capacity: c.meta?.["capacity"] as number }))
    .filter((v) => v.capacity > 0)
    .sort((a, b) => a.capacity - b.capacity);
}

/** `subject` was checked with the request's options (client/request-options.ts). */
function resolveSubject(attestations: readonly Attestation[], subject: string | undefined): string {
  if (subject !== undefined) return subject;
  const first = attestations[0]!.target;
  if (!attestations.every((a) => sameId(a.target, first))) {
    invalid("subject", "attestations have different targets: pass options.subject");
  }
  return first;
}

/** Without a registry: the smallest capacity that holds every attestation, then the smaller ones, largest first. */
function fallbackOrder(available: readonly EbslVariant[], count: number): EbslVariant[] {
  const preferred = selectVariant(count, available.map((v) => v.capacity)).capacity;
  return available.filter((v) => v.capacity <= preferred).sort((a, b) => b.capacity - a.capacity);
}

/** Against a registry: the smallest capacity that holds the whole entry; no smaller one can. */
function entryVariant(available: readonly EbslVariant[], membership: CheckedMembership): EbslVariant {
  const fit = [...available].sort((a, b) => a.capacity - b.capacity).find((v) => v.capacity >= membership.span);
  if (!fit) {
    const largest = Math.max(...available.map((v) => v.capacity));
    invalid("registry", `the subject's entry spans ${membership.span} positions and the largest available EBSL circuit holds ${largest}`);
  }
  return fit;
}

/**
 * Validate an EBSL request and plan it. Throws `ValidationError` (naming index and field) or
 * `CircuitNotFoundError` synchronously: nothing is queued for a bad request.
 */
export function planEbslRequest(request: EbslPlanRequest): EbslRequestPlan {
  const { proofType, options } = request;
  if (proofType !== "exact" && proofType !== "threshold") invalid("proofType", 'must be "exact" or "threshold"');
  // `now`, `subject` and `threshold` were checked with the request's options, and the default
  // threshold with the API's (client/): trusted here.
  const now = options.now ?? request.wallNow;
  const attestations = validateAttestations(request.attestations, { now, allowOutOfForce: options.registry !== undefined });
  const subject = resolveSubject(attestations, options.subject);
  const threshold = BigInt(options.threshold ?? request.defaultThreshold);
  const membership = options.registry === undefined ? undefined : checkMembership(options.registry, attestations, subject);
  const reveal = proofType === "exact";

  const available = request.variants;
  if (available.length === 0) throw new CircuitNotFoundError("No EBSL circuit with available artifacts in the manifest.", { details: { family: "ebsl" } });
  const capacities = available.map((v) => v.capacity);
  const ordered = membership ? [entryVariant(available, membership)] : fallbackOrder(available, attestations.length);
  const byId = new Map(ordered.map((v) => [v.circuitId, v]));

  const pause = request.yield ?? yieldToEventLoop;
  /** A yield that ends the work as soon as the request is cancelled. */
  const step = async (signal: AbortSignal | undefined): Promise<void> => {
    await raceSignal(pause(), signal);
    if (signal?.aborted) throw abortError(signal);
  };
  /** Encoding, subset rule and range checks of one variant: synchronous, a few ms at most. */
  const encode = (circuitId: string): EbslSlots => {
    const variant = byId.get(circuitId);
    if (!variant) throw new CircuitNotFoundError(`Circuit "${circuitId}" is not an EBSL variant of this request.`, { details: { circuitId } });
    const slots = buildCircuitInput({ attestations, subject, now, threshold, reveal, capacities, forceCapacity: variant.capacity });
    assertPublicInRange(slots.publicInputs);
    slots.slots.forEach(assertSlotInRange);
    return slots;
  };
  /**
   * In the job, after a yield: slots, the registry statement (commitment and root, in steps of
   * a few hashes), reference outputs and circuit signals. A yield after encoding: what follows
   * in the same turn (the input's canonical form and cache key, a worker's start on a cold page)
   * made one task of 18-22 ms of CPU with the encoding on a cold page, measured in Chromium.
   */
  const build = async (circuitId: string, signal: AbortSignal | undefined): Promise<PreparedEbslVariant> => {
    await step(signal);
    /** A tree walk of a few hashes a step, run here with a yield between its steps. */
    const walk = async <T>(steps: Generator<void, T, void>): Promise<T> => {
      for (let next = steps.next(); ; next = steps.next()) {
        if (next.done) return next.value;
        await step(signal);
      }
    };
    let slots: EbslSlots;
    let position: RegistryPosition;
    let statement: EntryStatement;
    if (membership) {
      const capacity = byId.get(circuitId)?.capacity;
      if (capacity === undefined) throw new CircuitNotFoundError(`Circuit "${circuitId}" is not an EBSL variant of this request.`, { details: { circuitId } });
      const publicInputs = { now: BigInt(now), subject: idToField(subject), threshold, reveal: reveal ? 1n : 0n } as const;
      const placed = await walk(placeInEntrySteps(attestations, membership, publicInputs.subject, capacity));
      slots = { capacity, slots: placed.slots, publicInputs, usedIndices: placed.usedIndices, truncated: false };
      assertPublicInRange(publicInputs);
      slots.slots.forEach(assertSlotInRange);
      position = membership;
      statement = { commitment: placed.commitment, root: membership.root };
    } else {
      slots = encode(circuitId);
      await step(signal);
      position = loneEntryPosition();
      statement = await walk(entryStatementSteps(slots.publicInputs.subject, slots.slots, position));
    }
    const p = slots.publicInputs;
    const outputs = computeScoreOutputs(slots.slots, p);
    await step(signal);
    const expected = Object.freeze(
      [statement.commitment, outputs.scoreOut, outputs.meets, p.now, p.subject, p.threshold, p.reveal, statement.root].map((v) => v.toString(10)),
    );
    const expectedPublicSignals = (callSignal?: AbortSignal): Promise<readonly string[]> => raceSignal(Promise.resolve(expected), callSignal ?? signal);
    const input = toCircuitSignals(slots.slots, p, { ...position, root: statement.root });
    return { circuitId, input: input as unknown as CircuitInput, expectedPublicSignals, slots, outputs };
  };
  // A failed build is not cached: a later call tries again.
  const prepared = PromiseMemo.strong<string, PreparedEbslVariant>();
  const prepare = (circuitId: string, signal?: AbortSignal): Promise<PreparedEbslVariant> =>
    raceSignal(prepared.peek(circuitId) ?? prepared.keep(circuitId, build(circuitId, signal)), signal);

  return {
    kind: proofType,
    variants: ordered.map((v) => v.circuitId),
    attestationCount: attestations.length,
    prepare,
    decorate(proved, variant, run): DecoratedResult<EbslProofResult> {
      const { outputs, slots } = variant;
      const publicSignals = Object.freeze([...proved.publicSignals]);
      const hash = resultHash(proved.circuitId, proved.proof, publicSignals);
      const result: EbslProofResult = {
        proof: proved.proof,
        publicSignals,
        publicInputs: publicSignals,
        hash,
        // A threshold proof hides the score: nothing derived from it leaves the plan.
        ...(reveal ? { fusedOpinion: fusedOpinionFromOutputs(outputs) } : {}),
        score: reveal ? Number(outputs.score) : undefined,
        meetsThreshold: outputs.meets === 1n,
        threshold: Number(threshold),
        proofType,
        circuitId: proved.circuitId,
        attestationsUsed: slots.usedIndices.length,
        truncated: slots.truncated,
        ...(run.fallbackReason ? { fallbackReason: run.fallbackReason } : {}),
        attempts: run.attempts,
        requestId: run.requestId,
        cached: run.cached !== undefined,
        ...(run.cached ? { cacheSource: run.cached } : {}),
        timings: { ...proved.timings, queueWaitMs: run.queueWaitMs, requestMs: run.totalMs },
      };
      return { result, hash, truncated: slots.truncated };
    },
  };
}
