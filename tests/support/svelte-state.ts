/**
 * A real Svelte 5 `$state` proxy outside a component: a one-line rune module compiled with
 * svelte/compiler (client build) into .tmp/ and imported. What a dapp holds when it keeps a
 * proof result in `$state`: structuredClone and postMessage refuse it (DataCloneError).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { compileModule } from "svelte/compiler";

let reactive: (<T>(value: T) => T) | undefined;

/** `value` as Svelte 5 hands it back from `$state` (a deep proxy of a plain copy). */
export async function svelteState<T>(value: T): Promise<T> {
  if (!reactive) {
    // The repository root is the test runner's working directory (import.meta.url is not a file
    // URL under happy-dom).
    const dir = join(process.cwd(), ".tmp/");
    mkdirSync(dir, { recursive: true });
    const { js } = compileModule("export function reactive(v) { const box = $state({ v }); return box.v; }", { generate: "client", filename: "reactive.svelte.js" });
    const file = `${dir}svelte-reactive-${process.pid}.mjs`;
    writeFileSync(file, js.code);
    reactive = ((await import(/* @vite-ignore */ pathToFileURL(file).href)) as { reactive: <T>(value: T) => T }).reactive;
  }
  return reactive(value);
}
