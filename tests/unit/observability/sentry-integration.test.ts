/**
 * A real @sentry/browser client with a transport that only records (no network): the events it
 * receives carry the expected breadcrumbs and tags, and none of the private values of the
 * request, even when the app attached them to the scope and an error's cause contains them.
 */
import {
  BrowserClient,
  createTransport,
  defaultStackParser,
  extraErrorDataIntegration,
  linkedErrorsIntegration,
  Scope,
} from "@sentry/browser";
import { describe, expect, it } from "vitest";
import { ProvingError, WitnessConstraintError } from "../../../src/lib/proof/core/errors.js";
import { createSentryScrubber, createSentryTelemetry, scrubSentryEvent } from "../../../src/lib/proof/observability/sentry-integration.js";

const PRIVATE = {
  source: "0x5eC7e7Source00000000000000000000000000a1",
  target: "0x7a26e7Target00000000000000000000000000b2",
  belief: 0.123456,
  disbelief: 0.654321,
  inputValue: "918273645546372819",
};
const ATTESTATION = {
  source: PRIVATE.source,
  target: PRIVATE.target,
  opinion: { belief: PRIVATE.belief, disbelief: PRIVATE.disbelief, uncertainty: 0.222223, base_rate: 0.5 },
};
const NEEDLES = [PRIVATE.source, PRIVATE.target, "0.123456", "123456", "654321", PRIVATE.inputValue, "5eC7e7", "7a26e7"];

function setup() {
  const payloads: string[] = [];
  const decoder = new TextDecoder();
  const client = new BrowserClient({
    dsn: "https://public@example.invalid/1",
    integrations: [linkedErrorsIntegration(), extraErrorDataIntegration()],
    stackParser: defaultStackParser,
    beforeSend: scrubSentryEvent,
    transport: (options) =>
      createTransport(options, async (request) => {
        payloads.push(typeof request.body === "string" ? request.body : decoder.decode(request.body));
        return { statusCode: 200 };
      }),
  });
  const scope = new Scope();
  scope.setClient(client);
  client.init();
  // An app that carelessly attaches request data to its scope.
  scope.setExtra("attestations", [ATTESTATION]);
  scope.setContext("request", { input: { x: PRIVATE.inputValue } });
  return { client, scope, payloads };
}

/** Events (items with an `exception`) from recorded envelopes. */
function events(payloads: string[]): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  for (const payload of payloads) {
    for (const line of payload.split("\n")) {
      if (!line.trim()) continue;
      const item = JSON.parse(line);
      if (item && item.exception) out.push(item);
    }
  }
  return out;
}

describe("Sentry telemetry with a real BrowserClient", () => {
  it("sends breadcrumbs and a tagged typed error, and no private value", async () => {
    const { client, scope, payloads } = setup();
    const telemetry = createSentryTelemetry(scope);
    const requestId = "req-1";
    for (const stage of ["queued", "queued", "artifacts", "witness", "proving", "proving", "retrying", "proving"] as const) {
      telemetry.onProgress({ requestId, status: "PROCESSING", progress: 10, stage, circuitId: "ebsl-16", attempt: stage === "retrying" ? 2 : 1 });
    }
    const cause = new Error(`witness failed for ${JSON.stringify(ATTESTATION)} input=${PRIVATE.inputValue}`);
    const error = new WitnessConstraintError("The circuit rejected the input.", { cause, details: { index: 3 } });
    (error as unknown as Record<string, unknown>).attestation = ATTESTATION; // even an extra own property
    telemetry.captureError(error, { requestId, circuitId: "ebsl-16", attempt: 2 });
    expect(await client.flush(2000)).toBe(true);

    const all = payloads.join("\n");
    for (const needle of NEEDLES) expect(all).not.toContain(needle);

    const [event] = events(payloads);
    expect(event).toBeDefined();
    expect(event!.tags).toEqual({ code: "WITNESS_CONSTRAINT_FAILED", circuit: "ebsl-16", attempt: "2", severity: "medium" });
    expect(event!.level).toBe("error");
    expect(event!.exception.values).toHaveLength(1); // the cause was not linked
    expect(event!.exception.values[0]).toMatchObject({ type: "WitnessConstraintError", value: "The circuit rejected the input." });
    expect(event!.extra ?? {}).toEqual({});
    expect(Object.keys(event!.contexts ?? {})).not.toContain("request");
    expect(event!.contexts.proofline).toEqual({ code: "WITNESS_CONSTRAINT_FAILED", requestId });
    const crumbs = (event!.breadcrumbs as Array<Record<string, any>>).filter((b) => b.category === "proofline");
    expect(crumbs.map((b) => b.data.stage)).toEqual(["queued", "artifacts", "witness", "proving", "retrying", "proving"]);
    for (const b of crumbs) expect(Object.keys(b.data).sort()).toEqual(["attempt", "circuitId", "requestId", "stage"]);
    expect(crumbs[4]).toMatchObject({ level: "warning", data: { attempt: 2 } });
  });

  it("reports unknown errors as SYSTEM_ERROR without their message", async () => {
    const { client, scope, payloads } = setup();
    const telemetry = createSentryTelemetry(scope);
    telemetry.captureError(new TypeError(`bad value ${PRIVATE.inputValue} from ${PRIVATE.source}`), { circuitId: "ebsl-64" });
    telemetry.captureError(new ProvingError(), { requestId: "r2", circuitId: "ebsl-64", attempt: 1 });
    expect(await client.flush(2000)).toBe(true);
    const all = payloads.join("\n");
    for (const needle of NEEDLES) expect(all).not.toContain(needle);
    const [unknown, proving] = events(payloads);
    expect(unknown!.tags).toEqual({ code: "SYSTEM_ERROR", circuit: "ebsl-64", severity: "high" });
    expect(unknown!.exception.values[0].type).toBe("SystemError");
    expect(proving!.tags).toMatchObject({ code: "PROVING_FAILED", attempt: "1" });
    expect(proving!.fingerprint).toEqual(["proofline", "PROVING_FAILED", "ebsl-64"]);
  });
});

describe("Sentry scrubber", () => {
  it("keeps only allow-listed extra and contexts keys and our four breadcrumb fields", () => {
    const scrub = createSentryScrubber({ allowExtra: ["build"], allowContexts: ["proofline"] });
    const event = {
      extra: { build: "1.2.3", attestations: [ATTESTATION] },
      contexts: { proofline: { code: "TIMEOUT" }, request: { x: 1 } },
      breadcrumbs: [
        { category: "proofline", data: { requestId: "r", stage: "witness", input: PRIVATE.inputValue } },
        { category: "ui.click", data: { target: "button" } },
      ],
      message: "kept",
    };
    expect(scrub(event)).toEqual({
      extra: { build: "1.2.3" },
      contexts: { proofline: { code: "TIMEOUT" } },
      breadcrumbs: [{ category: "proofline", data: { requestId: "r", stage: "witness" } }, { category: "ui.click", data: { target: "button" } }],
      message: "kept",
    });
    expect(event.extra.attestations).toBeDefined(); // input not mutated
  });
});
