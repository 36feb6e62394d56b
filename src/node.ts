/**
 * Node-only entry (`proofline/node`): file-based artifacts and worker_threads workers.
 * Browser bundles never import this module.
 */
export * from "./index.js";
