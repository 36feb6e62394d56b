/**
 * Optional Sentry telemetry. `@sentry/browser` is an optional peer: nothing here imports it;
 * the app passes its Sentry namespace (or a Scope/Hub with the same two methods).
 *
 * What leaves the page is minimal by construction:
 * - breadcrumbs (category `proofline`) carry only requestId, stage, circuitId and attempt;
 * - captured errors are rebuilt copies of our typed errors: name, code, message (ProofError
 *   messages hold no private input by contract) and stack, WITHOUT `cause` or `details`, so
 *   Sentry's linked-errors and extra-data integrations have nothing private to walk into;
 *   unknown errors are reported as SYSTEM_ERROR with a fixed message (their text is untrusted);
 * - tags: code, circuit, attempt, severity.
 * Add `beforeSend: scrubSentryEvent` (or `createSentryScrubber`) to drop any `extra`/`contexts`
 * key not on an allow list, whatever else the app attaches.
 */
import { ERROR_POLICY, isProofError, type Severity } from "../core/errors.js";
import type { PipelineStage, ProgressEvent } from "../request/request-types.js";

/** Structural subset of `@sentry/browser` (namespace, Scope or Hub). */
export interface SentryLike {
  addBreadcrumb(breadcrumb: SentryBreadcrumb): unknown;
  captureException(exception: unknown, hint?: { captureContext?: SentryCaptureContext }): unknown;
}

export interface SentryBreadcrumb {
  type?: string;
  category?: string;
  message?: string;
  level?: "fatal" | "error" | "warning" | "log" | "info" | "debug";
  data?: Record<string, unknown>;
}

export interface SentryCaptureContext {
  tags?: Record<string, string>;
  level?: "fatal" | "error" | "warning";
  fingerprint?: string[];
  contexts?: Record<string, Record<string, unknown>>;
}

export interface StageBreadcrumb {
  readonly requestId: string;
  readonly stage: PipelineStage;
  readonly circuitId?: string;
  readonly attempt?: number;
}

export interface ErrorContext {
  readonly requestId?: string;
  readonly circuitId?: string;
  readonly attempt?: number;
}

export interface SentryTelemetry {
  /** Add a breadcrumb if `stage` differs from this request's previous one. */
  stage(event: StageBreadcrumb): void;
  /** Convenience: feed pipeline progress events; only stage changes become breadcrumbs. */
  onProgress(event: ProgressEvent): void;
  /** Capture a typed error (sanitised copy); returns Sentry's event id when it gives one. */
  captureError(error: unknown, context?: ErrorContext): unknown;
}

const LEVEL: Record<Severity, "warning" | "error" | "fatal"> = { low: "warning", medium: "error", high: "error", critical: "fatal" };
const TERMINAL: ReadonlySet<PipelineStage> = new Set<PipelineStage>(["done", "failed", "cancelled"]);
/** Bound on requests whose last stage is remembered (dedup only; forgetting is harmless). */
const MAX_TRACKED = 1000;

/** A copy of the error that carries nothing but name, code, message and stack. */
function sanitizedError(error: unknown): { safe: Error; code: string; severity: Severity } {
  if (isProofError(error)) {
    const safe = new Error(error.message);
    safe.name = error.name;
    if (error.stack) safe.stack = error.stack;
    Object.defineProperty(safe, "code", { value: error.code, enumerable: true });
    return { safe, code: error.code, severity: error.severity };
  }
  const safe = new Error(ERROR_POLICY.SYSTEM_ERROR.description);
  safe.name = "SystemError";
  Object.defineProperty(safe, "code", { value: "SYSTEM_ERROR", enumerable: true });
  return { safe, code: "SYSTEM_ERROR", severity: ERROR_POLICY.SYSTEM_ERROR.severity };
}

/**
 * @example
 * import * as Sentry from "@sentry/browser";
 * const telemetry = createSentryTelemetry(Sentry);
 * proofAPI.requestProof(atts, "exact", { onProgress: telemetry.onProgress });
 */
export function createSentryTelemetry(sentry: SentryLike): SentryTelemetry {
  const lastStage = new Map<string, PipelineStage>();

  const stage = (event: StageBreadcrumb): void => {
    if (lastStage.get(event.requestId) === event.stage) return;
    if (TERMINAL.has(event.stage)) lastStage.delete(event.requestId);
    else {
      lastStage.delete(event.requestId); // re-insert to keep Map order = recency
      lastStage.set(event.requestId, event.stage);
      if (lastStage.size > MAX_TRACKED) lastStage.delete(lastStage.keys().next().value!);
    }
    const data: Record<string, unknown> = { requestId: event.requestId, stage: event.stage };
    if (event.circuitId !== undefined) data.circuitId = event.circuitId;
    if (event.attempt !== undefined) data.attempt = event.attempt;
    sentry.addBreadcrumb({
      type: "default",
      category: "proofline",
      message: `stage ${event.stage}`,
      level: event.stage === "failed" ? "error" : event.stage === "retrying" || event.stage === "cancelled" ? "warning" : "info",
      data,
    });
  };

  return {
    stage,
    onProgress: (event) => {
      const next: { requestId: string; stage: PipelineStage; circuitId?: string; attempt?: number } = { requestId: event.requestId, stage: event.stage };
      if (event.circuitId !== undefined) next.circuitId = event.circuitId;
      if (event.attempt !== undefined) next.attempt = event.attempt;
      stage(next);
    },
    captureError: (error, context = {}) => {
      const { safe, code, severity } = sanitizedError(error);
      const tags: Record<string, string> = { code, severity };
      if (context.circuitId !== undefined) tags.circuit = context.circuitId;
      if (context.attempt !== undefined) tags.attempt = String(context.attempt);
      const proofline: Record<string, unknown> = { code };
      if (context.requestId !== undefined) proofline.requestId = context.requestId;
      return sentry.captureException(safe, {
        captureContext: {
          tags,
          level: LEVEL[severity],
          fingerprint: ["proofline", code, context.circuitId ?? "-"],
          contexts: { proofline },
        },
      });
    },
  };
}

/** The parts of a Sentry event the scrubber touches. */
export interface ScrubbableEvent {
  extra?: Record<string, unknown>;
  contexts?: Record<string, unknown>;
  breadcrumbs?: SentryBreadcrumb[];
}

export interface SentryScrubberOptions {
  /** `extra` keys kept. @default [] */
  readonly allowExtra?: readonly string[];
  /** `contexts` keys kept. @default DEFAULT_ALLOWED_CONTEXTS */
  readonly allowContexts?: readonly string[];
}

/** Sentry's own environment contexts plus ours. */
export const DEFAULT_ALLOWED_CONTEXTS: readonly string[] = ["proofline", "trace", "runtime", "browser", "os", "device", "app", "culture"];
const BREADCRUMB_DATA_KEYS = new Set(["requestId", "stage", "circuitId", "attempt"]);

function keep(record: Record<string, unknown> | undefined, allowed: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (!record) return record;
  return Object.fromEntries(Object.entries(record).filter(([k]) => allowed.has(k)));
}

/** A `beforeSend` that drops unlisted `extra`/`contexts` keys and extra data on our breadcrumbs. */
export function createSentryScrubber(options: SentryScrubberOptions = {}): <E extends ScrubbableEvent>(event: E) => E {
  const extra = new Set(options.allowExtra ?? []);
  const contexts = new Set(options.allowContexts ?? DEFAULT_ALLOWED_CONTEXTS);
  return (event) => {
    const out = { ...event };
    if (event.extra) out.extra = keep(event.extra, extra)!;
    if (event.contexts) out.contexts = keep(event.contexts, contexts)!;
    if (event.breadcrumbs) {
      out.breadcrumbs = event.breadcrumbs.map((b) =>
        b.category === "proofline" && b.data ? { ...b, data: keep(b.data, BREADCRUMB_DATA_KEYS)! } : b,
      );
    }
    return out;
  };
}

/** `createSentryScrubber()` with the defaults. @example Sentry.init({ dsn, beforeSend: scrubSentryEvent }) */
export const scrubSentryEvent = createSentryScrubber();
