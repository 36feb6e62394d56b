/**
 * One remote proof job as the service keeps it: status, the latest progress event, the result
 * or the typed error, and its subscribers. Nothing private is kept: the attestations live only
 * in the library's request while it runs.
 */

/** What of an EBSL result leaves the server: the proof and its statement, not the fused opinion. */
export function publicResult(result) {
  const { fusedOpinion: _hidden, requestId: _internal, ...rest } = result;
  return rest;
}

export class JobRecord {
  constructor(id, owner, now) {
    this.id = id;
    this.owner = owner;
    this.status = "QUEUED";
    this.progress = 0;
    this.stage = "queued";
    this.attempt = 1;
    this.createdAt = now;
    this.finishedAt = undefined;
    this.result = undefined;
    this.error = undefined;
    /** @type {Set<(event: object) => void>} */
    this.listeners = new Set();
  }

  get terminal() {
    return this.status === "COMPLETED" || this.status === "FAILED" || this.status === "CANCELLED";
  }

  /** The record as GET /v1/proofs/:id answers it. */
  snapshot() {
    return {
      id: this.id,
      status: this.status,
      progress: this.progress,
      stage: this.stage,
      attempt: this.attempt,
      createdAt: this.createdAt,
      ...(this.finishedAt !== undefined ? { finishedAt: this.finishedAt } : {}),
      ...(this.result ? { result: this.result } : {}),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** The event a subscriber gets now: the last progress, or the end. */
  currentEvent() {
    if (this.status === "COMPLETED") return { type: "completed", id: this.id, status: this.status, progress: 100, stage: "done", result: this.result };
    if (this.terminal) return { type: this.status === "CANCELLED" ? "cancelled" : "failed", id: this.id, status: this.status, progress: this.progress, stage: this.stage, error: this.error };
    return { type: "progress", id: this.id, status: this.status, progress: this.progress, stage: this.stage, attempt: this.attempt };
  }

  /** Apply a progress event (monotonic percentage, as the library guarantees) and tell subscribers. */
  onProgress(event) {
    if (this.terminal) return;
    if (event.status === "QUEUED" || event.status === "PROCESSING") this.status = event.status;
    this.progress = Math.max(this.progress, event.progress);
    this.stage = event.stage;
    if (event.attempt !== undefined) this.attempt = event.attempt;
    const out = { type: "progress", id: this.id, status: this.status, progress: this.progress, stage: event.stage, attempt: this.attempt };
    if (event.step !== undefined) out.step = event.step;
    if (event.circuitId !== undefined) out.circuitId = event.circuitId;
    if (event.bytes !== undefined) out.bytes = event.bytes;
    if (event.artifact !== undefined) out.artifact = event.artifact;
    if (event.estimatedRemainingMs !== undefined) out.estimatedRemainingMs = event.estimatedRemainingMs;
    this.#emit(out);
  }

  complete(result, now) {
    if (this.terminal) return;
    this.status = "COMPLETED";
    this.progress = 100;
    this.stage = "done";
    this.result = result;
    this.finishedAt = now;
    this.#emit(this.currentEvent());
  }

  fail(error, now) {
    if (this.terminal) return;
    this.status = error.code === "CANCELLED" ? "CANCELLED" : "FAILED";
    this.error = error;
    this.finishedAt = now;
    this.#emit(this.currentEvent());
  }

  #emit(event) {
    for (const listener of [...this.listeners]) listener(event);
  }
}
