// The helper set (slice-helper-set.ts) with fake helpers and an injected timer: helpers reused
// for the same count and replaced for another, a late or dying start turning helpers off for
// good, a helper's death dropping the set so the next proof starts afresh.
import { describe, expect, it } from "vitest";
import type { SpawnedHelper } from "../../../../../src/lib/proof/worker/bn254/split/slice-helper-client.js";
import { SliceHelperSet, SliceHelpersUnavailable } from "../../../../../src/lib/proof/worker/bn254/split/slice-helper-set.js";

interface Fake {
  readonly helper: SpawnedHelper;
  ready(): void;
  die(): void;
  terminated: boolean;
}

function spawner(autoReady: boolean) {
  const spawned: Fake[] = [];
  const spawn = (): SpawnedHelper => {
    let deliver: (d: unknown) => void = () => undefined;
    let die: () => void = () => undefined;
    const fake: Fake = {
      helper: { postMessage: () => undefined, onMessage: (l) => void (deliver = l), onDeath: (l) => void (die = () => l()), terminate: () => void (fake.terminated = true) },
      ready: () => deliver({ kind: "ready" }),
      die: () => die(),
      terminated: false,
    };
    spawned.push(fake);
    if (autoReady) queueMicrotask(() => fake.ready());
    return fake.helper;
  };
  return { spawn, spawned };
}

const module = async () => ({}) as WebAssembly.Module;

function manualTimer() {
  const due: Array<() => void> = [];
  return { setTimeout: (fn: () => void) => void due.push(fn), fire: () => due.splice(0).forEach((fn) => fn()) };
}

describe("SliceHelperSet", () => {
  it("reuses the helpers for the same count and replaces them (stopping the old ones) for another", async () => {
    const s = spawner(true);
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: manualTimer().setTimeout });
    const two = await set.get(2);
    expect(two.threads).toBe(3);
    expect(await set.get(2)).toBe(two);
    expect(s.spawned).toHaveLength(2);
    const one = await set.get(1);
    expect(one.threads).toBe(2);
    expect(s.spawned.slice(0, 2).every((f) => f.terminated)).toBe(true);
    set.dispose();
    expect(s.spawned[2]!.terminated).toBe(true);
  });

  it("helpers that are not ready in time turn helpers off for good and are stopped", async () => {
    const s = spawner(false);
    const timer = manualTimer();
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: timer.setTimeout, startTimeoutMs: 5 });
    const late = set.get(1);
    timer.fire();
    await expect(late).rejects.toBeInstanceOf(SliceHelpersUnavailable);
    expect(set.unavailable).toBe(true);
    expect(s.spawned[0]!.terminated).toBe(true);
    await expect(set.get(1)).rejects.toBeInstanceOf(SliceHelpersUnavailable);
    expect(s.spawned).toHaveLength(1);
  });

  it("helpers that start slowly but steadily (a busy machine) get another period per helper ready; the set is then used", async () => {
    const s = spawner(false);
    const timer = manualTimer();
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: timer.setTimeout, startTimeoutMs: 5 });
    const slow = set.get(3);
    await new Promise((resolve) => setTimeout(resolve, 0));
    s.spawned[0]!.ready();
    await new Promise((resolve) => setTimeout(resolve, 0));
    timer.fire(); // one more ready since the start: another period
    s.spawned[1]!.ready();
    await new Promise((resolve) => setTimeout(resolve, 0));
    timer.fire();
    s.spawned[2]!.ready();
    expect((await slow).threads).toBe(4);
    expect(set.unavailable).toBe(false);
  });

  it("a set that stops making progress is late even after some helpers started", async () => {
    const s = spawner(false);
    const timer = manualTimer();
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: timer.setTimeout, startTimeoutMs: 5 });
    const stuck = set.get(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    s.spawned[0]!.ready();
    await new Promise((resolve) => setTimeout(resolve, 0));
    timer.fire();
    timer.fire();
    await expect(stuck).rejects.toBeInstanceOf(SliceHelpersUnavailable);
    expect(set.unavailable).toBe(true);
  });

  it("a helper that dies while starting counts as unavailable", async () => {
    const s = spawner(false);
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: manualTimer().setTimeout });
    const starting = set.get(1);
    s.spawned[0]!.die();
    await expect(starting).rejects.toThrow();
    expect(set.unavailable).toBe(true);
  });

  it("a helper that dies after starting drops the set: the next proof gets new helpers", async () => {
    const s = spawner(true);
    const set = new SliceHelperSet({ spawn: s.spawn, module, setTimeout: manualTimer().setTimeout });
    const first = await set.get(1);
    s.spawned[0]!.die();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = await set.get(1);
    expect(second).not.toBe(first);
    expect(s.spawned).toHaveLength(2);
    expect(set.unavailable).toBe(false);
  });
});
