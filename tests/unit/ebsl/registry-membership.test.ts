import { describe, expect, it } from "vitest";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { noYield } from "../../../src/lib/proof/core/clock.js";
import { ebslVariants, planEbslRequest } from "../../../src/lib/proof/ebsl/ebsl-plan.js";
import type { EbslPlanRequest } from "../../../src/lib/proof/ebsl/ebsl-plan.js";
import { createRegistry } from "../../../src/lib/proof/ebsl/registry.js";
import { computeCircuitOutputs } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { CIRCUITS, NOW, SUBJECT, attestation, attestations } from "../client/fakes.js";

const variants = ebslVariants(CIRCUITS);
const others = Array.from({ length: 3 }, (_, i) => attestation(50 + i, { target: "0xdef" }));
const mine = attestations(5);
/** The operator's order: not the canonical one, interleaved with another subject's. */
const registry = createRegistry([mine[3]!, others[0]!, mine[0]!, mine[4]!, others[1]!, mine[1]!, mine[2]!, others[2]!]);
const membership = registry.membership(SUBJECT);

const plan = (over: Partial<EbslPlanRequest> = {}, options: Record<string, unknown> = {}) =>
  planEbslRequest({
    attestations: mine, proofType: "exact", options: { now: NOW, registry: membership, ...options }, variants, wallNow: NOW,
    defaultThreshold: 600_000, yield: noYield, ...over,
  });

function refusal(fn: () => unknown): ProofError {
  try {
    fn();
  } catch (e) {
    return e as ProofError;
  }
  throw new Error("expected an error");
}

describe("an EBSL request against a registry", () => {
  it("lays the slots out in the entry's order and proves against the registry's root, whatever order they came in", async () => {
    const p = plan({ attestations: [mine[2]!, mine[0]!, mine[4]!, mine[1]!, mine[3]!] });
    expect(p.variants).toEqual(["ebsl-16"]);
    const v = await p.prepare("ebsl-16");
    expect(v.slots.usedIndices).toEqual([4, 1, 2, 3, 0]); // entry order 3, 0, 4, 1, 2 of `mine`
    const signals = await v.expectedPublicSignals();
    expect(signals[7]).toBe(membership.root);
    expect(v.input["root"]).toBe(membership.root);
    expect(v.input["entryIndex"]).toBe(String(membership.entryIndex));
    expect(signals[1]).toBe(String(computeCircuitOutputs(v.slots.slots, v.slots.publicInputs).score));
  });

  it("refuses at once: a different count than the entry holds, an attestation about someone else, a malformed membership", () => {
    const fewer = refusal(() => plan({ attestations: mine.slice(1) }));
    expect(fewer).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "registry" } });
    expect(fewer.message).toMatch(/holds 5 attestation\(s\) and 4 were given/);
    const foreign = refusal(() => plan({ attestations: [...mine.slice(0, 4), others[0]!] }, { subject: SUBJECT }));
    expect(foreign).toMatchObject({ code: "VALIDATION_ERROR", details: { index: 4 } });
    for (const bad of [null, { ...membership, root: "0x1" }, { ...membership, entryIndex: -1 }, { ...membership, siblings: [] }, { ...membership, leaves: ["x"] }]) {
      expect(refusal(() => plan({}, { registry: bad })).code).toBe("VALIDATION_ERROR");
    }
  });

  it("refuses before proving, naming its index, an attestation that is not in the entry", async () => {
    const forged = attestation(3, { weight: 3 }); // same issuer and times as mine[3], other content
    const p = plan({ attestations: [mine[0]!, mine[1]!, mine[2]!, forged, mine[4]!] });
    await expect(p.prepare("ebsl-16")).rejects.toMatchObject({ code: "VALIDATION_ERROR", details: { index: 3, field: "attestations[3]" } });
  });

  it("refuses a stale membership: the entry and path no longer lead to its root", async () => {
    const later = createRegistry([...mine]);
    const stale = { ...later.membership(SUBJECT) };
    later.add([attestation(70, { target: "0x123" })]);
    const p = plan({}, { registry: { ...later.membership(SUBJECT), root: stale.root } });
    await expect(p.prepare("ebsl-16")).rejects.toMatchObject({ code: "VALIDATION_ERROR", details: { field: "registry" } });
  });

  it("takes attestations that are not in force (they count for nothing) and never falls back below the entry's span", async () => {
    const expired = attestation(9, { created_at: NOW - 10, expires_at: NOW - 1 });
    const reg = createRegistry([...attestations(16), expired]);
    const p = plan({ attestations: [...attestations(16), expired] }, { registry: reg.membership(SUBJECT) });
    expect(p.variants).toEqual(["ebsl-64"]);
    const v = await p.prepare("ebsl-64");
    expect(v.slots.slots[16]!.expires).toBe(BigInt(NOW - 1));
    const withoutIt = await plan({ attestations: attestations(16) }, { registry: undefined }).prepare("ebsl-16");
    expect(v.outputs.score).toBe(withoutIt.outputs.score);
    // A plan without the registry still refuses the expired one.
    expect(refusal(() => plan({ attestations: [...attestations(16), expired] }, { registry: undefined })).code).toBe("VALIDATION_ERROR");
  });

  it("refuses an entry wider than the largest available circuit", () => {
    const wide = createRegistry(attestations(65));
    const err = refusal(() => plan({ attestations: attestations(65) }, { registry: wide.membership(SUBJECT) }));
    expect(err).toMatchObject({ code: "VALIDATION_ERROR", details: { field: "registry" } });
    expect(err.message).toMatch(/spans 65 positions/);
  });
});
