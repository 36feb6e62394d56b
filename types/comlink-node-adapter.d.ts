// comlink ships this adapter's types as node-adapter.d.ts, which TypeScript does not pair with
// the .mjs file; re-declare it from comlink's own types.
declare module "comlink/dist/esm/node-adapter.mjs" {
  import type { Endpoint } from "comlink";
  export interface NodeEndpoint {
    postMessage(message: any, transfer?: any[]): void;
    on(type: string, listener: (...args: any[]) => void, options?: {}): void;
    off(type: string, listener: (...args: any[]) => void, options?: {}): void;
    start?: () => void;
  }
  export default function nodeEndpoint(nep: NodeEndpoint): Endpoint;
}
