/**
 * Prover worker PROCESSES (`proofline worker`), as an operator runs them: each its own Node
 * process taking jobs from Redis. Stopped by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../../bin/proofline.mjs", import.meta.url));

export interface WorkerProcess {
  readonly id: string;
  readonly process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startWorker(redisUrl: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, "worker"], { env: { ...process.env, REDIS_URL: redisUrl, PROOFLINE_POOL_SIZE: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const id = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${out.slice(-500)}`)), 30_000);
    const take = (chunk: Buffer) => {
      out += chunk;
      const match = /proofline worker (\S+) /.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`worker exited (${code}): ${out.slice(-500)}`))));
  });
  return {
    id,
    process: child,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}

export interface ApiProcess {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly base: string;
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** An API instance PROCESS (`proofline serve` on a free port of 127.0.0.1), jobs on Redis. */
export async function startApiProcess(redisUrl: string, apiKeys: string): Promise<ApiProcess> {
  const child = spawn(process.execPath, [CLI, "serve", "--port", "0", "--host", "127.0.0.1"], { env: { ...process.env, REDIS_URL: redisUrl, PROOFLINE_API_KEYS: apiKeys }, stdio: ["ignore", "pipe", "pipe"] });
  const base = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`service did not start: ${out.slice(-500)}`)), 30_000);
    const take = (chunk: Buffer) => {
      out += chunk;
      const match = /proofline service on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`service exited (${code}): ${out.slice(-500)}`))));
  });
  return {
    base,
    port: Number(new URL(base).port),
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill(signal);
      }),
  };
}
