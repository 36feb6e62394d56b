/**
 * Every known request's record, changed only through `reduceRequest`, and the store views of
 * them (`jobs`, and one job by id). Finished records are kept up to a bound (oldest dropped
 * first) so a long-lived page does not grow without limit; active records are never dropped.
 */
import { derived, writable, type Readable } from "../core/store.js";
import { initialRecord, reduceRequest } from "./request-state.js";
import type { NewRequest, RequestRecord } from "./request-state.js";
import { isTerminalStatus } from "./request-types.js";
import type { ProgressEvent } from "./request-types.js";

export type { RequestRecord } from "./request-state.js";

export interface RequestRegistryOptions {
  /** Finished records kept (and listed by the jobs store). @default 100 */
  readonly maxFinished?: number;
  readonly wallNow: () => number;
}

export class RequestRegistry {
  /** Insertion order is creation order: the jobs store lists them so. */
  readonly #records = new Map<string, RequestRecord>();
  readonly #finishedOrder: string[] = [];
  readonly #maxFinished: number;
  readonly #wallNow: () => number;
  readonly #list = writable<readonly RequestRecord[]>([]);
  /** All kept records, oldest first, as a store: a new array only when a record changed. */
  readonly jobs: Readable<readonly RequestRecord[]> = { subscribe: this.#list.subscribe };

  constructor(options: RequestRegistryOptions) {
    this.#maxFinished = options.maxFinished ?? 100;
    this.#wallNow = options.wallNow;
  }

  add(request: NewRequest): RequestRecord {
    const record = initialRecord(request, this.#wallNow());
    this.#records.set(record.id, record);
    this.#publish();
    return record;
  }

  get(id: string): RequestRecord | undefined {
    return this.#records.get(id);
  }

  /** Records not yet finished. */
  active(): RequestRecord[] {
    return [...this.#records.values()].filter((r) => !isTerminalStatus(r.status));
  }

  /** One job's record as a store (`undefined` until it exists or after it was dropped); re-runs only when that record changes. */
  job(id: string): Readable<RequestRecord | undefined> {
    return derived(this.jobs, (list) => list.find((r) => r.id === id));
  }

  /** Apply one progress event to its record (unknown ids are ignored). */
  apply(event: ProgressEvent): void {
    const current = this.#records.get(event.requestId);
    if (!current) return;
    const next = reduceRequest(current, event, this.#wallNow());
    if (next === current) return;
    this.#records.set(next.id, next);
    if (isTerminalStatus(next.status)) this.#retire(next.id);
    this.#publish();
  }

  #retire(id: string): void {
    this.#finishedOrder.push(id);
    while (this.#finishedOrder.length > this.#maxFinished) {
      const oldest = this.#finishedOrder.shift();
      if (oldest !== undefined) this.#records.delete(oldest);
    }
  }

  #publish(): void {
    this.#list.set([...this.#records.values()]);
  }
}
