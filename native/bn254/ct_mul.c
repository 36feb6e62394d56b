/*
 * The blinding terms of a proof: out = acc + [k]P in constant time (ct_template.h), for G1 and
 * G2, points in the zkey byte form, k 32 bytes little-endian in standard form.
 */
#include "fp2.h"
#include "small_field.h"

typedef u32 ct_fp_el[NL];
typedef u32 ct_fp2_el[2 * NL];

static void fp_small_ct(u32 *z, u32 v) { sf_small(z, v); }

/* The field operations the template needs, out of line (small_field.h): a few thousand per
 * proof, where inlined copies would only add size. */
#define CT_FIELD(e, f, sf)                                                                     \
  static inline void e##_mul(u32 *z, const u32 *a, const u32 *b) { sf##_mul(z, a, b); }       \
  static inline void e##_add(u32 *z, const u32 *a, const u32 *b) { sf##_add(z, a, b); }       \
  static inline void e##_sub(u32 *z, const u32 *a, const u32 *b) { sf##_sub(z, a, b); }       \
  static inline void e##_copy(u32 *z, const u32 *a) { f##_copy(z, a); }                       \
  static inline void e##_set_zero(u32 *z) { f##_set_zero(z); }                                \
  static inline void e##_set_one(u32 *z) { f##_set_one(z); }                                  \
  static inline void e##_inv(u32 *z, const u32 *a) { sf##_inv(z, a); }                        \
  static inline void e##_from_ff(u32 *z, const u32 *w) { sf##_from_ff(z, w); }                \
  static inline void e##_to_ff(u32 *w, const u32 *a) { sf##_to_ff(w, a); }
CT_FIELD(ctfp, fp, sf)
CT_FIELD(ctfp2, fp2, sf2)

#define C(name) g1ct_##name
#define E(name) ctfp_##name
#define ELEM ct_fp_el
#define EW 8
#include "ct_template.h"
#undef C
#undef E
#undef ELEM
#undef EW

#define C(name) g2ct_##name
#define E(name) ctfp2_##name
#define ELEM ct_fp2_el
#define EW 16
#include "ct_template.h"
#undef C
#undef E
#undef ELEM
#undef EW

/* out = acc + [k]p (G1, 64-byte points); acc may be out. 3b = 9 for y^2 = x^3 + 3. */
EXPORT(g1_mul_add_ct)
void g1_mul_add_ct(u32 *out, const u32 *acc, const u32 *p, const u32 *k) {
  ct_fp_el b3;
  fp_small_ct(b3, 9);
  g1ct_proj a, q, r;
  g1ct_proj_from_ff(&q, p);
  g1ct_mul_ct(&r, &q, k, b3);
  g1ct_proj_from_ff(&a, acc);
  g1ct_proj_add(&r, &r, &a, b3);
  g1ct_proj_to_ff(out, &r);
}

/* out = acc + [k]p (G2, 128-byte points); 3b' = 9/(9 + u) for the twist's b' = 3/(9 + u). */
EXPORT(g2_mul_add_ct)
void g2_mul_add_ct(u32 *out, const u32 *acc, const u32 *p, const u32 *k) {
  ct_fp2_el b3, t;
  fp_small_ct(t, 9), fp_small_ct(t + NL, 1);
  ctfp2_inv(b3, t);
  fp_small_ct(t, 9), fp_set_zero(t + NL);
  ctfp2_mul(b3, b3, t);
  g2ct_proj a, q, r;
  g2ct_proj_from_ff(&q, p);
  g2ct_mul_ct(&r, &q, k, b3);
  g2ct_proj_from_ff(&a, acc);
  g2ct_proj_add(&r, &r, &a, b3);
  g2ct_proj_to_ff(out, &r);
}
