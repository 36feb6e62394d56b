import { describe, expect, it } from "vitest";
import { helperDeath, ProverHelpers } from "../../../src/lib/proof/worker/prover-helpers.js";
import { HelperThreadDied } from "../../../src/lib/proof/worker/threaded-curve.js";
import { SliceHelperDied } from "../../../src/lib/proof/worker/bn254/split/slice-helper-client.js";

describe("prover helpers", () => {
  it("has no helpers without a way to start them, and splits nothing then", async () => {
    const helpers = new ProverHelpers({});
    expect(helpers.available(true)).toBe(false);
    expect(helpers.available(false)).toBe(false);
    expect(await helpers.splitFor(4, { key: {}, bytes: async () => new Uint8Array(0) })).toBeUndefined();
    const end = helpers.hold();
    helpers.release();
    end();
  });

  it("maps a helper's death: out of memory stays RESOURCE_EXHAUSTED, anything else is a crash; other errors are not its business", () => {
    const context = { circuitId: "c", stage: "proving", threads: 3 };
    const oom = new SliceHelperDied(new RangeError("WebAssembly.Memory(): could not allocate memory"));
    expect(helperDeath(oom, context)).toMatchObject({ code: "RESOURCE_EXHAUSTED", details: { threads: 3 } });
    expect(helperDeath(new HelperThreadDied(new Error("exit 1")), context)).toMatchObject({ code: "WORKER_CRASHED", details: { circuitId: "c", threads: 3 } });
    expect(helperDeath(new Error("other"), context)).toBeUndefined();
  });
});
