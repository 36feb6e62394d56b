// What the fixed-base combs (fixed-base-g1.mjs, fixed-base-g2.mjs) share: the test build of
// bn254.wasm, whose single-operation exports (g1_batch_add, fp2_op, ...) the shipped module
// leaves out (native/bn254/base.h), with an allocator that throws instead of returning 0, and
// the comb's shape for a window size.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const WASM = fileURLToPath(new URL("../../native/bn254-test.wasm", import.meta.url));

/** A fresh instance, its arena reset, and `alloc(bytes)` that throws RangeError when memory cannot grow. */
export async function combWasm() {
  const { instance } = await WebAssembly.instantiate(readFileSync(WASM), {});
  const e = instance.exports;
  e.bn_reset();
  const alloc = (bytes) => {
    const p = e.bn_alloc(bytes) >>> 0;
    if (p === 0) throw new RangeError(`bn254.wasm: cannot grow memory by ${bytes} bytes`);
    return p;
  };
  return { e, alloc };
}

/** A comb of `c`-bit digits: W windows over a 256-bit scalar, D table entries a window. */
export function combShape(c) {
  return { c, W: 256 / c, D: 2 ** c };
}
