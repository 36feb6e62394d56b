import { describe, expect, it } from "vitest";
import { ProofMetrics } from "../../../src/lib/proof/observability/metrics.js";
import { escapeLabelValue } from "../../../src/lib/proof/observability/prometheus.js";
import { fakeClock } from "../cache/trust-fixtures.js";

// The text exposition format, line by line.
const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const VALUE = "(?:[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|NaN|[+-]Inf)";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(${LABEL}(?:,${LABEL})*)\\})? (${VALUE})$`);
const HELP = new RegExp(`^# HELP (${NAME}) .+$`);
const TYPE = new RegExp(`^# TYPE (${NAME}) (counter|gauge|summary|histogram|untyped)$`);

function parse(text: string): Array<{ name: string; labels: Record<string, string>; value: number }> {
  expect(text.endsWith("\n")).toBe(true);
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  const typed = new Map<string, string>();
  for (const line of text.slice(0, -1).split("\n")) {
    if (HELP.test(line)) continue;
    const t = TYPE.exec(line);
    if (t) {
      typed.set(t[1]!, t[2]!);
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a Prometheus line: ${line}`);
    const base = m[1]!.replace(/_(sum|count)$/, "");
    expect(typed.has(m[1]!) || typed.get(base) === "summary").toBe(true);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? "").matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) labels[k!] = v!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]!.replace("+Inf", "Infinity")) });
  }
  return samples;
}

describe("toPrometheus", () => {
  it("emits counters and second-based summaries that parse line by line", () => {
    const m = new ProofMetrics({ clock: fakeClock(), windowSize: 500, memoryProbe: () => ({ usedBytes: 4096, source: "custom" }) });
    for (const ms of [1000, 2000, 3000, 4000]) m.record({ circuitId: "ebsl-16", durations: { prove: ms, queueWait: 5, total: ms + 500 } });
    m.record({ circuitId: "ebsl-16", code: "TIMEOUT" });
    m.record({ circuitId: 'we"ird\\id\n', code: "CANCELLED" });
    const samples = parse(m.toPrometheus());
    const find = (name: string, labels: Record<string, string>) =>
      samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

    expect(find("proofline_proofs_total", { circuit: "ebsl-16", outcome: "success" })).toBe(4);
    expect(find("proofline_proofs_total", { circuit: "ebsl-16", outcome: "failure" })).toBe(1);
    expect(find("proofline_failures_total", { circuit: "ebsl-16", code: "TIMEOUT" })).toBe(1);
    expect(find("proofline_failures_total", { circuit: 'we\\"ird\\\\id\\n', code: "CANCELLED" })).toBe(1);
    expect(find("proofline_stage_duration_seconds", { circuit: "ebsl-16", stage: "prove", quantile: "0.5" })).toBe(2);
    expect(find("proofline_stage_duration_seconds", { circuit: "ebsl-16", stage: "prove", quantile: "0.99" })).toBe(4);
    expect(find("proofline_stage_duration_seconds_sum", { circuit: "ebsl-16", stage: "prove" })).toBe(10);
    expect(find("proofline_stage_duration_seconds_count", { circuit: "ebsl-16", stage: "queue_wait" })).toBe(4);
    expect(find("proofline_memory_used_bytes", {})).toBe(4096);
  });

  it("is valid with no data", () => {
    const text = new ProofMetrics({ clock: fakeClock(), windowSize: 500, memoryProbe: null }).toPrometheus();
    expect(parse(text)).toEqual([]);
    expect(text).toContain("# TYPE proofline_proofs_total counter");
  });

  it("escapes label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });
});
