import { describe, expect, it } from "vitest";
import { parsePublicSignals, PUBLIC_SIGNAL_ORDER, toCircuitSignals } from "../../../src/lib/proof/ebsl/circuit-signals.js";
import { EMPTY_SLOT } from "../../../src/lib/proof/ebsl/fixed-point.js";
import { PublicSignalMismatchError } from "../../../src/lib/proof/core/errors.js";
import { emptySubtreeRoots, entryStatementSteps, loneEntryPosition, REGISTRY_DEPTH, runSteps } from "../../../src/lib/proof/ebsl/registry-tree.js";

describe("toCircuitSignals", () => {
  it("emits decimal strings with one array per slot field, and the registry position", () => {
    const slots = [{ ...EMPTY_SLOT, r: 12n, issuer: 2n ** 200n, expires: 9n }, EMPTY_SLOT];
    const siblings = Array.from({ length: REGISTRY_DEPTH }, (_, l) => [BigInt(l), 1n, 2n] as const);
    const input = toCircuitSignals(slots, { now: 5n, subject: 7n, threshold: 600000n, reveal: 0n }, { root: 99n, entryIndex: 3, siblings });
    expect(input.now).toBe("5");
    expect(input.reveal).toBe("0");
    expect(input.root).toBe("99");
    expect(input.r).toEqual(["12", "0"]);
    expect(input.issuer).toEqual([(2n ** 200n).toString(), "0"]);
    expect(input.entryIndex).toBe("3");
    expect(input.entrySiblings[4]).toEqual(["4", "1", "2"]);
    expect(Object.keys(input).sort()).toEqual(
      ["a", "created", "entryIndex", "entrySiblings", "expires", "issuer", "now", "r", "reveal", "root", "s", "subject", "threshold", "w"],
    );
  });

  it("without a registry, puts the slots in a private one: first entry, empty siblings, its root", () => {
    const slots = [{ ...EMPTY_SLOT, r: 12n, issuer: 3n, expires: 9n }, EMPTY_SLOT];
    const pub = { now: 5n, subject: 7n, threshold: 600000n, reveal: 0n } as const;
    const input = toCircuitSignals(slots, pub);
    const zeros = emptySubtreeRoots();
    expect(input.entryIndex).toBe("0");
    expect(input.entrySiblings.map((level) => level[0])).toEqual(zeros.slice(0, REGISTRY_DEPTH).map(String));
    expect(input.root).toBe(String(runSteps(entryStatementSteps(7n, slots, loneEntryPosition())).root));
  });
});

describe("parsePublicSignals", () => {
  it("names the signals in snarkjs order", () => {
    expect(PUBLIC_SIGNAL_ORDER).toEqual(["commitment", "scoreOut", "meets", "now", "subject", "threshold", "reveal", "root"]);
    const named = parsePublicSignals(["11", "700000", "1", "5", "7", "600000", "1", "13"]);
    expect(named).toEqual({ commitment: 11n, scoreOut: 700000n, meets: 1n, now: 5n, subject: 7n, threshold: 600000n, reveal: 1n, root: 13n });
  });

  it("rejects a wrong count or malformed entries", () => {
    expect(() => parsePublicSignals(["1", "2"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "0x8"])).toThrow(PublicSignalMismatchError);
    expect(() => parsePublicSignals(["1", "2", "3", "4", "5", "6", "7", "-8"])).toThrow(PublicSignalMismatchError);
  });
});
