import { afterEach, describe, expect, it } from "vitest";
import { defaultMemoryProbe } from "../../../src/lib/proof/observability/memory-probe.js";

describe("defaultMemoryProbe", () => {
  const original = Object.getOwnPropertyDescriptor(globalThis.performance, "memory");
  afterEach(() => {
    if (original) Object.defineProperty(globalThis.performance, "memory", original);
    else delete (globalThis.performance as { memory?: unknown }).memory;
  });

  it("prefers Chromium's performance.memory", () => {
    Object.defineProperty(globalThis.performance, "memory", {
      configurable: true,
      value: { usedJSHeapSize: 10, totalJSHeapSize: 20, jsHeapSizeLimit: 30 },
    });
    expect(defaultMemoryProbe()).toEqual({ usedBytes: 10, totalBytes: 20, limitBytes: 30, source: "performance.memory" });
  });

  it("falls back to process.memoryUsage() in Node", () => {
    const usage = defaultMemoryProbe();
    expect(usage?.source).toBe("process.memoryUsage");
    expect(usage!.usedBytes).toBeGreaterThan(1_000_000);
  });

  it("never throws", () => {
    Object.defineProperty(globalThis.performance, "memory", {
      configurable: true,
      get() {
        throw new Error("denied");
      },
    });
    expect(() => defaultMemoryProbe()).not.toThrow();
  });
});
