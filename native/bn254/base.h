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

/* Entry points that only the test build (bn254-test.wasm, -DBN254_TEST_EXPORTS) exports: field
   and point operations one at a time, conversions, the FFT alone, the stack's bounds. The
   differential tests and the dev-setup scripts call them; the prover does not, so the shipped
   bn254.wasm leaves them out and the linker drops what nothing else calls. */
#ifdef BN254_TEST_EXPORTS
#define TEST_EXPORT(name) EXPORT(name)
#else
#define TEST_EXPORT(name)
#endif

#endif
