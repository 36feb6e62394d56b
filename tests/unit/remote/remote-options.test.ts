/**
 * Remote proving is opt-in: without the API's `remote` option every request is local, and
 * asking for "remote" or "auto" is a ValidationError naming `mode`; bad remote options are
 * named too.
 */
import { describe, expect, it } from "vitest";
import { ProofError } from "../../../src/lib/proof/core/errors.js";
import { resolveRemote } from "../../../src/lib/proof/remote/remote-options.js";

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

  it("resolves the base URL as a directory and names bad fields", () => {
    expect(remote!.base.href).toBe("http://127.0.0.1:8080/base/");
    expect(resolveRemote(undefined)).toBeUndefined();
    expect(fieldOf(() => resolveRemote({ url: "not a url" }))).toBe("remote.url");
    expect(fieldOf(() => resolveRemote({ url: "ftp://x/" }))).toBe("remote.url");
    expect(fieldOf(() => resolveRemote({ url: "http://x/", apiKey: "with space" }))).toBe("remote.apiKey");
  });
});
