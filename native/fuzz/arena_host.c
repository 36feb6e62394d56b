/*
 * The arena of arena.h for a native (host) build under the sanitizers: every allocation is its
 * own malloc'd block, so AddressSanitizer sees the exact bounds of each array the code uses
 * (in wasm they sit back to back in one linear memory, where an overrun would go unnoticed).
 * A mark is the number of live blocks; releasing frees the blocks allocated after it.
 */
#include <stdlib.h>
#include <string.h>
#include "../bn254/arena.h"

#define MAX_BLOCKS 4096
static void *blocks[MAX_BLOCKS];
static usize sizes[MAX_BLOCKS];
static usize live, floor_mark;

usize arena_mark(void) { return live; }

void arena_release(usize mark) {
  while (live > mark) {
    live--;
    memset(blocks[live], 0, sizes[live]);
    free(blocks[live]);
  }
}

void *arena_alloc(usize bytes) {
  if (live == MAX_BLOCKS) return 0;
  void *p = aligned_alloc(64, (bytes + 63) & ~(usize)63);
  if (!p) return 0;
  blocks[live] = p, sizes[live] = bytes;
  live++;
  return p;
}

/* As the wasm arena's: a count times a size of 4 GiB or more is refused, as wasm32 would. */
void *arena_alloc_array(u64 count, u64 size) {
  if (size && count > (0xffffffffull - 64) / size) return 0;
  return arena_alloc((usize)(count * size));
}

void *bn_alloc(usize bytes) { return arena_alloc(bytes); }
void bn_reset(void) { arena_release(floor_mark); }
void bn_keep(void) { floor_mark = live; }
void bn_wipe(void) { bn_reset(); }
