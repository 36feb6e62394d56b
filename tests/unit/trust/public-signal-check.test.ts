import { describe, expect, it } from "vitest";
import { ProofError, PublicSignalMismatchError } from "../../../src/lib/proof/errors.js";
import { checkNamedPublicSignals, checkPublicSignals } from "../../../src/lib/proof/trust/public-signal-check.js";

const NAMES = ["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal"];
const ACTUAL = ["98765", "779802", "1", "1700000000", "7", "600000", "1"];

function caught(fn: () => void): ProofError {
  try {
    fn();
  } catch (error) {
    return error as ProofError;
  }
  throw new Error("expected a throw");
}

describe("checkPublicSignals", () => {
  it("passes when every constrained signal matches as an integer", () => {
    expect(() => checkPublicSignals(ACTUAL, [null, null, null, 1700000000n, "007", 600000, "1"])).not.toThrow();
  });

  it("names the index and signal of a tampered public signal", () => {
    const tampered = [...ACTUAL];
    tampered[4] = "8";
    const error = caught(() => checkPublicSignals(tampered, [null, null, null, "1700000000", "7", "600000", "1"], { names: NAMES, circuitId: "ebsl-16" }));
    expect(error).toBeInstanceOf(PublicSignalMismatchError);
    expect(error.code).toBe("PUBLIC_SIGNAL_MISMATCH");
    expect(error.details).toEqual({ reason: "value", index: 4, name: "subject", expected: "7", actual: "8", circuitId: "ebsl-16" });
  });

  it("rejects a wrong length and non-decimal actual values", () => {
    expect(caught(() => checkPublicSignals(ACTUAL.slice(1), Array(7).fill(null))).details).toMatchObject({ reason: "length", expectedLength: 7, actualLength: 6 });
    expect(caught(() => checkPublicSignals(["0x7"], ["7"])).details).toMatchObject({ index: 0, name: null });
  });
});

describe("checkNamedPublicSignals", () => {
  it("checks by name and ignores unnamed signals", () => {
    expect(() => checkNamedPublicSignals(ACTUAL, NAMES, { now: 1700000000n, subject: 7n, threshold: 600000n, reveal: 1n })).not.toThrow();
    const error = caught(() => checkNamedPublicSignals(ACTUAL, NAMES, { threshold: 500000n }, "ebsl-16"));
    expect(error.details).toMatchObject({ index: 5, name: "threshold", expected: "500000", actual: "600000" });
  });

  it("refuses an expected name the circuit does not have", () => {
    expect(caught(() => checkNamedPublicSignals(ACTUAL, NAMES, { subjet: 7n })).details).toMatchObject({ reason: "unknown-name", name: "subjet" });
  });
});
