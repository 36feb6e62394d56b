import { describe, expect, it } from "vitest";
import { proveWithSnarkjs, snarkjsCurve } from "../../../src/lib/proof/worker/snarkjs-proving.js";
import { WarmCurve } from "../../../src/lib/proof/worker/warm-curve.js";
import type { ThreadedCurve, Curve } from "../../../src/lib/proof/worker/threaded-curve.js";
import type { Snarkjs } from "../../../src/lib/proof/worker/prover-core-options.js";
import type { Groth16Proof } from "../../../src/lib/proof/engine/types.js";

const proof = { pi_a: [], pi_b: [], pi_c: [], protocol: "groth16", curve: "bn128" } as unknown as Groth16Proof;

/** A snarkjs whose prover logs `lines` to the logger it is given, as snarkjs's does. */
function loggingSnarkjs(lines: string[]): Snarkjs {
  return {
    wtns: { calculate: async () => undefined },
    groth16: {
      async prove(_zkey, _wtns, logger) {
        for (const line of lines) (logger as { debug(m: string): void }).debug(line);
        return { proof, publicSignals: ["1"] };
      },
      verify: async () => true,
    },
  };
}

describe("proveWithSnarkjs", () => {
  it("turns snarkjs's log lines into typed steps in order; only data reaches the listener", async () => {
    const snarkjs = loggingSnarkjs(["Reading Wtns", "QAP AB: 0/1", "Multiexp start: multiexp A: 0/10", "Multiexp end: multiexp A: 0/10", "not a step"]);
    const steps: unknown[] = [];
    const result = await proveWithSnarkjs({ snarkjs, warmCurve: new WarmCurve() }, { threads: 1 }, new Uint8Array(), new Uint8Array(), (s) => steps.push(s));
    expect(result.publicSignals).toEqual(["1"]);
    expect(steps).toEqual([
      { step: "reading witness", fraction: 0 },
      { step: "multiexp A", fraction: 0.2 },
      { step: "multiexp A", fraction: 0.35 },
    ]);
  });
});

describe("snarkjsCurve", () => {
  const curve = { tm: { concurrency: 3 } } as unknown as Curve;
  const helpers = (get: () => Promise<Curve>) => ({ get }) as unknown as ThreadedCurve;

  it("reports the threads ffjavascript really started, not the threads asked", async () => {
    expect(await snarkjsCurve(helpers(async () => curve), 4)).toMatchObject({ threads: 3, threaded: { curve } });
  });

  it("runs on the warm single-threaded curve when helpers cannot start, or one thread was granted", async () => {
    expect(await snarkjsCurve(helpers(() => Promise.reject(new Error("CSP"))), 4)).toEqual({ threads: 1 });
    expect(await snarkjsCurve(helpers(async () => curve), 1)).toEqual({ threads: 1 });
    expect(await snarkjsCurve(undefined, 4)).toEqual({ threads: 1 });
  });
});
