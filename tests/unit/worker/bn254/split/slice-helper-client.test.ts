// The lead's handle on one helper (slice-helper-client.ts) over a fake endpoint: answers matched
// by call number, typed failures rebuilt, every pending request rejected at once when the helper
// dies, and nothing sent after that.
import { describe, expect, it } from "vitest";
import { SliceHelperClient, SliceHelperDied, type SpawnedHelper } from "../../../../../src/lib/proof/worker/bn254/split/slice-helper-client.js";
import type { ToSliceHelper } from "../../../../../src/lib/proof/worker/bn254/split/slice-helper-protocol.js";
import { ProofError } from "../../../../../src/lib/proof/core/errors.js";

function fakeHelper() {
  const sent: ToSliceHelper[] = [];
  let deliver: (data: unknown) => void = () => undefined;
  let die: (cause?: unknown) => void = () => undefined;
  let terminated = false;
  const helper: SpawnedHelper = {
    postMessage: (m) => void sent.push(m as ToSliceHelper),
    onMessage: (l) => void (deliver = l),
    onDeath: (l) => void (die = l),
    terminate: () => void (terminated = true),
  };
  return { helper, sent, deliver: (d: unknown) => deliver(d), die: (c?: unknown) => die(c), terminated: () => terminated };
}

const point = (b: number, n = 64) => new Uint8Array(n).fill(b);

describe("SliceHelperClient", () => {
  it("is ready when the helper says so; answers go to the request with their call number", async () => {
    const f = fakeHelper();
    const client = new SliceHelperClient(f.helper);
    f.deliver({ kind: "ready" });
    await client.ready;
    const w = client.witness(7, new Uint8Array(32), new Uint8Array(0));
    const h = client.h(7, new Uint8Array(32));
    expect(f.sent.map((m) => [m.kind, m.call, m.key])).toEqual([["witness", 1, 7], ["h", 2, 7]]);
    // Out of order on purpose.
    f.deliver({ kind: "h-part", call: 2, point: point(2) });
    f.deliver({ kind: "witness-part", call: 1, part: { a: point(1), b1: point(1), b2: point(1, 128), c: point(1) } });
    expect((await w).a).toEqual(point(1));
    expect(await h).toEqual(point(2));
    // A slice the lead cut anew: the helper is told to drop the old one, and says when it has.
    let dropped = false;
    const drop = client.drop(7).then(() => void (dropped = true));
    expect(f.sent.at(-1)).toEqual({ kind: "drop", call: 3, key: 7 });
    await Promise.resolve();
    expect(dropped).toBe(false);
    f.deliver({ kind: "dropped", call: 3 });
    await drop;
    expect(dropped).toBe(true);
  });

  it("a typed failure from the helper rejects that request with the same code", async () => {
    const f = fakeHelper();
    const client = new SliceHelperClient(f.helper);
    const w = client.witness(1, new Uint8Array(0), new Uint8Array(0));
    f.deliver({ kind: "failed", call: 1, error: { code: "RESOURCE_EXHAUSTED", message: "bn254: memory", details: {} } });
    const error = await w.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProofError);
    expect((error as ProofError).code).toBe("RESOURCE_EXHAUSTED");
  });

  it("a death rejects every pending request, and later ones, with SliceHelperDied", async () => {
    const f = fakeHelper();
    const client = new SliceHelperClient(f.helper);
    const pending = [client.load(1, {} as WebAssembly.Module, { a: point(0), b1: point(0), b2: point(0, 128), c: point(0), h: point(0) }), client.h(1, new Uint8Array(0))];
    const cause = new Error("helper OOM");
    f.die(cause);
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(SliceHelperDied);
    await expect(client.ready).rejects.toBeInstanceOf(SliceHelperDied);
    expect((await client.died).cause).toBe(cause);
    const sentBefore = f.sent.length;
    await expect(client.witness(1, new Uint8Array(0), new Uint8Array(0))).rejects.toBeInstanceOf(SliceHelperDied);
    expect(f.sent.length).toBe(sentBefore);
    client.terminate();
    expect(f.terminated()).toBe(true);
  });
});
