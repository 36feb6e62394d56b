/* The bump arena of arena.h. */
#include "arena.h"

static usize top;
static usize floor_mark; /* bn_reset returns here: what lies below is kept across calls */
static usize high;       /* the highest end handed out since the last wipe */

usize arena_mark(void) {
  if (top == 0) top = (usize)&__heap_base;
  return top;
}

void arena_release(usize mark) { top = mark; }

EXPORT(bn_alloc) void *arena_alloc(usize bytes) {
  usize start = (arena_mark() + 63) & ~(usize)63;
  usize end = start + bytes;
  if (end < start) return 0;
  usize have = __builtin_wasm_memory_size(0) << 16;
  if (end > have) {
    usize pages = (end - have + 0xffff) >> 16;
    if (__builtin_wasm_memory_grow(0, pages) == (usize)-1) return 0;
  }
  top = end;
  if (end > high) high = end;
  return (void *)start;
}

void *arena_alloc_array(u64 count, u64 size) {
  if (size && count > (0xffffffffull - 64) / size) return 0;
  u64 bytes = count * size;
  if (bytes != (usize)bytes) return 0;
  return arena_alloc((usize)bytes);
}

/* Frees everything above the kept region: the host calls it before laying out the inputs of a
 * new call. */
EXPORT(bn_reset) void bn_reset(void) { top = floor_mark ? floor_mark : (usize)&__heap_base; }

/* Keeps everything allocated so far across bn_reset (a prover's decoded zkey points); only
 * dropping the instance frees it. */
EXPORT(bn_keep) void bn_keep(void) { floor_mark = arena_mark(); }

/* The C stack's lowest address (wasm-ld defines it): the stack grows down towards it. */
extern u8 __stack_low;

/* Zeroes everything above the kept region that any call has used since the last wipe: a
 * prover's scratch holds the witness, its H values, the blinding scalars and their digits, and
 * none of it should outlive the proof in memory. Then frees it, as bn_reset.
 * Also zeroes the dead part of the C stack, everything below this function's own frame: the
 * MSM's scalar splits (GLV halves), the constant-time multiply's table and digits and the
 * field code's temporaries are locals that stay there after the calls return. The host calls
 * this with no other wasm frame live, so that is the whole stack but a few bytes. */
EXPORT(bn_wipe) void bn_wipe(void) {
  bn_reset();
  if (high > top) __builtin_memset((void *)top, 0, high - top);
  high = top;
  volatile u8 here = 0; /* address-taken: it lives in this frame on the linear-memory stack */
  usize below = (usize)&here;
  if (below > (usize)&__stack_low) __builtin_memset(&__stack_low, 0, below - (usize)&__stack_low);
}

extern u8 __stack_high;

/* The C stack's bounds [low, high) (which 0: low, 1: high), for the test that checks bn_wipe
 * leaves nothing on it. */
TEST_EXPORT(bn_stack_bound) usize bn_stack_bound(u32 which) { return which ? (usize)&__stack_high : (usize)&__stack_low; }
