import { describe, expect, it } from "vitest";
import { fetchArtifact, redactUrl } from "../../../../src/lib/proof/engine/artifacts/artifact-fetch.js";
import { ArtifactNotFoundError, CancelledError, NetworkError, TimeoutError } from "../../../../src/lib/proof/core/errors.js";
import { bytesOf, fakeFetch } from "./artifact-fixtures.js";

const URL1 = "https://cdn.test/a.zkey";
const base = { circuitId: "c1", artifact: "zkey" as const };

describe("fetchArtifact", () => {
  it("streams the body with monotonic byte progress ending at the total", async () => {
    const data = bytesOf(10_000);
    const fetch = fakeFetch({ [URL1]: [data] }, { chunk: 1500 });
    const seen: number[] = [];
    const out = await fetchArtifact(URL1, { ...base, fetch, expectedBytes: data.length, onBytes: (n) => seen.push(n) });
    expect(out).toEqual(data);
    expect(seen.length).toBe(7);
    expect(seen.every((n, i) => i === 0 || n > seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(10_000);
    expect(fetch.calls.length).toBe(1);
  });

  it("returns the pre-sized buffer itself when the size matches (no extra copy)", async () => {
    const data = bytesOf(4096);
    const out = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [data] }), expectedBytes: 4096 });
    expect(out.byteLength).toBe(4096);
    expect(out.buffer.byteLength).toBe(4096);
  });

  it("returns short and long bodies as they are (the loader rejects them)", async () => {
    const data = bytesOf(3000);
    const short = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [data] }), expectedBytes: 5000 });
    expect(short.byteLength).toBe(3000);
    const long = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [data] }, { chunk: 1000 }), expectedBytes: 1500 });
    expect(long.byteLength).toBeGreaterThan(1500);
    expect(long).toEqual(data.subarray(0, long.byteLength));
  });

  it("falls back to arrayBuffer when there is no body stream", async () => {
    const data = bytesOf(2048);
    const seen: number[] = [];
    const out = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [data] }, { noBody: true }), expectedBytes: 2048, onBytes: (n) => seen.push(n) });
    expect(out).toEqual(data);
    expect(seen).toEqual([2048]);
  });

  it("maps an HTTP error to NetworkError with status and a redacted URL", async () => {
    const secret = "https://user:pw@cdn.test/a.zkey?token=SECRET#x";
    const err = await fetchArtifact(secret, { ...base, fetch: fakeFetch({ [secret]: [{ status: 503 }] }), expectedBytes: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.code).toBe("NETWORK_ERROR");
    expect(err.details).toMatchObject({ circuitId: "c1", artifact: "zkey", status: 503, url: "https://cdn.test/a.zkey" });
    expect(JSON.stringify(err.details)).not.toContain("SECRET");
    expect(JSON.stringify(err.details)).not.toContain("pw");
  });

  it("a request with no HTTP answer says what failed underneath and what to check", async () => {
    const browser = await fetchArtifact(URL1, { ...base, fetch: async () => Promise.reject(new TypeError("Failed to fetch")), expectedBytes: 1 }).catch((e) => e);
    expect(browser).toBeInstanceOf(NetworkError);
    expect(browser.message).toContain("TypeError: Failed to fetch");
    expect(browser.message).toContain("Access-Control-Allow-Origin");
    expect(browser.details).toMatchObject({ status: null, reason: "TypeError: Failed to fetch", url: URL1 });
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) });
    const node = await fetchArtifact(URL1, { ...base, fetch: async () => Promise.reject(refused), expectedBytes: 1 }).catch((e) => e);
    expect(node.details.reason).toBe("TypeError: fetch failed (ECONNREFUSED)");
  });

  it("a 404 is ARTIFACT_NOT_FOUND (fatal), naming the URL, the pinned size and the option to fix", async () => {
    const err = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [{ status: 404 }] }), expectedBytes: 7_000_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ArtifactNotFoundError);
    expect(err.recoverability).toBe("fatal");
    expect(err.message).toContain(URL1);
    expect(err.message).toContain("artifactsBaseUrl");
    expect(err.details).toMatchObject({ status: 404, url: URL1, expectedBytes: 7_000_000 });
  });

  it("an HTML page served with status 200 (a dev server's fallback) is ARTIFACT_NOT_FOUND and its body is not read", async () => {
    let bodyRead = false;
    const body = new ReadableStream({ pull: () => void (bodyRead = true) }, { highWaterMark: 0 });
    const fetch = async () => new Response(body, { status: 200, headers: { "content-type": "text/html; charset=utf-8", "content-length": "612" } });
    const err = await fetchArtifact(URL1, { ...base, fetch, expectedBytes: 7_000_000 }).catch((e) => e);
    expect(err).toBeInstanceOf(ArtifactNotFoundError);
    expect(err.message).toMatch(/HTML page \(text\/html; charset=utf-8, 612 bytes\) instead of 7000000 bytes/);
    expect(err.details).toMatchObject({ contentType: "text/html; charset=utf-8", receivedBytes: 612, expectedBytes: 7_000_000 });
    expect(bodyRead).toBe(false);
  });

  it("maps a transport failure to NetworkError", async () => {
    const fetch = fakeFetch({ [URL1]: [{ error: new TypeError("Failed to fetch") }] });
    const err = await fetchArtifact(URL1, { ...base, fetch, expectedBytes: 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.cause).toBeInstanceOf(TypeError);
  });

  it("settles with CancelledError when aborted mid-download", async () => {
    const ac = new AbortController();
    const fetch = fakeFetch({ [URL1]: [{ hangAfter: bytesOf(2048) }] }, { chunk: 1024 });
    const seen: number[] = [];
    const p = fetchArtifact(URL1, {
      ...base,
      fetch,
      expectedBytes: 10_000,
      signal: ac.signal,
      onBytes: (n) => {
        seen.push(n);
        if (n === 2048) ac.abort();
      },
    });
    const err = await p.catch((e) => e);
    expect(err).toBeInstanceOf(CancelledError);
    expect(err.code).toBe("CANCELLED");
    expect(seen).toEqual([1024, 2048]);
  });

  it("passes a ProofError abort reason through (e.g. a timeout)", async () => {
    const ac = new AbortController();
    ac.abort(new TimeoutError("job timed out"));
    const err = await fetchArtifact(URL1, { ...base, fetch: fakeFetch({ [URL1]: [bytesOf(10)] }), expectedBytes: 10, signal: ac.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(TimeoutError);
  });

  it("settles on abort even when the fetch ignores the signal", async () => {
    const ac = new AbortController();
    const never = (() => new Promise<Response>(() => undefined)) as unknown as typeof fetch;
    const p = fetchArtifact(URL1, { ...base, fetch: never, expectedBytes: 10, signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toBeInstanceOf(CancelledError);
  });

  it("passes cache: reload through", async () => {
    const fetch = fakeFetch({ [URL1]: [bytesOf(10)] });
    await fetchArtifact(URL1, { ...base, fetch, expectedBytes: 10, cache: "reload" });
    expect(fetch.calls[0]!.init?.cache).toBe("reload");
  });
});

describe("redactUrl", () => {
  it("drops credentials, query and fragment", () => {
    expect(redactUrl("https://a:b@h.test/x/y.wasm?sig=1#f")).toBe("https://h.test/x/y.wasm");
    expect(redactUrl("build/x.wasm?t=1")).toBe("build/x.wasm");
  });
});
