/**
 * Prometheus text exposition format (0.0.4) of a metrics snapshot, for Node users who scrape
 * it. Durations are exported in seconds (Prometheus base unit). Per-circuit series only: counts
 * sum across circuits in PromQL, and window quantiles cannot be meaningfully summed anyway.
 *
 * Families:
 * - `proofline_proofs_total{circuit,outcome}` counter (outcome: success | failure | cancelled)
 * - `proofline_failures_total{circuit,code}` counter
 * - `proofline_stage_duration_seconds{circuit,stage,quantile}` summary (+ `_sum`, `_count`,
 *   lifetime; quantiles over the bounded window, nearest rank)
 * - `proofline_memory_used_bytes` gauge, when the platform reports memory
 */
import { DURATION_KINDS, type DurationKind, type MetricsSnapshot } from "./metrics-snapshot.js";

/** Escape a label value: backslash, double quote and newline (the format's rule). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${escapeLabelValue(v)}"`)
    .join(",");
  return body ? `{${body}}` : "";
}

/** A float the format accepts (Go's ParseFloat): finite numbers as is, else NaN/+Inf/-Inf. */
function num(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

const STAGE_LABEL: Record<DurationKind, string> = {
  queueWait: "queue_wait",
  download: "download",
  witness: "witness",
  prove: "prove",
  verify: "verify",
  total: "total",
};

/** Render the exposition text (ends with a newline, as scrapers expect). */
export function toPrometheusText(snapshot: MetricsSnapshot): string {
  const lines: string[] = [];
  const circuits = Object.entries(snapshot.circuits);

  lines.push("# HELP proofline_proofs_total Proof jobs finished, by circuit and outcome.");
  lines.push("# TYPE proofline_proofs_total counter");
  for (const [circuit, g] of circuits) {
    for (const [outcome, n] of [["success", g.successes], ["failure", g.failures], ["cancelled", g.cancelled]] as const) {
      lines.push(`proofline_proofs_total${labels({ circuit, outcome })} ${num(n)}`);
    }
  }

  lines.push("# HELP proofline_failures_total Failed or cancelled proof jobs, by circuit and error code.");
  lines.push("# TYPE proofline_failures_total counter");
  for (const [circuit, g] of circuits) {
    for (const [code, n] of Object.entries(g.failuresByCode)) {
      lines.push(`proofline_failures_total${labels({ circuit, code })} ${num(n ?? 0)}`);
    }
  }

  lines.push("# HELP proofline_stage_duration_seconds Duration of each stage of successful jobs (quantiles over a bounded window).");
  lines.push("# TYPE proofline_stage_duration_seconds summary");
  for (const [circuit, g] of circuits) {
    for (const kind of DURATION_KINDS) {
      const d = g.durations[kind];
      if (!d) continue;
      const stage = STAGE_LABEL[kind];
      for (const [q, ms] of [["0.5", d.window.p50], ["0.95", d.window.p95], ["0.99", d.window.p99]] as const) {
        lines.push(`proofline_stage_duration_seconds${labels({ circuit, stage, quantile: q })} ${num(ms / 1000)}`);
      }
      lines.push(`proofline_stage_duration_seconds_sum${labels({ circuit, stage })} ${num(d.sumMs / 1000)}`);
      lines.push(`proofline_stage_duration_seconds_count${labels({ circuit, stage })} ${num(d.count)}`);
    }
  }

  if (snapshot.memory) {
    lines.push("# HELP proofline_memory_used_bytes Memory in use as the platform reports it.");
    lines.push("# TYPE proofline_memory_used_bytes gauge");
    lines.push(`proofline_memory_used_bytes${labels({ source: snapshot.memory.source })} ${num(snapshot.memory.usedBytes)}`);
  }
  return `${lines.join("\n")}\n`;
}
