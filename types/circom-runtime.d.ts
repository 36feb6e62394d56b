// circom_runtime ships no types: the one export the worker uses.
declare module "circom_runtime" {
  export function WitnessCalculatorBuilder(code: Uint8Array | WebAssembly.Instance, options?: Record<string, unknown>): Promise<unknown>;
}
