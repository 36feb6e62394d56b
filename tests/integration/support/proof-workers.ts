/**
 * Service PROCESSES as an operator runs them: prover workers (`proofline worker`, taking jobs from
 * Redis) and API instances (`proofline serve`). Each is its own Node process, stopped by PID.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../../../bin/proofline.mjs", import.meta.url));

export interface WorkerProcess {
  readonly id: string;
  readonly process: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ApiProcess {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  readonly base: string;
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Start `proofline <args>`; resolves with the child and the first match of `ready` in its output. */
async function startCli(args: string[], env: Record<string, string>, ready: RegExp, what: string): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${out.slice(-500)}`)), 30_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk;
      const found = ready.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (out += chunk));
    child.once("exit", (code) => (clearTimeout(timer), reject(new Error(`${what} exited (${code}): ${out.slice(-500)}`))));
  });
  return { child, match };
}

const stopper = (child: ChildProcess) => (signal: NodeJS.Signals = "SIGTERM") =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill(signal);
  });

export async function startWorker(redisUrl: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const { child, match } = await startCli(["worker"], { REDIS_URL: redisUrl, PROOFLINE_POOL_SIZE: "1", ...env }, /proofline worker (\S+) /, "worker");
  return { id: match[1]!, process: child, stop: stopper(child) };
}

/** An API instance (`proofline serve` on a free port of 127.0.0.1), jobs on Redis. */
export async function startApiProcess(redisUrl: string, apiKeys: string): Promise<ApiProcess> {
  const { child, match } = await startCli(["serve", "--port", "0", "--host", "127.0.0.1"], { REDIS_URL: redisUrl, PROOFLINE_API_KEYS: apiKeys }, /proofline service on (http:\/\/127\.0\.0\.1:\d+)/, "service");
  const base = match[1]!;
  return { base, port: Number(new URL(base).port), stop: stopper(child) };
}
