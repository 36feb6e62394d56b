import { describe, expect, it } from "vitest";
import { HelperLease } from "../../../src/lib/proof/worker/helper-lease.js";
import { deferred } from "../engine/fakes.js";

describe("HelperLease", () => {
  it("stops the helpers at once when nothing holds them", () => {
    let stops = 0;
    new HelperLease(() => void (stops += 1)).release();
    expect(stops).toBe(1);
  });

  it("a release while proofs hold the helpers waits for the last of them, failed or not", async () => {
    let stops = 0;
    const lease = new HelperLease(() => void (stops += 1));
    const a = deferred<void>();
    const b = deferred<void>();
    const first = lease.hold(() => a.promise);
    const second = lease.hold(async () => {
      await b.promise;
      throw new Error("proof failed");
    });
    lease.release();
    expect(stops).toBe(0);
    a.resolve();
    await first;
    expect(stops).toBe(0);
    b.resolve();
    await expect(second).rejects.toThrow("proof failed");
    expect(stops).toBe(1);
    // Held again later without a new release: nothing stops.
    await lease.hold(async () => undefined);
    expect(stops).toBe(1);
  });
});
