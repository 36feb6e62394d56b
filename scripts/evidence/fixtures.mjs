// Shared fixtures of the evidence pack: the BUILT library (dist/), attestations with distinctive
// private values, the TypeScript reference, independent verification with snarkjs and the pinned
// vkey files, and a local HTTP server over the real circuit artifacts.
import { createServer } from "node:http";
import { existsSync, readFileSync, statSync, createReadStream } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
// The installed @proofline/circuits (the repo's circuits/ workspace), resolved as a dapp would.
export const circuitsDir = dirname(createRequire(import.meta.url).resolve("@proofline/circuits/manifest.json"));
export const REQUIRED_DIST = ["dist/index.js", "dist/node.js", "dist/ebsl.js", "dist/testing.js", "dist/prover.node-worker.js", "dist/prover.fault-node-worker.js"];

export function missingDist() {
  return REQUIRED_DIST.filter((f) => !existsSync(join(root, f)));
}

export async function loadLibrary() {
  const node = await import(new URL("dist/node.js", `file://${root}/`).href);
  const testing = await import(new URL("dist/testing.js", `file://${root}/`).href);
  const ebsl = await import(new URL("dist/ebsl.js", `file://${root}/`).href);
  return { node, testing, ebsl };
}

export const manifest = () => JSON.parse(readFileSync(join(circuitsDir, "manifest.json"), "utf8"));
export const vkeyOf = (circuitId) => JSON.parse(readFileSync(join(circuitsDir, manifest().circuits[circuitId].vkey.path), "utf8"));

/** Fixed "as of" time: the proofs' public `now`, so runs are reproducible. */
export const NOW = 1_767_225_600_000; // 2026-01-01T00:00:00Z
export const SUBJECT = "0xabc";

/**
 * Attestation `i` of a list. `salt` makes lists distinct (the proof cache would otherwise
 * answer identical requests). Values are distinctive so the telemetry check can search for them.
 */
export function attestation(i, salt = 0) {
  return {
    source: `0x${(0x5eed00 + i + salt * 997).toString(16)}`,
    target: SUBJECT,
    opinion: i % 2 === 0 ? { belief: 0.6172, disbelief: 0.2, uncertainty: 0.1828, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1137, uncertainty: 0.5863, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3) + salt / 1000,
    created_at: NOW - 86_400_000 + i * 1000 + salt,
    expires_at: NOW + 86_400_000,
  };
}
export const list = (n, salt = 0) => Array.from({ length: n }, (_, i) => attestation(i, salt));

/** The reference integers (score, meets, commitment) for a request, computed in TypeScript. */
export function reference(lib, attestations, { capacity, reveal, threshold = 600_000n, capacities = [16, 64] }) {
  const input = lib.buildCircuitInput({ attestations, subject: SUBJECT, now: NOW, threshold: BigInt(threshold), reveal, capacities, forceCapacity: capacity });
  return lib.computeCircuitOutputs(input.slots, input.publicInputs);
}

let snarkjs;
/** Verify with snarkjs directly against the pinned vkey file: independent of the library. */
export async function verifyIndependently(circuitId, publicSignals, proof) {
  snarkjs ??= await import("snarkjs");
  try {
    return (await snarkjs.groth16.verify(vkeyOf(circuitId), [...publicSignals], proof)) === true;
  } catch {
    return false;
  }
}

export async function shutdownCurve() {
  await globalThis.curve_bn128?.terminate?.();
}

/**
 * A local HTTP server over circuits/: `/<path>` serves the file; `/slow/<path>` streams it in
 * 64 KiB chunks every 25 ms (cancellation during download). Counts requests, bytes sent and
 * responses closed before their end.
 */
export async function startArtifactServer() {
  const stats = { requests: 0, bytesSent: 0, abortedResponses: 0 };
  const server = createServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url, "http://x");
    const slow = url.pathname.startsWith("/slow/");
    const rel = normalize(decodeURIComponent(url.pathname.replace(/^\/(slow\/)?/, "")));
    const file = join(circuitsDir, rel);
    if (!file.startsWith(circuitsDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const size = statSync(file).size;
    res.writeHead(200, { "content-length": String(size), "content-type": "application/octet-stream" });
    let finished = false;
    res.on("finish", () => (finished = true));
    res.on("close", () => {
      if (!finished) stats.abortedResponses++;
    });
    if (!slow) {
      const stream = createReadStream(file);
      stream.on("data", (chunk) => (stats.bytesSent += chunk.length));
      stream.pipe(res);
      return;
    }
    const bytes = readFileSync(file);
    let offset = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      const chunk = bytes.subarray(offset, offset + 65_536);
      offset += chunk.length;
      stats.bytesSent += chunk.length;
      if (offset >= bytes.length) {
        clearInterval(timer);
        res.end(chunk);
      } else res.write(chunk);
    }, 25);
    res.on("close", () => clearInterval(timer));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    slowUrl: `http://127.0.0.1:${port}/slow/`,
    stats,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
