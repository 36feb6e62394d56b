/**
 * Node entry of the prover worker (worker_threads). snarkjs's nested workers cannot start inside
 * worker_threads ("Worker is not a constructor", FINDINGS.md), so only `threads: 'single'` runs.
 */
import { parentPort } from "node:worker_threads";
import * as Comlink from "comlink";
import nodeEndpoint from "comlink/dist/esm/node-adapter.mjs";
import { createProverCore } from "./prover-core.js";

if (!parentPort) throw new Error("prover.node-worker must run inside worker_threads");
Comlink.expose(createProverCore({ nestedThreadsSupported: false }), nodeEndpoint(parentPort));
