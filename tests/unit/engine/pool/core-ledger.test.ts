import { describe, expect, it } from "vitest";
import { CoreLedger, threadsForProof } from "../../../../src/lib/proof/engine/pool/core-ledger.js";

describe("threadsForProof", () => {
  it("a lone proof takes every core nobody else holds", () => {
    expect(threadsForProof({ cores: 8, held: 1, waiting: 0 })).toBe(8);
    expect(threadsForProof({ cores: 8, held: 3, waiting: 0 })).toBe(6);
    expect(threadsForProof({ cores: 2, held: 1, waiting: 0 })).toBe(2);
  });

  it("one thread while any job waits, and never less than one", () => {
    expect(threadsForProof({ cores: 8, held: 1, waiting: 1 })).toBe(1);
    expect(threadsForProof({ cores: 2, held: 2, waiting: 0 })).toBe(1);
    expect(threadsForProof({ cores: 2, held: 5, waiting: 0 })).toBe(1);
  });
});

describe("CoreLedger", () => {
  it("never lets jobs hold more than its capacity", () => {
    const ledger = new CoreLedger(4, 2);
    expect(ledger.capacity).toBe(4);
    expect(ledger.take()).toBe(true);
    expect(ledger.widen(0)).toBe(4);
    expect(ledger.held).toBe(4);
    expect(ledger.take()).toBe(false);
    ledger.give(4);
    expect(ledger.free).toBe(4);
  });

  it("a second job widens only to what the first left", () => {
    const ledger = new CoreLedger(4, 4);
    ledger.take();
    ledger.take();
    expect(ledger.widen(0)).toBe(3);
    expect(ledger.held).toBe(4);
    expect(ledger.take()).toBe(false);
  });

  it("a pool sized beyond the cores may run that many jobs, but a proof never gets more threads than cores", () => {
    const ledger = new CoreLedger(2, 3);
    expect(ledger.capacity).toBe(3);
    ledger.take();
    expect(ledger.widen(0)).toBe(2);
    expect(ledger.take()).toBe(true);
    expect(ledger.widen(0)).toBe(1);
    expect(ledger.held).toBe(3);
  });

  it("counts a machine that reports no cores as one", () => {
    const ledger = new CoreLedger(0, 1);
    expect(ledger.cores).toBe(1);
    ledger.take();
    expect(ledger.widen(0)).toBe(1);
  });
});
