/**
 * Shared plumbing of the browser suite: a demo server on 127.0.0.1, Debian's Chromium with a
 * fresh profile, a long-task recorder installed before any page script, and page-side helpers
 * that go through the demo's `window.__proofline` hook.
 */
import { chromium } from "playwright-core";
import type { BrowserContext, Page } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoServer } from "../../../scripts/demo-server.mjs";
import type { DemoServer, DemoServerOptions } from "../../../scripts/demo-server.mjs";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Records every long task (> 50 ms on the main thread) from the very start of the page. */
const LONG_TASK_RECORDER = `
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) { window.__longTasksUnsupported = String(e); }
`;

export interface Harness {
  server: DemoServer;
  context: BrowserContext;
  page: Page;
  /** Open (or reopen) the demo in `page` and wait for its hook. */
  open(page?: Page): Promise<void>;
  /** Requests for artifacts (/circuits/) in the server's log since `from`. */
  artifactRequests(from?: number): { path: string; status: number }[];
  close(): Promise<void>;
}

export async function startHarness(serverOptions: DemoServerOptions = {}): Promise<Harness> {
  const server = await startDemoServer({ port: 0, ...serverOptions });
  const profile = mkdtempSync(join(tmpdir(), "proofline-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
      viewport: { width: 1440, height: 1000 },
    });
    await context.addInitScript(LONG_TASK_RECORDER);
  } catch (error) {
    await server.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const ctx = context;
  return {
    server,
    context: ctx,
    page,
    async open(p = page) {
      await p.goto(server.url);
      await p.waitForFunction(() => window.__proofline?.ready === true);
      // Let the page's own boot (bundle compile, first render) finish before a test measures
      // anything: proofline itself starts nothing until requestProof, so a long task before
      // that is the page's, not ours. Quiet = no long task for 1 s (bounded wait).
      await p.waitForFunction(
        () => {
          const tasks = window.__longTasks ?? [];
          const last = tasks.at(-1);
          return performance.now() - (last ? last.start + last.duration : 0) > 1000;
        },
        null,
        { timeout: 15_000, polling: 100 },
      );
    },
    artifactRequests(from = 0) {
      return server.requestLog.slice(from).filter((r) => r.path.startsWith("/circuits/"));
    },
    async close() {
      await ctx.close().catch(() => undefined);
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageOutcome {
  ok: boolean;
  errorCode?: string;
  errorMessage?: string;
  result?: {
    proof: { pi_a: string[]; pi_b: string[][]; pi_c: string[]; protocol: string; curve: string };
    publicSignals: string[];
    circuitId: string;
    score?: number;
    meetsThreshold: boolean;
    cached: boolean;
    cacheSource?: "hit" | "joined";
    hash: string;
    timings: Record<string, number>;
  };
}

interface Hook {
  ready: boolean;
  session: { api: { getQueueStats(): { queued: number; processing: number } } };
  request(type: "exact" | "threshold", options?: { priority?: 0 | 1 | 2 | 3; threshold?: number; count?: number; seed?: number; subject?: string }): Promise<string>;
  cacheStats(): { hits: number; misses: number; inflightJoins: number; hitRate: number };
  wait(id: string): Promise<PageOutcome>;
  cancel(id: string): boolean;
  verify(id: string): Promise<boolean>;
  status(id: string): string | undefined;
  trace(id: string): { reported: number[]; shown: number[] };
  loaderStats(): Record<string, number>;
  /** The proofs' public `now` for this page session (epoch ms). */
  asOf: number;
}

declare global {
  interface Window {
    __proofline: Hook;
    __longTasks: { start: number; duration: number }[];
    __longTasksUnsupported?: string;
  }
}

/** Request a proof through the demo and wait for it; returns the id and outcome. */
export async function proveInPage(page: Page, type: "exact" | "threshold", options: { priority?: 0 | 1 | 2 | 3; threshold?: number; count?: number; seed?: number; subject?: string } = {}) {
  return page.evaluate(
    async ({ type, options }) => {
      const start = performance.now();
      const id = await window.__proofline.request(type, options);
      const outcome = await window.__proofline.wait(id);
      return { id, outcome, start, end: performance.now() };
    },
    { type, options },
  );
}
