// Where the C stack of a bn254.wasm build lies in its memory, read from the module's bytes: the
// shipped build exports no way to ask (only the test build has bn_stack_bound), and the memory
// scan after a proof must cover the stack of the very module that ships.
//
// wasm-ld lays out data, then the stack (growing down from its top), then the heap; the stack
// pointer is the module's first global, initialised to the stack's top. Its size is the
// `-z stack-size` of scripts/native/build.mjs; the wipe test checks both against the test build's
// bn_stack_bound, so a change of either layout fails there rather than scanning the wrong bytes.

/** The `-z stack-size` scripts/native/build.mjs links with. */
export const STACK_BYTES = 262144;

function leb(bytes: Uint8Array, at: number, signed: boolean): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let byte: number;
  do {
    byte = bytes[at++]!;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  if (signed && byte & 0x40) value -= 2 ** shift;
  return { value, next: at };
}

/** [lowest address, one past the highest] of the C stack of the module `bytes`. */
export function stackBounds(bytes: Uint8Array): readonly [number, number] {
  const GLOBAL_SECTION = 6;
  const I32_CONST = 0x41;
  let at = 8; // magic and version
  while (at < bytes.byteLength) {
    const id = bytes[at]!;
    const size = leb(bytes, at + 1, false);
    if (id === GLOBAL_SECTION) {
      const count = leb(bytes, size.next, false);
      // First global: value type, mutability, then its initialiser `i32.const N; end`.
      const init = count.next + 2;
      if (count.value < 1 || bytes[init] !== I32_CONST) throw new Error("no i32 stack pointer as the first global");
      const high = leb(bytes, init + 1, true).value >>> 0;
      return [high - STACK_BYTES, high];
    }
    at = size.next + size.value;
  }
  throw new Error("the module has no global section");
}
