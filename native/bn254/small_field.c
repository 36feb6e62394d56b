/* The out-of-line field operations of small_field.h. */
#include "fp.h"
#include "small_field.h"

void sf_mul(u32 *z, const u32 *a, const u32 *b) { fp_mul(z, a, b); }

/* Fermat, a^(p-2), through sf_mul; the exponent is public, so its branch leaks nothing. */
void sf_inv(u32 *z, const u32 *a) {
  static const u32 e[8] = FP_EXP_INV_INIT;
  u32 acc[NL], base[NL];
  fp_copy(base, a), fp_set_one(acc);
  for (int w = 7; w >= 0; w--)
    for (int bit = 31; bit >= 0; bit--) {
      sf_mul(acc, acc, acc);
      if ((e[w] >> bit) & 1) sf_mul(acc, acc, base);
    }
  fp_copy(z, acc);
}

void sf_from_ff(u32 *z, const u32 *w) {
  static const u32 k[NL] = FP_FROM_FF_INIT;
  u32 t[NL];
  fp_from_words(t, w);
  sf_mul(z, t, k);
}

void sf_to_ff(u32 *w, const u32 *a) {
  static const u32 k[NL] = FP_TO_FF_INIT;
  u32 t[NL];
  sf_mul(t, a, k);
  fp_canon(t, t);
  fp_to_words(w, t);
}

void sf_small(u32 *z, u32 v) {
  static const u32 r2[NL] = FP_R2_INIT;
  u32 w[8] = {v}, t[NL];
  fp_from_words(t, w);
  sf_mul(z, t, r2);
}

/* (a0 + a1 u)(b0 + b1 u) with u^2 = -1, Karatsuba: three multiplies. */
void sf2_mul(u32 *z, const u32 *a, const u32 *b) {
  u32 t0[NL], t1[NL], s[NL], d[NL];
  sf_mul(t0, a, b), sf_mul(t1, a + NL, b + NL);
  fp_add(s, a, a + NL), fp_add(d, b, b + NL);
  sf_mul(s, s, d);
  fp_sub(z, t0, t1);
  fp_sub(s, s, t0), fp_sub(z + NL, s, t1);
}

/* 1/(a0 + a1 u) = (a0 - a1 u)/(a0^2 + a1^2); 0 maps to 0. */
void sf2_inv(u32 *z, const u32 *a) {
  u32 t0[NL], t1[NL];
  sf_mul(t0, a, a), sf_mul(t1, a + NL, a + NL);
  fp_add(t0, t0, t1);
  sf_inv(t0, t0);
  sf_mul(t1, a + NL, t0), sf_mul(z, a, t0);
  fp_neg(z + NL, t1);
}

void sf2_from_ff(u32 *z, const u32 *w) { sf_from_ff(z, w), sf_from_ff(z + NL, w + 8); }
void sf2_to_ff(u32 *w, const u32 *a) { sf_to_ff(w, a), sf_to_ff(w + 8, a + NL); }

void sf_add(u32 *z, const u32 *a, const u32 *b) { fp_add(z, a, b); }
void sf_sub(u32 *z, const u32 *a, const u32 *b) { fp_sub(z, a, b); }
void sf2_add(u32 *z, const u32 *a, const u32 *b) { sf_add(z, a, b), sf_add(z + NL, a + NL, b + NL); }
void sf2_sub(u32 *z, const u32 *a, const u32 *b) { sf_sub(z, a, b), sf_sub(z + NL, a + NL, b + NL); }
