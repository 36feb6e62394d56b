/*
 * A bump arena over the wasm linear memory, growing it on demand. Nothing is freed one by one:
 * the host resets the arena before each call and functions restore the mark they started from,
 * so a computation's scratch space is reused by the next one and the module needs no malloc.
 */
#ifndef BN254_ARENA_H
#define BN254_ARENA_H
#include "base.h"

extern u8 __heap_base;

usize arena_mark(void);
void arena_release(usize mark);
/* 64-byte aligned so that hot arrays start on cache lines; returns 0 when memory is exhausted. */
void *arena_alloc(usize bytes);
/* count elements of size bytes, the product taken in 64 bits: 0 when it reaches 4 GiB (what
 * wasm32 can address) or memory is exhausted, never a wrapped size. */
void *arena_alloc_array(u64 count, u64 size);

#endif
