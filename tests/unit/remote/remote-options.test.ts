/**
 * Remote proving is opt-in: without the API's `remote` option every request is local, and
 * asking for "remote" or "auto" is a ValidationError naming `mode`; bad remote options are
 * named too.
 */
import { describe, expect, it } from "vitest";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { requestMode, resolveRemote } from "../../../src/lib/proof/remote/remote-options.js";

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ProofError);
    return ((e as ProofError).details as { field?: string }).field;
  }
  return undefined;
};

describe("remote options", () => {
  const remote = resolveRemote({ url: "http://127.0.0.1:8080/base", apiKey: "k", fetch: (() => undefined) as unknown as typeof fetch });

  it("defaults to local; remote and auto need the API's remote option", () => {
    expect(remote).toBeDefined();
    expect(requestMode(undefined, false)).toBe("local");
    expect(requestMode(undefined, true)).toBe("local");
    expect(requestMode("local", false)).toBe("local");
    expect(fieldOf(() => requestMode("remote", false))).toBe("mode");
    expect(fieldOf(() => requestMode("auto", false))).toBe("mode");
    expect(fieldOf(() => requestMode("elsewhere", true))).toBe("mode");
    expect(requestMode("remote", true)).toBe("remote");
    expect(requestMode("auto", true)).toBe("auto");
  });

  it("resolves the base URL as a directory and names bad fields", () => {
    expect(remote!.base.href).toBe("http://127.0.0.1:8080/base/");
    expect(resolveRemote(undefined)).toBeUndefined();
    expect(fieldOf(() => resolveRemote({ url: "not a url" }))).toBe("remote.url");
    expect(fieldOf(() => resolveRemote({ url: "ftp://x/" }))).toBe("remote.url");
    expect(fieldOf(() => resolveRemote({ url: "http://x/", apiKey: "with space" }))).toBe("remote.apiKey");
  });
});
