/**
 * Node workers as a stranger starts them: from `node --input-type=module -e '…'` (workers inherit
 * the parent's execArgv, and Node refuses --input-type for a file entry), and with an entry that
 * cannot start (the typed error keeps the worker's own code and message).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const nodeEntry = new URL("../../dist/node.js", import.meta.url).href;

/** Run `script` as `node --input-type=module -e script` and parse the JSON line it prints. */
function evalModule(script: string): { status: number | null; out: Record<string, unknown>; stderr: string } {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", timeout: 150_000 });
  const line = r.stdout.trim().split("\n").at(-1) ?? "{}";
  return { status: r.status, out: JSON.parse(line.startsWith("{") ? line : "{}"), stderr: r.stderr };
}

describe("Node prover workers", () => {
  it("prove from `node --input-type=module -e` (the worker does not inherit --input-type)", () => {
    const r = evalModule(`
      import { createNodeProofAPI } from ${JSON.stringify(nodeEntry)};
      const now = Date.now();
      const list = Array.from({ length: 4 }, (_, i) => ({
        source: "did:example:issuer-" + i, target: "did:example:subject",
        opinion: { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 },
        attestation_type: "trust", weight: 1, created_at: now - 1000 - i, expires_at: now + 86400000,
      }));
      const api = createNodeProofAPI({ rateLimit: false, cache: false });
      try {
        const result = await api.requestProof(list, "exact", { now });
        console.log(JSON.stringify({ ok: true, circuitId: result.circuitId, verified: await api.verify(result) }));
      } catch (e) {
        console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
      } finally {
        api.dispose();
      }
    `);
    expect(r.out, r.stderr).toMatchObject({ ok: true, circuitId: "ebsl-16", verified: true });
    expect(r.status).toBe(0);
  });

  it("a worker that cannot start gives WORKER_START_FAILED with its own code and message", () => {
    const missing = new URL("../../dist/no-such-worker.js", import.meta.url).href;
    const r = evalModule(`
      import { createNodeProofAPI, createNodeWorkerFactory } from ${JSON.stringify(nodeEntry)};
      const api = createNodeProofAPI({ rateLimit: false, cache: false, retry: { attempts: 1 }, workerFactory: createNodeWorkerFactory({ url: new URL(${JSON.stringify(missing)}) }) });
      const now = Date.now();
      const a = { source: "0x01", target: "0x02", opinion: { belief: 0.6, disbelief: 0.1, uncertainty: 0.3, base_rate: 0.5 }, attestation_type: "trust", weight: 1, created_at: now - 1000, expires_at: now + 86400000 };
      try {
        await api.requestProof([a], "exact", { now });
        console.log(JSON.stringify({ ok: true }));
      } catch (e) {
        console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
      } finally {
        api.dispose();
      }
    `);
    expect(r.out, r.stderr).toMatchObject({ ok: false, code: "WORKER_START_FAILED" });
    expect(String(r.out.message)).toContain("MODULE_NOT_FOUND: Cannot find module");
  });
});
