/*
 * The blinding terms of a proof: out = acc + [k]P in constant time (ct_template.h), for G1 and
 * G2, points in the zkey byte form, k 32 bytes little-endian in standard form.
 */
#include "fp2.h"

typedef u32 ct_fp_el[NL];
typedef u32 ct_fp2_el[2 * NL];

static void fp_small_ct(u32 *z, u32 v) {
  u32 w[8] = {v};
  fp_from_std(z, w);
}

#define C(name) g1ct_##name
#define E(name) fp_##name
#define ELEM ct_fp_el
#define EW 8
#include "ct_template.h"
#undef C
#undef E
#undef ELEM
#undef EW

#define C(name) g2ct_##name
#define E(name) fp2_##name
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
  fp2_inv(b3, t);
  fp_small_ct(t, 9), fp_set_zero(t + NL);
  fp2_mul(b3, b3, t);
  g2ct_proj a, q, r;
  g2ct_proj_from_ff(&q, p);
  g2ct_mul_ct(&r, &q, k, b3);
  g2ct_proj_from_ff(&a, acc);
  g2ct_proj_add(&r, &r, &a, b3);
  g2ct_proj_to_ff(out, &r);
}
