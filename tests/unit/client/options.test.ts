import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/lib/proof/core/errors.js";
import { resolveOptions } from "../../../src/lib/proof/client/options.js";
import { DEFAULTS } from "../../../src/lib/proof/core/defaults.js";
import { ProofPriority } from "../../../src/lib/proof/request/priority-queue.js";
import { CIRCUITS, FakeProver } from "./fakes.js";

const manifest = {
  version: 1,
  circuits: {
    "ebsl-16": {
      id: "ebsl-16",
      family: "ebsl",
      capacity: 16,
      wasm: { path: "build/ebsl-16/ebsl-16.wasm", bytes: 10, sha256: "a".repeat(64) },
      zkey: { path: "build/ebsl-16/ebsl-16.zkey", bytes: 10, sha256: "b".repeat(64) },
      vkey: { path: "build/ebsl-16/ebsl-16.vkey.json", bytes: 10, sha256: "c".repeat(64) },
    },
  },
};

function errorOf(fn: () => unknown): InstanceType<typeof ValidationError> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return e as InstanceType<typeof ValidationError>;
  }
  throw new Error("expected a ValidationError");
}

describe("resolveOptions", () => {
  it("fills the documented defaults", () => {
    const o = resolveOptions({ circuits: CIRCUITS, concurrency: 2 });
    expect(o.defaultPriority).toBe(ProofPriority.NORMAL);
    expect(o.maxQueued).toBe(100);
    expect(o.retry).toEqual({ attempts: 3, baseMs: 250, capMs: 5000, jitter: "full" });
    expect(o.allowFallback).toBe(true);
    expect(o.defaultThreshold).toBe(600_000);
    expect(o.timeoutMs).toBeUndefined();
    expect(o.concurrency).toBe(2);
    expect(o.ownsProver).toBe(true);
    expect(DEFAULTS.api).toMatchObject({ maxQueued: 100, defaultThreshold: 600_000 });
    expect(o.generateId()).not.toBe(o.generateId());
  });

  it("resolves manifest paths against artifactsBaseUrl", () => {
    const o = resolveOptions({ manifest, artifactsBaseUrl: "https://cdn.example/c/", concurrency: 1 });
    expect(o.circuits[0]).toMatchObject({ id: "ebsl-16", meta: { family: "ebsl", capacity: 16 } });
    expect(o.circuits[0]!.zkey.url).toBe("https://cdn.example/c/build/ebsl-16/ebsl-16.zkey");
  });

  it("concurrency follows the prover's pool size", () => {
    expect(resolveOptions({ circuits: CIRCUITS, proverOptions: { poolSize: 3 } }).concurrency).toBe(3);
  });

  it("an injected prover is used as is and not owned", () => {
    const prover = new FakeProver();
    const o = resolveOptions({ circuits: CIRCUITS, prover, concurrency: 1 });
    expect(o.createProver()).toBe(prover);
    expect(o.ownsProver).toBe(false);
  });

  it.each([
    [{ maxQueued: 0 }, "maxQueued", "0"],
    [{ concurrency: 1.5 }, "concurrency", "1.5"],
    [{ defaultPriority: 7 }, "defaultPriority", "7"],
    [{ allowFallback: "yes" }, "allowFallback", "yes"],
    [{ defaultThreshold: 0.6 }, "defaultThreshold", "0.6"],
    [{ timeoutMs: -1 }, "timeoutMs", "-1"],
    [{ timeoutMs: 2 ** 31 }, "timeoutMs", "2147483648"],
    [{ cache: { ttlMs: 2 ** 31 } }, "cache.ttlMs", "2147483648"],
    [{ rateLimit: { windowMs: 2 ** 31 } }, "rateLimit.windowMs", "2147483648"],
    [{ retry: { capMs: 2 ** 31 } }, "retry.capMs", "capMs"],
    [{ retry: { baseMs: 2 ** 40 } }, "retry.baseMs", "baseMs"],
    [{ cache: { salt: "a".repeat(129) } }, "cache.salt", "aaaa"],
    [{ proverOptions: { startTimeoutMs: 2 ** 31 } }, "proverOptions.startTimeoutMs", "2147483648"],
    [{ proverOptions: { timeoutMs: 0 } }, "proverOptions.timeoutMs", "0"],
    [{ proverOptions: { poolSize: 0 } }, "proverOptions.poolSize", "0"],
    [{ proverOptions: { backend: "rapid" } }, "proverOptions.backend", "rapid"],
    [{ proverOptions: { cores: 0 } }, "proverOptions.cores", "0"],
    [{ proverOptions: { memoryBudgetMB: 0.5 } }, "proverOptions.memoryBudgetMB", "0.5"],
    [{ proverOptions: { workerFactory: () => undefined } }, "proverOptions.workerFactory", "top-level workerFactory"],
    [{ random: 3 }, "random", "3"],
    [{ retry: { attempts: 0 } }, "retry.attempts", "attempts"],
  ])("rejects %j naming the option and echoing the value", (bad, field, echoed) => {
    const error = errorOf(() => resolveOptions({ circuits: CIRCUITS, concurrency: 1, ...(bad as object) }));
    expect(error.details["field"]).toBe(field);
    expect(error.message).toContain(echoed);
  });

  it("needs a manifest or circuits; a bad manifest names its field", () => {
    expect(errorOf(() => resolveOptions({ concurrency: 1 })).details["field"]).toBe("manifest");
    const broken = { ...manifest, circuits: { "ebsl-16": { ...manifest.circuits["ebsl-16"], zkey: { path: "x", bytes: 1, sha256: "nothex" } } } };
    expect(errorOf(() => resolveOptions({ manifest: broken, concurrency: 1 })).details["field"]).toBe("circuits.ebsl-16.zkey.sha256");
  });

  it("ebslCircuits names EBSL circuits of the manifest, once, at construction", () => {
    expect(resolveOptions({ circuits: CIRCUITS, concurrency: 1 }).ebslCircuits).toBeUndefined();
    expect(resolveOptions({ circuits: CIRCUITS, concurrency: 1, ebslCircuits: ["ebsl-16", "ebsl-256"] }).ebslCircuits).toEqual(["ebsl-16", "ebsl-256"]);
    expect(errorOf(() => resolveOptions({ circuits: CIRCUITS, concurrency: 1, ebslCircuits: ["ebsl-1024"] })).details["field"]).toBe("ebslCircuits");
    expect(errorOf(() => resolveOptions({ circuits: CIRCUITS, concurrency: 1, ebslCircuits: [] })).details["field"]).toBe("ebslCircuits");
  });
});
