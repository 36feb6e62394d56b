/**
 * Feeds the trust layer from the facade's lifecycle events: metrics (durations and failures by
 * code), the hash-chained audit log (requests, results, cache hits, denials, failures,
 * cancellations) and optional Sentry telemetry (stage breadcrumbs). Events carry ids, codes and
 * timings only, so nothing private can reach these sinks through here.
 *
 * Metrics decisions: `total` is the proving job end to end (artifacts → verified), without the
 * pipeline queue wait, which is its own series; so `predict()` estimates what remains once a
 * job starts, which is what progress ETAs need. Cached and shared results count as successes
 * with no duration samples: they did no proving and would drag predictions toward zero.
 */
import type { ProofErrorCode } from "../core/errors.js";
import type { AuditLog } from "./audit-log.js";
import type { ProofMetrics } from "./metrics.js";
import type { SentryTelemetry } from "./sentry-integration.js";
import type { ProofLifecycleEvent } from "../request/lifecycle-events.js";

/** Codes of refusals by access control (audited as `denied`, not `failure`). */
const DENIAL_CODES: ReadonlySet<ProofErrorCode> = new Set<ProofErrorCode>(["RATE_LIMITED", "ACCESS_DENIED"]);

export interface TrustRecorderSinks {
  readonly metrics: ProofMetrics;
  readonly audit: AuditLog;
  readonly telemetry: SentryTelemetry | undefined;
}

/** The listener to subscribe to the facade's lifecycle events. */
export function createTrustRecorder(sinks: TrustRecorderSinks): (event: ProofLifecycleEvent) => void {
  const { metrics, audit, telemetry } = sinks;
  const user = (e: { userId?: string }) => (e.userId !== undefined ? { userId: e.userId } : {});
  return (event) => {
    switch (event.type) {
      case "rejected":
        audit.append({ type: DENIAL_CODES.has(event.code) ? "denied" : "failure", requestId: event.requestId, code: event.code, ...user(event) });
        return;
      case "accepted":
        audit.append({ type: "request", requestId: event.requestId, circuitId: event.circuitId, ...user(event) });
        return;
      case "stage":
        telemetry?.stage({ requestId: event.requestId, stage: event.stage, circuitId: event.circuitId, attempt: event.attempt });
        return;
      case "completed": {
        const t = event.timings;
        metrics.record(
          event.cached
            ? { circuitId: event.circuitId }
            : {
                circuitId: event.circuitId,
                durations: {
                  queueWait: event.queueWaitMs + (t.queueMs ?? 0),
                  download: t.artifactsMs,
                  witness: t.witnessMs,
                  prove: t.proveMs,
                  ...(t.verifyMs !== undefined ? { verify: t.verifyMs } : {}),
                  total: t.totalMs - (t.queueMs ?? 0),
                },
              },
        );
        audit.append({ type: event.cached ? "cache_hit" : "result", requestId: event.requestId, circuitId: event.circuitId, durationMs: event.totalMs, ...user(event) });
        return;
      }
      case "failed":
        metrics.record({ circuitId: event.circuitId ?? "unknown", code: event.code });
        audit.append({ type: "failure", requestId: event.requestId, code: event.code, durationMs: event.totalMs, ...(event.circuitId ? { circuitId: event.circuitId } : {}), ...user(event) });
        return;
      case "cancelled":
        metrics.record({ circuitId: event.circuitId ?? "unknown", code: "CANCELLED" });
        audit.append({ type: "cancelled", requestId: event.requestId, code: event.code, durationMs: event.totalMs, ...(event.circuitId ? { circuitId: event.circuitId } : {}), ...user(event) });
        return;
      default:
        return;
    }
  };
}
