import { describe, expect, it } from "vitest";
import { lazyProver } from "../../../src/lib/proof/engine/lazy-prover.js";
import type { Prover } from "../../../src/lib/proof/engine/prover.js";

function counting() {
  const made: { disposed: boolean }[] = [];
  const create = (): Prover => {
    const p = { disposed: false, dispose: () => void (p.disposed = true) };
    made.push(p);
    return p as unknown as Prover;
  };
  return { made, create };
}

describe("lazyProver", () => {
  it("creates nothing until asked, then one prover for every later ask", () => {
    const { made, create } = counting();
    const lazy = lazyProver(create, true);
    expect(made).toHaveLength(0);
    expect(lazy.get()).toBe(lazy.get());
    expect(made).toHaveLength(1);
  });

  it("disposes what it made when it owns it, and refuses to make another after dispose", () => {
    const { made, create } = counting();
    const owned = lazyProver(create, true);
    owned.get();
    owned.dispose();
    expect(made[0]!.disposed).toBe(true);
    expect(() => owned.get()).toThrow(expect.objectContaining({ code: "DISPOSED" }));
    const lent = lazyProver(create, false);
    lent.get();
    lent.dispose();
    expect(made[1]!.disposed).toBe(false);
  });
});
