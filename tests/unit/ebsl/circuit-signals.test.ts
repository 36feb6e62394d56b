import { describe, expect, it } from "vitest";
import { parsePublicSignals, PUBLIC_SIGNAL_ORDER, toCircuitSignals } from "../../../src/lib/proof/ebsl/circuit-signals.js";
import { EMPTY_SLOT } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { PublicSignalMismatchError } from "../../../src/lib/proof/core/errors.js";

describe("toCircuitSignals", () => {
  it("emits decimal strings with one array per slot field", () => {
    const slots = [{ ...EMPTY_SLOT, r: 12n, target: 2n ** 200n }, EMPTY_SLOT];
    const input = toCircuitSignals(slots, { now: 5n, subject: 7n, threshold: 600000n, reveal: 0n });
    expect(input.now).toBe("5");
    expect(input.reveal).toBe("0");
    expect(input.r).toEqual(["12", "0"]);
    expect(input.target).toEqual([(2n ** 200n).toString(), "0"]);
    // No registry given: root 0 and the empty path (index 0, ten levels of three zero siblings).
    expect(input.root).toBe("0");
    expect(input.leafIndex).toEqual(["0", "0"]);
    expect(input.siblings[1]).toEqual(Array.from({ length: 10 }, () => ["0", "0", "0"]));
    expect(Object.keys(input).sort()).toEqual(
      ["a", "created", "expires", "issuer", "leafIndex", "now", "r", "reveal", "root", "s", "siblings", "subject", "target", "threshold", "w"],
    );
  });
});

describe("parsePublicSignals", () => {
  it("names the signals in snarkjs order", () => {
    expect(PUBLIC_SIGNAL_ORDER).toEqual(["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"]);
    const named = parsePublicSignals(["11", "700000", "1", "5", "7", "600000", "1", "99"]);
    expect(named).toEqual({ commitment: 11n, scoreOut: 700000n, meets: 1n, now: 5n, subject: 7n, threshold: 600000n, reveal: 1n, root: 99n });
  });

  it("rejects a wrong count or malformed entries", () => {
    expect(() => parsePublicSignals(["1", "2"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "0x8"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "-8"])).toThrow(PublicSignalMismatchError);
  });
});
