/*
 * Out-of-line Fp and Fp2 operations for code off the hot path (the zkey point checks and the
 * constant-time blinding multiply run a few thousand field operations per key or proof): one
 * copy of the multiply (and of the additions) for all of them, where the MSM's inlined copies would add tens of
 * kilobytes to the module. Same contracts as fp.h and fp2.h (weak inputs and outputs, < 2p),
 * and like them branch-free in the data.
 */
#ifndef BN254_SMALL_FIELD_H
#define BN254_SMALL_FIELD_H
#include "base.h"

#define SF_NL 9
void sf_mul(u32 *z, const u32 *a, const u32 *b);
void sf_add(u32 *z, const u32 *a, const u32 *b);
void sf_sub(u32 *z, const u32 *a, const u32 *b);
void sf2_add(u32 *z, const u32 *a, const u32 *b);
void sf2_sub(u32 *z, const u32 *a, const u32 *b);
void sf_inv(u32 *z, const u32 *a);
void sf_from_ff(u32 *z, const u32 *w);
void sf_to_ff(u32 *w, const u32 *a);
void sf_small(u32 *z, u32 v);
void sf2_mul(u32 *z, const u32 *a, const u32 *b);
void sf2_inv(u32 *z, const u32 *a);
void sf2_from_ff(u32 *z, const u32 *w);
void sf2_to_ff(u32 *w, const u32 *a);

#endif
