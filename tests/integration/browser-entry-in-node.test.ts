/**
 * The browser entry used in Node (a common slip, and what server-side rendering does): importing
 * it starts nothing, and a proof fails typed with a message that names the entry to use.
 */
import { describe, expect, it } from "vitest";

describe('"proofline" (browser entry) in Node', () => {
  it("imports without side effects and a proof says to use proofline/node", async () => {
    // The built entry, as a dapp gets it (a variable path: dist/ does not exist at typecheck time).
    const entry = new URL("../../dist/index.js", import.meta.url).href;
    const lib = (await import(/* @vite-ignore */ entry)) as typeof import("../../src/index.js");
    const api = lib.createProofAPI({ retry: { attempts: 1 } });
    const now = Date.now();
    const attestation = {
      source: "0x01",
      target: "0x02",
      opinion: { belief: 0.6, disbelief: 0.1, uncertainty: 0.3, base_rate: 0.5 },
      attestation_type: "trust",
      weight: 1,
      created_at: now - 1000,
      expires_at: now + 86_400_000,
    };
    const error = (await api.requestProof([attestation], "exact").catch((e: unknown) => e)) as { code?: string; message?: string };
    api.dispose();
    expect(error.code).toBe("WORKER_START_FAILED");
    expect(error.message).toContain('"proofline/node"');
  });
});
