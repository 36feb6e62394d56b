/**
 * Browser entry of the prover worker (module Web Worker). snarkjs's own nested `blob:` workers
 * work here, so both thread modes are available.
 */
import * as Comlink from "comlink";
import { createProverCore } from "./prover-core.js";

Comlink.expose(createProverCore({ nestedThreadsSupported: true }));
