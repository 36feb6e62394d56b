import { describe, expect, it } from "vitest";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { buildCircuitInput, toCircuitSignals } from "../../../src/lib/proof/ebsl/circuit-input.js";
import { commitSlots } from "../../../src/lib/proof/ebsl/registry-tree.js";
import { computeCircuitOutputs } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { idToField } from "../../../src/lib/proof/ebsl/encode.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import { ebslVariants, planEbslRequest } from "../../../src/lib/proof/ebsl/ebsl-plan.js";
import type { EbslPlanRequest } from "../../../src/lib/proof/ebsl/ebsl-plan.js";
import { CIRCUITS, NOW, PROOF, SUBJECT, attestation, attestations, circuit } from "../client/fakes.js";

const variants = ebslVariants(CIRCUITS);
const plan = (over: Partial<EbslPlanRequest> = {}) =>
  planEbslRequest({ attestations: attestations(3), proofType: "exact", options: { now: NOW }, variants, wallNow: NOW + 5, defaultThreshold: 600_000, yield: noYield, ...over });

function codeAndField(fn: () => unknown): [string, unknown, unknown] {
  try {
    fn();
  } catch (e) {
    const err = e as ProofError;
    return [err.code, err.details["field"], err.details["index"]];
  }
  throw new Error("expected an error");
}

describe("ebslVariants", () => {
  it("keeps EBSL circuits whose artifacts are committed, sorted by capacity", async () => {
    expect(variants).toEqual([
      { circuitId: "ebsl-16", capacity: 16 },
      { circuitId: "ebsl-64", capacity: 64 },
    ]);
    const other = { ...circuit(8), id: "multiplier", meta: {} };
    expect(ebslVariants([other, circuit(64), circuit(16)]).map((v) => v.capacity)).toEqual([16, 64]);
  });

  it("named ids choose the variants, a built on-demand circuit included", () => {
    expect(ebslVariants(CIRCUITS, ["ebsl-256", "ebsl-16"]).map((v) => v.circuitId)).toEqual(["ebsl-16", "ebsl-256"]);
  });
});

describe("planEbslRequest", () => {
  it("picks the smallest variant that fits, then the smaller ones as fallbacks", async () => {
    expect(plan().variants).toEqual(["ebsl-16"]);
    expect(plan({ attestations: attestations(16) }).variants).toEqual(["ebsl-16"]);
    expect(plan({ attestations: attestations(17) }).variants).toEqual(["ebsl-64", "ebsl-16"]);
    // more than the largest available (256 is not committed): the largest, truncated
    const big = plan({ attestations: attestations(70) });
    expect(big.variants).toEqual(["ebsl-64", "ebsl-16"]);
    expect((await big.prepare("ebsl-64")).slots).toMatchObject({ capacity: 64, truncated: true });
  });

  it("expected public signals are the TypeScript reference's, for exact (reveal 1)", async () => {
    const p = plan();
    const v = await p.prepare("ebsl-16");
    const slots = buildCircuitInput({ attestations: attestations(3), subject: SUBJECT, now: NOW, threshold: 600_000n, reveal: true, capacities: [16, 64] });
    const out = computeCircuitOutputs(slots.slots, slots.publicInputs);
    const root = toCircuitSignals(slots.slots, slots.publicInputs).root;
    expect(await v.expectedPublicSignals()).toEqual([String(commitSlots(slots.slots)), String(out.score), String(out.meets), String(NOW), String(idToField(SUBJECT)), "600000", "1", root]);
    expect(v.input["root"]).toBe(root);
    expect(v.input["reveal"]).toBe("1");
    expect((v.input["r"] as string[]).length).toBe(16);
  });

  const decorated = async (p: ReturnType<typeof plan>) => {
    const v = await p.prepare("ebsl-16");
    const publicSignals = [...(await v.expectedPublicSignals())];
    const timings = { artifactsMs: 1, witnessMs: 1, proveMs: 1, totalMs: 3 };
    const out = p.decorate({ proof: PROOF, publicSignals, circuitId: "ebsl-16", verified: true, timings }, v, { requestId: "x", attempts: 1, queueWaitMs: 0, totalMs: 5 });
    return { v, result: out.result, out };
  };

  it("decorate reports the result's hash and truncation beside it, so the pipeline never reads the result", async () => {
    const { result, out } = await decorated(plan({ proofType: "exact" }));
    expect(out.hash).toBe(result.hash);
    expect(out.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(out.truncated).toBe(result.truncated);
  });

  it("threshold: reveal 0, scoreOut 0, default threshold from the API, score undefined in the result", async () => {
    const { v, result } = await decorated(plan({ proofType: "threshold", defaultThreshold: 700_000 }));
    expect((await v.expectedPublicSignals()).slice(1)).toEqual(["0", String(v.outputs.meets), String(NOW), String(idToField(SUBJECT)), "700000", "0", v.input["root"]]);
    expect(result.score).toBeUndefined();
    expect(result.threshold).toBe(700_000);
    expect(result.proofType).toBe("threshold");
    expect(result.meetsThreshold).toBe(v.outputs.meets === 1n);
  });

  it("a threshold result carries nothing that gives the score back; an exact one has its fused opinion", async () => {
    const { v, result } = await decorated(plan({ proofType: "threshold" }));
    const score = String(v.outputs.score);
    const json = JSON.stringify(result);
    expect(json).not.toContain("fusedOpinion");
    expect(json).not.toContain(score);
    expect(Object.keys(result)).not.toContain("fusedOpinion");
    expect(result.fusedOpinion).toBeUndefined();
    const exact = (await decorated(plan())).result;
    expect(exact.fusedOpinion!.belief + exact.fusedOpinion!.disbelief + exact.fusedOpinion!.uncertainty).toBeCloseTo(1, 9);
  });

  it("works on a copy of the attestations: later edits by the caller change nothing", async () => {
    const list = attestations(3);
    const p = plan({ attestations: list });
    const before = await (await plan({ attestations: attestations(3) }).prepare("ebsl-16")).expectedPublicSignals();
    (list[0] as { opinion: unknown }).opinion = { belief: 0.9, disbelief: 0, uncertainty: 0.1, base_rate: 0.5 };
    (list[1] as { weight: number }).weight = Number.NaN;
    list.length = 0;
    const v = await p.prepare("ebsl-16");
    expect(v.slots.usedIndices).toHaveLength(3);
    expect(await v.expectedPublicSignals()).toEqual(before);
  });

  it("selection watches the signal: a cancel settles at once even while the host never yields back", async () => {
    const p = plan({ attestations: attestations(20), yield: () => new Promise<void>(() => undefined) });
    const controller = new AbortController();
    const pending = p.prepare("ebsl-64", controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: "CANCELLED" });
  });

  it("now defaults to the wall clock at submission; subject to the common target", async () => {
    const list = attestations(2);
    const p = plan({ attestations: list, options: {} });
    const v = await p.prepare("ebsl-16");
    expect(v.input["now"]).toBe(String(NOW + 5));
    expect(v.input["subject"]).toBe(String(idToField(SUBJECT)));
    // the same id spelled differently is the same target
    const spelled = [attestation(0), attestation(1, { target: "0x0ABC" })];
    expect((await plan({ attestations: spelled }).prepare("ebsl-16")).input["subject"]).toBe(String(0xabcn));
  });

  it("validation errors are typed and name index and field, before anything else", async () => {
    expect(codeAndField(() => plan({ attestations: [attestation(0), attestation(1, { opinion: { belief: 0.5, disbelief: 0.5, uncertainty: 0.5, base_rate: 0.5 } })] }))).toEqual([
      "VALIDATION_ERROR",
      "opinion",
      1,
    ]);
    expect(codeAndField(() => plan({ attestations: [attestation(0, { expires_at: NOW - 1 })] }))).toEqual(["VALIDATION_ERROR", "expires_at", 0]);
    expect(codeAndField(() => plan({ attestations: [] }))).toEqual(["VALIDATION_ERROR", "attestations", null]);
    expect(codeAndField(() => plan({ attestations: [attestation(0), attestation(1, { target: "0xdef" })] }))).toEqual(["VALIDATION_ERROR", "subject", null]);
    expect(codeAndField(() => plan({ proofType: "score" }))).toEqual(["VALIDATION_ERROR", "proofType", null]);
    expect(codeAndField(() => plan({ variants: [] }))[0]).toBe("CIRCUIT_NOT_FOUND");
  });

  it("a fallback variant uses the deterministic subset, and is built once", async () => {
    const p = plan({ attestations: attestations(20) });
    const small = await p.prepare("ebsl-16");
    expect(small.slots.usedIndices).toHaveLength(16);
    expect(small.slots.truncated).toBe(true);
    expect(await p.prepare("ebsl-16")).toBe(small);
    expect(await (await plan({ attestations: attestations(20) }).prepare("ebsl-16")).expectedPublicSignals()).toEqual(await small.expectedPublicSignals());
  });

  it("prepares in the job in short steps: no work while planning, the registry hashes between yields", async () => {
    let yields = 0;
    const counting = async () => {
      yields++;
    };
    const p = plan({ attestations: attestations(20), yield: counting });
    expect(yields).toBe(0); // planning did no encoding or Poseidon work and never yielded
    const v = await p.prepare("ebsl-64");
    // 20 leaves, 9 entry nodes, 1 entry leaf and 10 path nodes, at most 6 hashes per step.
    expect(yields).toBeGreaterThanOrEqual(2 + Math.ceil(40 / 6));
    const expected = await v.expectedPublicSignals();
    expect(expected[0]).toBe(String(commitSlots(v.slots.slots)));
    expect(expected[7]).toBe(toCircuitSignals(v.slots.slots, v.slots.publicInputs).root);
    expect(await v.expectedPublicSignals()).toBe(expected); // computed once
    const { commitment: _, ...reference } = computeCircuitOutputs(v.slots.slots, v.slots.publicInputs);
    expect(v.outputs).toEqual(reference);
  });

  it("an unknown variant rejects with CIRCUIT_NOT_FOUND from prepare", async () => {
    await expect(Promise.resolve().then(() => plan().prepare("ebsl-256"))).rejects.toMatchObject({ code: "CIRCUIT_NOT_FOUND" });
  });
});
