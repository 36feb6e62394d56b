/**
 * The service's own logs (Fastify's pino logger at "info", every line captured) hold no private
 * input: after a real remote threshold proof, a verification and a refused bad request, no
 * attestation source, opinion value or weight appears in any line, while the lines do show the
 * requests happened.
 */
import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService } from "../../packages/server/src/index.mjs";
import { followJob } from "./support/job-events.js";

const NOW = Date.now();
const lines: string[] = [];
let app: FastifyInstance;
let base: string;
const H = { authorization: "Bearer key-logs", "content-type": "application/json" };

/** Attestations with values that cannot appear in a log by chance. */
const secret = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    source: `0x5ec7e7${(0xa11ce + i).toString(16)}`,
    target: "0xabc",
    opinion: { belief: 0.612347, disbelief: 0.123457, uncertainty: 0.264196, base_rate: 0.487651 },
    attestation_type: "trust",
    weight: 1.234567,
    created_at: NOW - 86_400_000,
    expires_at: NOW + 86_400_000,
  }));
const SECRETS = ["5ec7e7", "a11ce", "612347", "123457", "264196", "487651", "234567", "opinion", "belief"];

beforeAll(async () => {
  const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  app = await createService({ apiKeys: { "key-logs": "logs" }, poolSize: 1, logger: { level: "info", stream } } as never);
  base = await app.listen({ port: 0, host: "127.0.0.1" });
});
afterAll(async () => {
  await app?.close();
});

describe("service logs", () => {
  it("name requests and outcomes, never the attestations", async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(base + path, { method: "POST", headers: H, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const accepted = await post("/v1/proofs", { attestations: secret(3), proofType: "threshold", now: NOW, threshold: 100_000 });
    expect(accepted.status).toBe(202);
    const events = await followJob(base, accepted.body["id"] as string, H.authorization);
    expect(events.at(-1)!.type).toBe("completed");
    const job = (await (await fetch(`${base}/v1/proofs/${accepted.body["id"]}`, { headers: { authorization: H.authorization } })).json()) as { result: { circuitId: string; proof: unknown; publicSignals: string[] } };
    const verdict = await post("/v1/verify", { circuitId: job.result.circuitId, proof: job.result.proof, publicSignals: job.result.publicSignals });
    expect(verdict.body["valid"]).toBe(true);
    const bad = await post("/v1/proofs", { attestations: [{ ...secret(1)[0], opinion: { belief: 0.612347, disbelief: 0.9, uncertainty: 0.1, base_rate: 0.5 } }], proofType: "exact", now: NOW });
    expect(bad.status).toBe(400);

    const log = lines.join("");
    expect(lines.length).toBeGreaterThan(3);
    expect(log).toContain("/v1/proofs");
    for (const s of SECRETS) expect(log, `"${s}" in the service's logs`).not.toContain(s);
  }, 120_000);
});
