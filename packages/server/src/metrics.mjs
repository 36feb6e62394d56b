/**
 * Prometheus metrics through prom-client, one registry per service instance: request latency
 * histograms by route, verifications by verdict, proofs by outcome code, queue depth. Labels
 * are route patterns and codes only, never ids or inputs.
 */
import client from "prom-client";

export function createServiceMetrics({ queueDepth }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: "proofline_http_request_duration_seconds",
    help: "HTTP request latency by route, method and status",
    labelNames: ["route", "method", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const verifications = new client.Counter({ name: "proofline_verifications_total", help: "Proofs verified, by verdict", labelNames: ["verdict", "method"], registers: [registry] });
  const proofs = new client.Counter({ name: "proofline_proofs_total", help: "Remote proof jobs finished, by code (OK or the error code)", labelNames: ["code"], registers: [registry] });
  new client.Gauge({
    name: "proofline_queue_depth",
    help: "Remote proof jobs waiting or running",
    registers: [registry],
    async collect() {
      this.set(await queueDepth());
    },
  });
  return { registry, httpDuration, verifications, proofs };
}
