import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { AbortScope, abortError, isAbortSignal, linkSignals, raceSignal } from "../../../src/lib/proof/core/abort.js";
import { CancelledError, DisposedError, TimeoutError } from "../../../src/lib/proof/core/errors.js";
import { rejection } from "../../support/rejection.js";

// Vitest runs from the repository root (the unit environment has no file: URLs).
const root = process.cwd();

describe("abortError", () => {
  it("keeps a typed reason and turns anything else into CANCELLED with the raw reason as cause", () => {
    const typed = new TimeoutError("budget");
    expect(abortError(AbortSignal.abort(typed))).toBe(typed);
    const raw = new Error("user left");
    const e = abortError(AbortSignal.abort(raw), { message: "stopped", details: { requestId: "r1" } });
    expect(e).toBeInstanceOf(CancelledError);
    expect(e.message).toBe("stopped");
    expect(e.cause).toBe(raw);
    expect(e.details).toEqual({ requestId: "r1" });
  });
});

describe("raceSignal", () => {
  it("rejects at once with the typed reason when the signal is already aborted, and observes the loser", async () => {
    let observed = false;
    const loser = Promise.reject(new Error("late failure"));
    const original = loser.catch.bind(loser);
    loser.catch = ((fn: (e: unknown) => unknown) => {
      observed = true;
      return original(fn);
    }) as typeof loser.catch;
    const e = await rejection(raceSignal(loser, AbortSignal.abort(new DisposedError())));
    expect(e.code).toBe("DISPOSED");
    expect(observed).toBe(true);
  });

  it("settles as the promise does and removes its listener", async () => {
    const c = new AbortController();
    let added = 0;
    let removed = 0;
    const add = c.signal.addEventListener.bind(c.signal);
    const remove = c.signal.removeEventListener.bind(c.signal);
    c.signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    c.signal.removeEventListener = ((...args: Parameters<typeof remove>) => (removed++, remove(...args))) as typeof remove;
    await expect(raceSignal(Promise.resolve(7), c.signal)).resolves.toBe(7);
    expect([added, removed]).toEqual([1, 1]);
  });

  it("rejects when the signal aborts first", async () => {
    const c = new AbortController();
    const pending = raceSignal(new Promise(() => undefined), c.signal);
    c.abort();
    expect((await rejection(pending)).code).toBe("CANCELLED");
  });
});

describe("linkSignals and AbortScope", () => {
  it("a linked signal aborts with the first source's reason", () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, undefined, b.signal]);
    const reason = new TimeoutError();
    b.abort(reason);
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe(reason);
  });

  it("aborts every live job of a scope, forgets released ones, and starts new ones aborted", () => {
    const scope = new AbortScope();
    const one = scope.link();
    const two = scope.link([new AbortController().signal]);
    two.release();
    expect(scope.size).toBe(1);
    const reason = new DisposedError();
    scope.abort(reason);
    expect(one.signal.reason).toBe(reason);
    expect(two.signal.aborted).toBe(false);
    expect(scope.link().signal.reason).toBe(reason);
  });

  it("a job can be aborted on its own", () => {
    const scope = new AbortScope();
    const job = scope.link();
    job.abort(new TimeoutError());
    expect(job.signal.reason).toBeInstanceOf(TimeoutError);
    expect(scope.aborted).toBe(false);
  });

  it("isAbortSignal accepts signals and rejects look-alikes", () => {
    expect(isAbortSignal(new AbortController().signal)).toBe(true);
    expect(isAbortSignal({ aborted: false })).toBe(false);
    expect(isAbortSignal("signal")).toBe(false);
  });
});

/**
 * Each case runs in a fresh Node process WITHOUT an unhandledRejection handler
 * (tests/support/abort-host.ts): one unobserved rejection ends it with exit code 1, a
 * MaxListenersExceededWarning with 3. Exit code 0 means the call settled with its typed error
 * and nothing else went wrong.
 */
describe("the host process survives aborts at the artifact load", () => {
  const run = (name: string) => spawnSync(process.execPath, ["--import", "tsx", "tests/support/abort-host.ts", name], { cwd: root, encoding: "utf8", timeout: 60_000 });
  it.each([
    ["prove-aborted", "prover.prove with an already aborted signal"],
    ["verify-aborted", "proofAPI.verify with an already aborted signal"],
    ["cancel-from-progress", "cancelProof from onProgress on the first artifacts event"],
    ["dispose-from-progress", "dispose from onProgress on the first artifacts event"],
    ["many-concurrent-proves", "12 concurrent prove calls add no listener to a shared signal"],
  ])("%s: %s", (name) => {
    const child = run(name);
    expect(child.status, child.stderr).toBe(0);
  });
});
