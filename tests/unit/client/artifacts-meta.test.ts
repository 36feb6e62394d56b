import { afterEach, describe, expect, it, vi } from "vitest";
import { createProofAPI } from "../../../src/index.js";
import { ARTIFACTS_META, artifactsBaseFromPage } from "../../../src/lib/proof/client/artifacts-meta.js";

afterEach(() => {
  document.head.querySelectorAll(`meta[name="${ARTIFACTS_META}"]`).forEach((m) => m.remove());
  vi.restoreAllMocks();
});

function declare(content: string): void {
  const meta = document.createElement("meta");
  meta.setAttribute("name", ARTIFACTS_META);
  meta.setAttribute("content", content);
  document.head.append(meta);
}

describe("where the page says the artifacts are", () => {
  it("reads the meta tag as an absolute URL", () => {
    expect(artifactsBaseFromPage()).toBeUndefined();
    declare("/proofline/circuits/");
    expect(artifactsBaseFromPage()).toBe(new URL("/proofline/circuits/", document.baseURI).toString());
  });

  it("warns loudly, once per API, when the circuits would come from node_modules (works in dev only)", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    createProofAPI().dispose();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/node_modules.*production build.*ARTIFACT_NOT_FOUND.*proofline\/vite/s);
  });

  it("says nothing when the plugin's meta tag or artifactsBaseUrl says where they are", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    createProofAPI({ artifactsBaseUrl: "https://cdn.example/circuits/" }).dispose();
    declare("/proofline/circuits/");
    createProofAPI().dispose();
    expect(warn).not.toHaveBeenCalled();
  });
});
