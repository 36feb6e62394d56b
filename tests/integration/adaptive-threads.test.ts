/**
 * Adaptive threads with real workers in Node, for both backends: a lone proof runs on helper
 * threads nested in its prover worker (dist/prover.node-worker.js, `npm run build`): ffjavascript's
 * threads under snarkjs, bn254 helper threads (the same entry in helper mode) under bn254, and
 * verifies; cancelling it stops those threads; a helper thread that crashes ends the proof typed;
 * after dispose() nothing keeps the process alive. On ebsl-16 when circuits/ has it, else the
 * multiplier fixture.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { ProofError } from "../../src/lib/proof/core/errors.js";
import { Worker } from "node:worker_threads";
import { createNodeWorkerFactory, wrapNodeWorker } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver, type Prover } from "../../src/lib/proof/engine/prover.js";
import type { CircuitDefinition, CircuitInput } from "../../src/lib/proof/engine/types.js";
import type { WorkerFactory } from "../../src/lib/proof/engine/pool/worker-pool.js";
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";
import { codeOf } from "../support/rejection.js";
import { fileArtifacts } from "./support/file-artifacts.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const workerUrl = new URL("../../dist/prover.node-worker.js", import.meta.url);
const crashWorkerUrl = {
  snarkjs: new URL("./support/helper-crash-worker.mjs", import.meta.url),
  bn254: new URL("./support/bn254-helper-crash-worker.mjs", import.meta.url),
} as const;
/** New OS threads while a 2-thread proof runs: the worker and 2 ffjavascript threads, or the worker and 1 bn254 helper. */
const NEW_THREADS = { snarkjs: 3, bn254: 2 } as const;

function subject(): { circuit: CircuitDefinition; input: CircuitInput } {
  const dir = `${root}circuits/build/ebsl-16/`;
  if (existsSync(`${dir}ebsl-16.zkey`)) {
    const ref = (file: string) => ({ url: `${dir}${file}`, bytes: 0, sha256: "" });
    const input = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
    return { circuit: { id: "ebsl-16", wasm: ref("ebsl-16.wasm"), zkey: ref("ebsl-16.zkey"), vkey: ref("ebsl-16.vkey.json") }, input: input as unknown as CircuitInput };
  }
  const fx = `${root}tests/fixtures/multiplier/`;
  const ref = (file: string) => ({ url: `${fx}${file}`, bytes: 0, sha256: "" });
  return { circuit: { id: "multiplier", wasm: ref("circuit.wasm"), zkey: ref("circuit.zkey"), vkey: ref("vkey.json") }, input: { a: 3n, b: "11" } };
}

/** The OS threads of this process (Linux); undefined elsewhere. */
const osThreads = (): Set<string> | undefined => (existsSync("/proc/self/task") ? new Set(readdirSync("/proc/self/task")) : undefined);

/** Poll until `done()` holds; a busy machine only makes this slower, never wrong. */
async function eventually(done: () => boolean, limitMs = 60_000): Promise<boolean> {
  const end = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

const { circuit, input } = subject();
let prover: Prover | undefined;

afterEach(() => {
  prover?.dispose();
  prover = undefined;
});

for (const backend of ["snarkjs", "bn254"] as const) {
// cores: 2 is given, not read from the machine: the mechanism is under test, also on 1 core.
const make = (workerFactory: WorkerFactory = createNodeWorkerFactory({ url: workerUrl })) =>
  createProver({ circuits: [circuit], artifacts: fileArtifacts, poolSize: 1, cores: 2, workerFactory, backend });

describe(`adaptive threads, ${backend} backend (real workers, Node worker_threads)`, () => {
  it("a lone proof runs on helper threads nested in its worker and verifies", async () => {
    const before = osThreads();
    prover = make();
    let during: Set<string> | undefined;
    const result = await prover.prove(circuit.id, input, {
      onProgress: (p) => {
        // During a multiexp the helpers are at work.
        if (p.phase === "proving" && /multiexp/i.test(p.step ?? "") && !during) during = osThreads();
      },
    });
    expect(result.threads).toBe(2);
    expect(result.verified).toBe(true);
    expect(await prover.verify(circuit.id, result.proof, result.publicSignals)).toBe(true);
    if (before && during) {
      // The prover worker plus its helpers, at least.
      expect([...during].filter((t) => !before.has(t)).length).toBeGreaterThanOrEqual(NEW_THREADS[backend]);
    }
  });

  it("cancelling a proof mid-way settles it at once and stops its helper threads", async () => {
    const before = osThreads();
    prover = make();
    await prover.prove(circuit.id, input); // warm: worker, curves, artifacts
    const controller = new AbortController();
    let during: Set<string> | undefined;
    const proof = prover.prove(circuit.id, input, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "proving" && /multiexp/i.test(p.step ?? "") && !during) {
          during = osThreads();
          controller.abort();
        }
      },
    });
    expect(await codeOf(proof)).toBe("CANCELLED");
    if (before && during) {
      const ours = [...during].filter((t) => !before.has(t));
      expect(ours.length).toBeGreaterThanOrEqual(NEW_THREADS[backend]);
      // Every thread of the cancelled worker (its helpers included) ends; the replacement's are new ids.
      expect(await eventually(() => ours.every((t) => !existsSync(`/proc/self/task/${t}`)))).toBe(true);
    }
    const again = await prover.prove(circuit.id, input);
    expect(again.verified).toBe(true);
  });

  it("a helper thread that crashes mid-proof ends the proof as WORKER_CRASHED; the next proof runs on a fresh worker", async () => {
    prover = make(() => wrapNodeWorker(new Worker(crashWorkerUrl[backend])));
    const failed = prover.prove(circuit.id, input);
    expect(await codeOf(failed)).toBe("WORKER_CRASHED");
    await failed.catch((error: unknown) => {
      expect(error).toBeInstanceOf(ProofError);
      // Reported by the prover worker about its helper (the worker itself did not die).
      expect((error as ProofError).details).toMatchObject({ threads: 2 });
    });
    const fresh = make();
    try {
      expect((await fresh.prove(circuit.id, input)).verified).toBe(true);
    } finally {
      fresh.dispose();
    }
  });

  it("after dispose() no helper thread keeps the process alive", async () => {
    const script = `
      import { readFileSync } from "node:fs";
      const { createProver, createNodeWorkerFactory } = await import(${JSON.stringify(new URL("../../dist/node.js", import.meta.url).href)});
      const circuit = ${JSON.stringify(circuit)};
      const artifacts = { load: async (c) => ({ circuitId: c.id, wasm: new Uint8Array(readFileSync(c.wasm.url)), zkey: new Uint8Array(readFileSync(c.zkey.url)), vkey: JSON.parse(readFileSync(c.vkey.url, "utf8")), networkBytes: 0 }) };
      const prover = createProver({ circuits: [circuit], artifacts, poolSize: 1, cores: 2, workerFactory: createNodeWorkerFactory(), backend: ${JSON.stringify(backend)} });
      const result = await prover.prove(circuit.id, ${JSON.stringify(input, (_k, v) => (typeof v === "bigint" ? v.toString() : v))});
      console.log(JSON.stringify({ threads: result.threads, verified: result.verified }));
      prover.dispose();
    `;
    // A file, not `-e`: workers inherit the process's flags, and `--input-type` stops a worker from loading.
    const dir = mkdtempSync(join(tmpdir(), "proofline-dispose-"));
    const file = join(dir, "prove-and-dispose.mjs");
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => {
      // Generous: a loaded machine is slow, but a process kept alive never exits at all.
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 120_000);
      child.on("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(JSON.parse(out.trim().split("\n").at(-1) ?? "{}")).toEqual({ threads: 2, verified: true });
  });
});
}
