/**
 * Svelte store contract without importing svelte: any object whose `subscribe(run)` calls `run`
 * at once with the current value and returns an unsubscribe is a store (`$store`, `get`,
 * `derived` all accept it). The core stays framework-free; Svelte 5 components use these as is.
 *
 * Values are immutable snapshots and change notification uses `Object.is`, so a subscriber
 * runs only when a new snapshot was produced (unlike svelte's own stores, which re-run for
 * every object `set`).
 */
import type { ProofErrorCode } from "./errors.js";
import { isTerminalStatus } from "../request/request-types.js";
import type { PipelineStage, ProgressEvent, ProofStatus } from "../request/request-types.js";
import type { ProofPriority, QueueStats } from "../request/priority-queue.js";

export type Subscriber<T> = (value: T) => void;
export type Unsubscriber = () => void;
/** Called when the first subscriber arrives; returns the cleanup run when the last leaves. */
export type StartStopNotifier<T> = (set: (value: T) => void, update: (fn: (value: T) => T) => void) => void | (() => void);

export interface Readable<T> {
  /** Calls `run` now and on every change; the second argument exists for svelte compatibility. */
  subscribe(run: Subscriber<T>, invalidate?: () => void): Unsubscriber;
}

export interface Writable<T> extends Readable<T> {
  set(value: T): void;
  update(fn: (value: T) => T): void;
}

/**
 * A writable store. `start` runs when the first subscriber arrives and its cleanup when the
 * last leaves, so a store backed by a source does no work while nobody listens.
 */
export function writable<T>(initial: T, start?: StartStopNotifier<T>): Writable<T> {
  let value = initial;
  let stop: (() => void) | undefined;
  // False until `start` has returned: values it sets synchronously reach the first subscriber
  // through its initial call only, not twice (svelte behaves the same).
  let active = false;
  const subscribers = new Set<{ run: Subscriber<T>; invalidate: (() => void) | undefined }>();

  const set = (next: T): void => {
    if (Object.is(value, next)) return;
    value = next;
    if (!active) return;
    // Invalidate all first so derived stores see one consistent change (svelte's order).
    for (const s of subscribers) s.invalidate?.();
    for (const s of [...subscribers]) if (subscribers.has(s)) s.run(value);
  };
  const update = (fn: (value: T) => T): void => set(fn(value));

  return {
    set,
    update,
    subscribe(run, invalidate) {
      const entry = { run, invalidate };
      subscribers.add(entry);
      if (subscribers.size === 1) {
        stop = start?.(set, update) ?? undefined;
        active = true;
      }
      run(value);
      return () => {
        if (!subscribers.delete(entry) || subscribers.size > 0) return;
        active = false;
        stop?.();
        stop = undefined;
      };
    },
  };
}

/** A read-only store; the value changes only through `start`'s `set`/`update`. */
export function readable<T>(initial: T, start?: StartStopNotifier<T>): Readable<T> {
  return { subscribe: writable(initial, start).subscribe };
}

/** A store whose value is `fn(source value)`; subscribes to `source` only while it has subscribers. */
export function derived<S, T>(source: Readable<S>, fn: (value: S) => T, initial?: T): Readable<T> {
  return readable<T>(initial as T, (set) => source.subscribe((value) => set(fn(value))));
}

/** What the queue store needs: `ProofQueue` satisfies it. */
export interface QueueStatsSource {
  getStats(): QueueStats;
  subscribe(listener: (stats: QueueStats) => void): () => void;
}

/** Queue stats as a store; listens to the queue only while subscribed. */
export function createQueueStatsStore(source: QueueStatsSource): Readable<QueueStats> {
  return readable(source.getStats(), (set) => {
    set(source.getStats());
    return source.subscribe(set);
  });
}

/** One request as the UI sees it. No inputs, only what is safe to show. */
export interface JobSnapshot {
  readonly id: string;
  readonly status: ProofStatus;
  /** 0..100, never decreasing. */
  readonly progress: number;
  readonly stage: PipelineStage;
  readonly priority: ProofPriority;
  readonly circuitId?: string;
  readonly errorCode?: ProofErrorCode;
  readonly attempt?: number;
  readonly estimatedRemainingMs?: number;
  readonly step?: string;
}

export interface JobsStore extends Readable<readonly JobSnapshot[]> {
  /** Add a job (e.g. at QUEUED) or replace one with the same id. */
  add(job: JobSnapshot): void;
  /**
   * Apply a progress event to its job. Progress never goes down and a finished job
   * (COMPLETED, FAILED, CANCELLED) never changes again; events for unknown ids are ignored.
   */
  applyProgress(event: ProgressEvent): void;
  remove(id: string): void;
  /** Current snapshot of one job, without subscribing. */
  getJob(id: string): JobSnapshot | undefined;
}

export interface JobsStoreOptions {
  /** Finished jobs kept in the list (oldest dropped first); active jobs are never dropped. @default 50 */
  readonly maxFinished?: number;
}

/** The list of jobs, in the order they were added. */
export function createJobsStore(options: JobsStoreOptions = {}): JobsStore {
  const maxFinished = options.maxFinished ?? 50;
  const store = writable<readonly JobSnapshot[]>([]);
  let current: readonly JobSnapshot[] = [];
  const commit = (next: readonly JobSnapshot[]) => {
    current = prune(next, maxFinished);
    store.set(current);
  };

  return {
    subscribe: store.subscribe,
    add(job) {
      const clamped = { ...job, progress: clampProgress(job.progress) };
      const index = current.findIndex((j) => j.id === job.id);
      commit(index === -1 ? [...current, clamped] : current.map((j, i) => (i === index ? clamped : j)));
    },
    applyProgress(event) {
      const index = current.findIndex((j) => j.id === event.requestId);
      const job = current[index];
      if (job === undefined || isTerminalStatus(job.status)) return;
      const next = applyEvent(job, event);
      if (next !== job) commit(current.map((j, i) => (i === index ? next : j)));
    },
    remove(id) {
      if (current.some((j) => j.id === id)) commit(current.filter((j) => j.id !== id));
    },
    getJob(id) {
      return current.find((j) => j.id === id);
    },
  };
}

/** One job's snapshot by id (`undefined` until it exists); re-runs only when that job changes. */
export function jobProgressStore(jobs: Readable<readonly JobSnapshot[]>, id: string): Readable<JobSnapshot | undefined> {
  return derived(jobs, (list) => list.find((j) => j.id === id));
}

function clampProgress(progress: number): number {
  return Number.isFinite(progress) ? Math.min(100, Math.max(0, progress)) : 0;
}

function applyEvent(job: JobSnapshot, event: ProgressEvent): JobSnapshot {
  const next: JobSnapshot = {
    ...job,
    status: event.status,
    stage: event.stage,
    progress: Math.max(job.progress, clampProgress(event.progress)),
    ...(event.circuitId !== undefined ? { circuitId: event.circuitId } : {}),
    ...(event.errorCode !== undefined ? { errorCode: event.errorCode } : {}),
    ...(event.attempt !== undefined ? { attempt: event.attempt } : {}),
    ...(event.step !== undefined ? { step: event.step } : {}),
    estimatedRemainingMs: event.estimatedRemainingMs,
  };
  if (next.estimatedRemainingMs === undefined) delete (next as { estimatedRemainingMs?: number }).estimatedRemainingMs;
  const keys = new Set([...Object.keys(job), ...Object.keys(next)]) as Set<keyof JobSnapshot>;
  for (const k of keys) if (!Object.is(job[k], next[k])) return next;
  return job;
}

function prune(list: readonly JobSnapshot[], maxFinished: number): readonly JobSnapshot[] {
  const finished = list.filter((j) => isTerminalStatus(j.status)).length;
  let drop = finished - maxFinished;
  if (drop <= 0) return list;
  return list.filter((j) => !(isTerminalStatus(j.status) && drop-- > 0));
}
