// Shared by the service benches and evidence items: real EBSL proofs (made once with
// proofline/node from dist/), the service, a redis-server on 127.0.0.1, worker processes.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const CLI = `${root}bin/proofline.mjs`;

export const attestations = (n, now, offset = 0) =>
  Array.from({ length: n }, (_, i) => ({
    source: `0x${(i + 1 + offset).toString(16)}`,
    target: "0xabc",
    opinion: i % 2 === 0 ? { belief: 0.6, disbelief: 0.2, uncertainty: 0.2, base_rate: 0.5 } : { belief: 0.3, disbelief: 0.1, uncertainty: 0.6, base_rate: 0.4 },
    attestation_type: "trust",
    weight: 1 + (i % 3),
    created_at: now - 86_400_000 + i,
    expires_at: now + 86_400_000,
  }));

/** `count` distinct real proofs ({ circuitId, proof, publicSignals }) of ebsl-16. */
export async function makeProofs(count, now = Date.now()) {
  const node = await import(`${root}dist/node.js`);
  const api = node.createNodeProofAPI({ workerUrl: new URL(`file://${root}dist/prover.node-worker.js`), proverOptions: { poolSize: 1 }, trust: { rateLimit: false, cache: { enabled: false } } });
  try {
    const out = [];
    for (let i = 0; i < count; i++) {
      const r = await api.requestProof(attestations(2 + (i % 5), now, i * 10), i % 2 ? "threshold" : "exact", { now, threshold: 100_000 });
      out.push({ circuitId: r.circuitId, proof: r.proof, publicSignals: [...r.publicSignals] });
    }
    return out;
  } finally {
    api.dispose();
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Debian's redis-server on 127.0.0.1; `stop()` ends it by PID. No persistence, unless `dir`: an
 * append-only file there, so a restart on `port` and `dir` keeps every job.
 */
export async function startRedis({ port, dir } = {}) {
  const p = port ?? (await freePort());
  const persistence = dir ? ["--dir", dir, "--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  const child = spawn("redis-server", ["--port", String(p), "--bind", "127.0.0.1", "--save", "", ...persistence], { stdio: ["ignore", "pipe", "pipe"] });
  await waitFor(child, "Ready to accept connections", 15_000);
  return { url: `redis://127.0.0.1:${p}`, port: p, process: child, stop: () => stop(child) };
}

/** A `proofline worker` process; resolves once it takes jobs. */
export async function startWorker(redisUrl, env = {}) {
  const child = spawn(process.execPath, [CLI, "worker"], { env: { ...process.env, REDIS_URL: redisUrl, PROOFLINE_POOL_SIZE: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const out = await waitFor(child, "taking jobs", 30_000);
  return { id: /proofline worker (\S+) /.exec(out)[1], process: child, stop: (signal) => stop(child, signal) };
}

/** A `proofline serve` API instance process on `port` (0: a free one), jobs on Redis. */
export async function startApiProcess(redisUrl, port = 0) {
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--host", "127.0.0.1"], { env: { ...process.env, REDIS_URL: redisUrl }, stdio: ["ignore", "pipe", "pipe"] });
  const out = await waitFor(child, "proofline service on", 30_000);
  const base = /proofline service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1];
  return { base, port: Number(new URL(base).port), process: child, stop: (signal) => stop(child, signal) };
}

function waitFor(child, text, ms) {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`not started: ${out.slice(-300)}`)), ms);
    const take = (chunk) => {
      out += chunk;
      if (out.includes(text)) {
        clearTimeout(timer);
        resolve(out);
      }
    };
    child.stdout.on("data", take);
    child.stderr.on("data", (c) => (out += c));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`exited ${code}: ${out.slice(-300)}`))));
  });
}

function stop(child, signal = "SIGTERM") {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
export const loadavg = async () => (await import("node:fs")).readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
