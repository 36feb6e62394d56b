import { describe, expect, it } from "vitest";
import { HelperLease } from "../../../src/lib/proof/worker/helper-lease.js";

describe("HelperLease", () => {
  it("says stop at once when nothing holds the helpers", () => {
    expect(new HelperLease().release()).toBe(true);
  });

  it("a release while proofs hold the helpers waits for the last of them to end", () => {
    const lease = new HelperLease();
    lease.take();
    lease.take();
    expect(lease.release()).toBe(false);
    expect(lease.end()).toBe(false);
    expect(lease.end()).toBe(true);
    // Held again later without a new release: nothing stops.
    lease.take();
    expect(lease.end()).toBe(false);
  });

  it("an end without a release meanwhile never says stop", () => {
    const lease = new HelperLease();
    lease.take();
    expect(lease.end()).toBe(false);
    expect(lease.release()).toBe(true);
    expect(lease.release()).toBe(true);
  });
});
