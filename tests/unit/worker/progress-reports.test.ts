import { describe, expect, it } from "vitest";
import { bestEffort, PROGRESS_INTERVAL_MS, thinnedProgress } from "../../../src/lib/proof/worker/progress-reports.js";
import type { ArtifactProgress } from "../../../src/lib/proof/engine/types.js";

const at = (artifact: ArtifactProgress["artifact"], loadedBytes: number, totalBytes = 100): ArtifactProgress => ({ circuitId: "c", artifact, loadedBytes, totalBytes, source: "network" });

describe("progress reports", () => {
  it("bestEffort ignores listeners that throw or reject, and no listener at all", async () => {
    expect(() => bestEffort(() => {
      throw new Error("gone");
    })(1)).not.toThrow();
    bestEffort(() => Promise.reject(new Error("gone")))(1);
    bestEffort<number>(undefined)(1);
    const seen: number[] = [];
    bestEffort<number>((p) => seen.push(p))(5);
    expect(seen).toEqual([5]);
  });

  it("thins byte progress per artifact and always delivers the last report", () => {
    let t = 0;
    const seen: string[] = [];
    const report = thinnedProgress((p) => seen.push(`${p.artifact}:${p.loadedBytes}`), () => t);
    report(at("zkey", 1));
    report(at("zkey", 2)); // same instant: dropped
    report(at("wasm", 1)); // another artifact: its own interval
    t += PROGRESS_INTERVAL_MS;
    report(at("zkey", 3));
    report(at("zkey", 100)); // complete: always goes
    expect(seen).toEqual(["zkey:1", "wasm:1", "zkey:3", "zkey:100"]);
  });
});
