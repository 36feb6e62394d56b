/**
 * Remote proving in one process, with nothing else installed: jobs run on a proofline/node
 * ProofAPI (its priority queue, retry policy, circuit fallback, cancellation, proof cache and
 * admission: canonical user ids, allow/block lists, rate limit, queue bound). A job is accepted
 * only once the library accepted it, so every refusal is a typed error answered at once.
 * Finished jobs are kept for `keepFinishedMs`, at most `maxJobs` records.
 */
import { randomUUID } from "node:crypto";
import { JobRecord, publicResult } from "./job-record.mjs";

const wireError = (error) =>
  error && typeof error.code === "string" && typeof error.toWire === "function"
    ? error.toWire()
    : { code: "SYSTEM_ERROR", message: "The proof failed.", details: {} };

/**
 * @param {{ api: import("proofline").ProofAPI, keepFinishedMs?: number, maxJobs?: number }} options
 */
export function createMemoryJobs({ api, keepFinishedMs = 600_000, maxJobs = 10_000 }) {
  /** @type {Map<string, JobRecord>} */
  const jobs = new Map();
  /** requestId of the library → job, while it runs. */
  const running = new Map();

  const prune = (now) => {
    for (const [id, job] of jobs) {
      if (jobs.size <= maxJobs && !(job.terminal && now - job.finishedAt > keepFinishedMs)) continue;
      if (job.terminal) jobs.delete(id);
    }
  };

  const backend = {
    kind: "memory",
    /** Told each finished job's code ("OK" or the error code), for metrics. */
    onFinished: (_code) => {},
    /**
     * Start an EBSL proof. Resolves with the job once the library accepted it; rejects with the
     * library's typed error (validation, access, rate limit, queue full) otherwise.
     */
    async submit(spec, owner) {
      const now = Date.now();
      prune(now);
      const controller = new AbortController();
      const job = new JobRecord(randomUUID(), owner, now);
      let accept;
      const admission = new Promise((resolve) => (accept = resolve));
      const options = {
        signal: controller.signal,
        // The library reports "queued" only once it accepted the request (validated, admitted, queued).
        onProgress: (event) => {
          accept();
          job.onProgress(event);
        },
        ...(owner !== undefined ? { userId: owner } : {}),
        ...(spec.priority !== undefined ? { priority: spec.priority } : {}),
        ...(spec.subject !== undefined ? { subject: spec.subject } : {}),
        ...(spec.now !== undefined ? { now: spec.now } : {}),
        ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
        ...(spec.allowFallback !== undefined ? { allowFallback: spec.allowFallback } : {}),
        ...(spec.registry !== undefined ? { registry: spec.registry } : {}),
      };
      const request = api.requestProof(spec.attestations, spec.proofType, options);
      const outcome = request.then(
        (result) => ({ result }),
        (error) => ({ error }),
      );
      // A refusal rejects the request before any progress: the request's own error says why.
      const first = await Promise.race([admission.then(() => undefined), outcome]);
      if (first?.error) throw first.error;
      job.cancel = () => controller.abort();
      jobs.set(job.id, job);
      running.set(request.requestId, job);
      outcome.then(({ result, error }) => {
        running.delete(request.requestId);
        if (result) job.complete(publicResult(result), Date.now());
        else job.fail(wireError(error), Date.now());
        backend.onFinished(result ? "OK" : wireError(error).code);
      });
      return job;
    },
    get: async (id) => jobs.get(id),
    /** Events of job `id`; returns an unsubscribe. */
    listen(id, listener) {
      const job = jobs.get(id);
      job?.listeners.add(listener);
      return () => job?.listeners.delete(listener);
    },
    /** Cancel a job: true when it was still running. */
    async cancel(id) {
      const job = jobs.get(id);
      if (!job || job.terminal) return false;
      job.cancel();
      return true;
    },
    depth: () => running.size,
    ready: () => true,
    async close() {
      api.dispose();
    },
  };
  return backend;
}
