import { describe, expect, it } from "vitest";
import { nodeProofAPIOptions } from "../../../src/lib/proof/client/node-defaults.js";
import { isWorkerArtifacts } from "../../../src/lib/proof/engine/artifacts/circuit-loading.js";
import type { ArtifactSource } from "../../../src/lib/proof/engine/types.js";

const packageDir = () => "/pkg/circuits";

describe("nodeProofAPIOptions", () => {
  it("has the prover workers read their own files by default, so a big zkey can be let go once decoded", () => {
    const options = nodeProofAPIOptions({}, packageDir);
    expect(isWorkerArtifacts(options.artifacts)).toBe(true);
    expect(options.artifactsBaseUrl).toBe("/pkg/circuits");
    expect(options.manifest).toBeDefined();
  });

  it("reads artifacts on the caller's thread for a worker factory of the caller's (its workers may not load files)", () => {
    const options = nodeProofAPIOptions({ workerFactory: () => ({}) as never }, packageDir);
    expect(typeof options.artifacts).toBe("function");
    expect(isWorkerArtifacts(options.artifacts)).toBe(false);
  });

  it("keeps an explicit artifact source and base", () => {
    const source: ArtifactSource = { load: async () => Promise.reject(new Error("unused")) };
    const options = nodeProofAPIOptions({ artifacts: source, circuitsDir: "/mine" }, packageDir);
    expect(options.artifacts).toBe(source);
    expect(options.artifactsBaseUrl).toBe("/mine");
  });

  it("does not need the circuits package for circuits of one's own", () => {
    let asked = false;
    const options = nodeProofAPIOptions({ circuits: [] }, () => ((asked = true), "/pkg"));
    expect(asked).toBe(false);
    expect(options.artifactsBaseUrl).toBeUndefined();
  });
});
