// The page of `npm run bench -- core --browser`: one module worker (core.worker.ts) holding one
// contender, fed the zkey and witness bytes the bench serves under /extra/ (repo-relative paths). Driven through
// `window.__core`.
let worker: Worker | undefined;

function call(message: unknown, transfer: Transferable[] = []): Promise<{ ms?: number; wasmMiB?: number }> {
  return new Promise((resolve, reject) => {
    worker!.onmessage = (e) => (e.data.ok ? resolve(e.data) : reject(new Error(e.data.error)));
    worker!.postMessage(message, transfer);
  });
}

const get = async (name: string) => new Uint8Array(await (await fetch(new URL(`/extra/${name}`, document.baseURI))).arrayBuffer());

(window as unknown as { __core: unknown }).__core = {
  ready: true,
  async setup(mode: string, zkeyName: string, wtnsName: string) {
    worker?.terminate();
    worker = new Worker(new URL("./core.worker.ts", import.meta.url), { type: "module" });
    const [zkey, wtns] = await Promise.all([get(zkeyName), get(wtnsName)]);
    await call({ setup: true, mode, zkey, wtns }, [zkey.buffer, wtns.buffer]);
  },
  run: () => call({}),
};
