/**
 * The real engine: the built worker (dist/prover.node-worker.js, `npm run build`) in
 * worker_threads with real snarkjs, on ebsl-16 when circuits/ has it, else the multiplier fixture.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ProofError } from "../../src/lib/proof/core/errors.js";
import { toCircuitSignals } from "../../src/lib/proof/ebsl/circuit-input.js";
import { EMPTY_SLOT } from "../../src/lib/proof/ebsl/fixed-point.js";
import { createNodeWorkerFactory } from "../../src/lib/proof/engine/pool/node-worker-factory.js";
import { createProver, type Prover } from "../../src/lib/proof/engine/prover.js";
import type { CircuitDefinition, CircuitInput, ProveProgress } from "../../src/lib/proof/engine/types.js";
import { codeOf } from "../support/rejection.js";
import { countTurns, type TurnCounter } from "../support/event-loop-turns.js";
import { fileArtifacts } from "./support/file-artifacts.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const workerUrl = new URL("../../dist/prover.node-worker.js", import.meta.url);

interface Subject {
  circuit: CircuitDefinition;
  input: CircuitInput;
  badInput: CircuitInput;
}

function subject(): Subject {
  const dir = `${root}circuits/build/ebsl-16/`;
  if (existsSync(`${dir}ebsl-16.zkey`)) {
    const ref = (file: string) => ({ url: `${dir}${file}`, bytes: 0, sha256: "" });
    const input = toCircuitSignals(Array(16).fill(EMPTY_SLOT), { now: 1n, subject: 7n, threshold: 600000n, reveal: 1n });
    return {
      circuit: { id: "ebsl-16", wasm: ref("ebsl-16.wasm"), zkey: ref("ebsl-16.zkey"), vkey: ref("ebsl-16.vkey.json") },
      input: input as unknown as CircuitInput,
      badInput: { ...(input as unknown as CircuitInput), reveal: "2" },
    };
  }
  const fx = `${root}tests/fixtures/multiplier/`;
  const ref = (file: string) => ({ url: `${fx}${file}`, bytes: 0, sha256: "" });
  return {
    circuit: { id: "multiplier", wasm: ref("circuit.wasm"), zkey: ref("circuit.zkey"), vkey: ref("vkey.json") },
    input: { a: 3n, b: "11" },
    badInput: { a: 0, b: 1 },
  };
}

describe("prover engine with real workers and snarkjs", () => {
  const s = subject();
  let prover: Prover | undefined;
  const spawned: Worker[] = [];
  // The snarkjs backend: these tests read its per-multiexp progress (bn254 reports one step).
  const make = (poolSize: number) =>
    createProver({
      circuits: [s.circuit],
      artifacts: fileArtifacts,
      poolSize,
      backend: "snarkjs",
      workerFactory: createNodeWorkerFactory({ url: workerUrl, onSpawn: (w) => spawned.push(w) }),
    });

  beforeAll(() => {
    if (!existsSync(workerUrl)) throw new Error("dist/prover.node-worker.js missing: run `npm run build` first");
  });
  afterEach(() => {
    prover?.dispose();
    spawned.length = 0;
  });

  it("proves two inputs concurrently and both verify, with monotonic progress", async () => {
    prover = make(2);
    const events: ProveProgress[] = [];
    const [a, b] = await Promise.all([
      prover.prove(s.circuit.id, s.input, { onProgress: (p) => events.push(p) }),
      prover.prove(s.circuit.id, s.input),
    ]);
    expect(a.verified && b.verified).toBe(true);
    expect(await prover.verify(s.circuit.id, a.proof, a.publicSignals)).toBe(true);
    expect(await prover.verify(s.circuit.id, b.proof, b.publicSignals)).toBe(true);
    // a tampered public signal must not verify
    expect(await prover.verify(s.circuit.id, a.proof, ["1", ...a.publicSignals.slice(1)])).toBe(false);
    expect(spawned).toHaveLength(2);
    const percents = events.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(events.some((e) => e.step === "multiexp B2")).toBe(true);
    expect(events.at(-1)?.percent).toBe(100);
  });

  it("an abort mid-proof settles at once (a few event-loop turns, not the proof's) and the next proof succeeds", async () => {
    prover = make(1);
    await prover.preload(s.circuit.id);
    const ctrl = new AbortController();
    let counter: TurnCounter | undefined;
    const p = prover.prove(s.circuit.id, s.input, {
      signal: ctrl.signal,
      onProgress: (e) => {
        if (e.phase === "proving" && !ctrl.signal.aborted) {
          counter = countTurns();
          ctrl.abort();
        }
      },
    });
    expect(await codeOf(p)).toBe("CANCELLED");
    expect(counter).toBeDefined();
    const latency = counter!.stop();
    console.log(`abort mid-proof settled after ${latency.turns} turns, ${latency.ms.toFixed(1)} ms`);
    // Waiting for the worker to finish its proof would let the loop spin thousands of turns.
    expect(latency.turns).toBeLessThanOrEqual(20);
    const next = await prover.prove(s.circuit.id, s.input);
    expect(next.verified).toBe(true);
    expect(spawned).toHaveLength(2); // the aborted worker was replaced
  });

  it("a worker killed mid-proof gives WORKER_CRASHED and the pool recovers", async () => {
    prover = make(1);
    const p = prover.prove(s.circuit.id, s.input, {
      onProgress: (e) => {
        if (e.phase === "proving") void spawned[0]?.terminate();
      },
    });
    expect(await codeOf(p)).toBe("WORKER_CRASHED");
    const next = await prover.prove(s.circuit.id, s.input);
    expect(next.verified).toBe(true);
  });

  it("an input the circuit rejects gives a typed witness error without echoing values", async () => {
    prover = make(1);
    const err = await prover.prove(s.circuit.id, s.badInput).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProofError);
    expect((err as ProofError).code).toBe("WITNESS_CONSTRAINT_FAILED");
    expect(JSON.stringify((err as ProofError).toJSON())).not.toMatch(/600000/);
    // the worker survives a rejected input
    expect((await prover.prove(s.circuit.id, s.input)).verified).toBe(true);
    expect(spawned).toHaveLength(1);
  });
});
