/* Freestanding basics shared by every BN254 source: no libc, wasm32 target. */
#ifndef BN254_BASE_H
#define BN254_BASE_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef int int32_t;
typedef unsigned char u8;
typedef unsigned long usize;

/* For helpers that some translation units include without calling (G2 has no GLV split). */
#define MAYBE_UNUSED __attribute__((unused))

#define EXPORT(name) __attribute__((export_name(#name), visibility("default")))

#endif
