import { get } from "svelte/store";
import { describe, expect, it, vi } from "vitest";
import { lazyProofAPI } from "../../../src/lib/proof/client/lazy-proof-api.js";
import { ProofAPI } from "../../../src/lib/proof/client/proof-api.js";
import { AutoClock, CIRCUITS, FakeProver, NOW, attestations } from "./fakes.js";

describe("lazyProofAPI", () => {
  it("creates the instance on first use only, and again after dispose", async () => {
    const create = vi.fn(() => new ProofAPI({ prover: new FakeProver(), circuits: CIRCUITS, clock: new AutoClock(), concurrency: 1 }));
    const api = lazyProofAPI(create);
    expect(create).not.toHaveBeenCalled();
    expect(api.cancelProof("nope")).toBe(false);
    expect(api.getRequestStatus("nope")).toBeUndefined();
    expect(create).not.toHaveBeenCalled();
    const req = api.requestProof(attestations(2), "exact", { now: NOW });
    expect(create).toHaveBeenCalledTimes(1);
    const result = await req;
    await expect(api.verify(result)).resolves.toBe(true);
    expect(api.getRequestStatus(req.requestId)?.status).toBe("COMPLETED");
    expect(get(api.stores.queue).completed).toBe(1);
    expect(get(api.stores.job(req.requestId))?.status).toBe("COMPLETED");
    api.dispose();
    expect(get(api.stores.queue).completed).toBe(0);
    expect(create).toHaveBeenCalledTimes(2);
  });

  it("importing the entries creates nothing", async () => {
    const entry = await import("../../../src/index.js");
    expect(typeof entry.proofAPI.requestProof).toBe("function");
    expect(entry.proofAPI.getRequestStatus("x")).toBeUndefined();
  });
});
