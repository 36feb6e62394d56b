/**
 * What the page's main thread really did while a proof ran, from a Chromium trace.
 *
 * A long task (PerformanceObserver's > 50 ms) is wall time: on a machine whose cores are busy the
 * scheduler stretches every task of the page, so the same page shows long tasks or none depending
 * on its neighbours. The trace also gives each task's thread CPU time (`tdur`), which a busy
 * neighbour barely changes. So the page is judged by what it does:
 * - every main-thread task must use at most {@link TASK_CPU_BUDGET_MS} of CPU, which keeps it
 *   under 50 ms even when the scheduler stretches it 2× (and CPU time itself grows a little under
 *   contention: 1.2–1.5× measured at a load average of 8 on 2 cores);
 * - on a quiet page (tasks ran at about their CPU speed) the plain wall-time rule holds too: no
 *   task over 50 ms;
 * - the proof's work must have left the main thread: the page's workers used several times the
 *   main thread's CPU.
 */
import { expect } from "vitest";
import type { Harness } from "./harness.js";

export const LONG_TASK_MS = 50;
/** Half a long task of CPU: a 2× stretch still leaves such a task under 50 ms of wall time. */
export const TASK_CPU_BUDGET_MS = LONG_TASK_MS / 2;
/** Wall over CPU of the window's main-thread tasks at or below which the page counts as quiet. */
export const QUIET_STRETCH = 1.5;

export interface MainThreadTask {
  /** Start on the trace clock, ms. */
  start: number;
  wallMs: number;
  cpuMs: number;
}

export interface MainThreadTrace<T> {
  value: T;
  /** Top-level tasks of the page's renderer main thread while `fn` ran. */
  tasks: MainThreadTask[];
  mainCpuMs: number;
  /** CPU of the page's dedicated workers (prover workers and their helpers) over the same span. */
  workerCpuMs: number;
  /** Wall time over CPU time of the main thread's tasks of 1 ms CPU or more: 1 on a quiet machine. */
  stretch: number;
}

interface TraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Trace `fn` (which drives the page) and return the main thread's tasks and the workers' CPU. */
export async function traceMainThread<T>(h: Harness, fn: () => Promise<T>): Promise<MainThreadTrace<T>> {
  const cdp = await h.context.newCDPSession(h.page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (d) => void events.push(...(d.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
  await cdp.send("Tracing.start", { transferMode: "ReportEvents", traceConfig: { includedCategories: ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline"] } });
  let value: T;
  try {
    value = await fn();
  } finally {
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach().catch(() => undefined);
  }
  return summarise(value, events);
}

function summarise<T>(value: T, events: TraceEvent[]): MainThreadTrace<T> {
  const threadName = new Map<string, string>();
  for (const e of events) if (e.ph === "M" && e.name === "thread_name") threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
  const tasks = events.filter((e) => e.ph === "X" && e.name === "RunTask");
  const nameOf = (e: TraceEvent) => threadName.get(`${e.pid}:${e.tid}`) ?? "";
  // The page's renderer is the process whose dedicated workers did the most work: other
  // renderers (spare or utility ones) have no proving workers.
  const workerCpu = new Map<number, number>();
  for (const e of tasks) if (nameOf(e) === "DedicatedWorker thread") workerCpu.set(e.pid, (workerCpu.get(e.pid) ?? 0) + cpuOf(e));
  const pid = [...workerCpu].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (pid === undefined) throw new Error("the trace holds no dedicated worker: the proof did not run in a worker");
  const main = tasks
    .filter((e) => e.pid === pid && nameOf(e) === "CrRendererMain")
    .map((e) => ({ start: e.ts / 1000, wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? e.dur ?? 0) / 1000 }));
  const sized = main.filter((t) => t.cpuMs >= 1);
  const cpu = sized.reduce((s, t) => s + t.cpuMs, 0);
  return {
    value,
    tasks: main,
    mainCpuMs: main.reduce((s, t) => s + t.cpuMs, 0),
    workerCpuMs: workerCpu.get(pid) ?? 0,
    stretch: cpu > 0 ? sized.reduce((s, t) => s + t.wallMs, 0) / cpu : 1,
  };
}

/** A worker task without thread time (a task still running when tracing began) counts its wall time. */
const cpuOf = (e: TraceEvent) => (e.tdur ?? e.dur ?? 0) / 1000;

/** The tasks that break the rules above (empty when the page behaved). */
export function offendingTasks(trace: MainThreadTrace<unknown>): MainThreadTask[] {
  const quiet = trace.stretch <= QUIET_STRETCH;
  return trace.tasks.filter((t) => t.cpuMs > TASK_CPU_BUDGET_MS || (quiet && t.wallMs > LONG_TASK_MS));
}

/** One line for the test log: the figures behind the verdict. */
export function describeTrace(label: string, trace: MainThreadTrace<unknown>): string {
  const top = [...trace.tasks].sort((a, b) => b.cpuMs - a.cpuMs).slice(0, 3);
  return `${label}: main thread ${trace.mainCpuMs.toFixed(0)} ms CPU in ${trace.tasks.length} tasks (largest ${top
    .map((t) => `${t.cpuMs.toFixed(1)} CPU / ${t.wallMs.toFixed(0)} wall`)
    .join(", ")}), workers ${trace.workerCpuMs.toFixed(0)} ms CPU, stretch ${trace.stretch.toFixed(2)}`;
}

/**
 * The page kept its tasks within budget and the proof's work ran in workers (they used more CPU
 * than the main thread, whose share is the page's rendering and proofline's planning).
 */
export function expectLightMainThread(label: string, trace: MainThreadTrace<unknown>): void {
  console.log(describeTrace(label, trace));
  expect(offendingTasks(trace), JSON.stringify(trace.tasks.filter((t) => t.cpuMs > 5))).toEqual([]);
  expect(trace.workerCpuMs).toBeGreaterThan(trace.mainCpuMs);
}
