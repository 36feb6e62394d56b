/*
 * Fp2 = Fp[u]/(u^2 + 1), the field of G2's coordinates: an element is c0 + c1*u stored as two
 * Fp elements back to back (18 limbs), so it is an array of u32 like Fp and the curve templates
 * take either. Same range contract as Fp: inputs and outputs weak (< 2p per component).
 * Byte form (zkey, ffjavascript): c0 then c1, 32 bytes each, Montgomery with R = 2^256.
 */
#ifndef BN254_FP2_H
#define BN254_FP2_H
#include "fp.h"

typedef u32 fp2_el[2 * NL];
static const u32 fp2_one[2 * NL] = FP2_ONE_INIT;

static inline void fp2_add(u32 *z, const u32 *a, const u32 *b) { fp_add(z, a, b), fp_add(z + NL, a + NL, b + NL); }
static inline void fp2_sub(u32 *z, const u32 *a, const u32 *b) { fp_sub(z, a, b), fp_sub(z + NL, a + NL, b + NL); }
static inline void fp2_neg(u32 *z, const u32 *a) { fp_neg(z, a), fp_neg(z + NL, a + NL); }
/* Reduced, unlike fp_add_lazy: fp2_mul adds the components of its inputs again, and two lazy
 * sums of lazy sums would exceed what fp_mul accepts. */
static inline void fp2_add_lazy(u32 *z, const u32 *a, const u32 *b) { fp2_add(z, a, b); }
static inline void fp2_copy(u32 *z, const u32 *a) { fp_copy(z, a), fp_copy(z + NL, a + NL); }
static inline void fp2_set_zero(u32 *z) { fp_set_zero(z), fp_set_zero(z + NL); }
static inline void fp2_set_one(u32 *z) { fp2_copy(z, fp2_one); }
static inline int fp2_is_zero(const u32 *a) { return fp_is_zero(a) & fp_is_zero(a + NL); }

/* Karatsuba: 3 Fp multiplies. (a0 + a1 u)(b0 + b1 u) = a0b0 - a1b1 + ((a0 + a1)(b0 + b1) - a0b0 - a1b1) u.
 * z may alias a or b: every read happens before the first write. */
static inline void fp2_mul(u32 *z, const u32 *a, const u32 *b) {
  u32 t0[NL], t1[NL], sa[NL], sb[NL];
  fp_mul(t0, a, b);
  fp_mul(t1, a + NL, b + NL);
  fp_add_lazy(sa, a, a + NL); /* < 4p: a valid fp_mul input */
  fp_add_lazy(sb, b, b + NL);
  fp_mul(sa, sa, sb);
  fp_sub(z, t0, t1);
  fp_sub(sa, sa, t0);
  fp_sub(z + NL, sa, t1);
}

/* (a0 + a1 u)^2 = (a0 + a1)(a0 - a1) + 2 a0 a1 u: 2 Fp multiplies. */
static inline void fp2_sqr(u32 *z, const u32 *a) {
  u32 s[NL], d[NL], m[NL];
  fp_add_lazy(s, a, a + NL);
  fp_sub(d, a, a + NL);
  fp_mul(m, a, a + NL);
  fp_mul(z, s, d);
  fp_add(z + NL, m, m);
}

/* 1/(a0 + a1 u) = (a0 - a1 u)/(a0^2 + a1^2): one Fp inversion of the norm; 0 maps to 0. */
MAYBE_UNUSED static void fp2_inv(u32 *z, const u32 *a) {
  u32 t0[NL], t1[NL];
  fp_sqr(t0, a);
  fp_sqr(t1, a + NL);
  fp_add(t0, t0, t1);
  fp_inv(t0, t0);
  fp_mul(t1, a + NL, t0);
  fp_mul(z, a, t0);
  fp_neg(z + NL, t1);
}

static inline void fp2_canon(u32 *z, const u32 *a) { fp_canon(z, a), fp_canon(z + NL, a + NL); }
static inline void fp2_from_ff(u32 *z, const u32 *w) { fp_from_ff(z, w), fp_from_ff(z + NL, w + 8); }
static inline void fp2_to_ff(u32 *w, const u32 *z) { fp_to_ff(w, z), fp_to_ff(w + 8, z + NL); }

#endif
