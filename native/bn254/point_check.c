/*
 * Bulk checks of zkey points before a prover keeps them: every coordinate canonical (the
 * 32-byte Montgomery word below p, as ffjavascript writes it) and every point on its curve.
 * A point off the curve, or an encoding that is not reduced, is not a group element: the MSM's
 * formulas would still run on it and return a point that is not what the circuit's setup
 * committed to. G1 has cofactor 1, so on the curve means in the group; G2's subgroup is
 * checked by the host (a random combination of the bases, then one subgroup test).
 * The all-zero encoding is the point at infinity, which per-signal bases may be.
 */
#include "fp2.h"
#include "small_field.h"

static const u32 fp_mod_words[8] = FP_MOD32_INIT;

/* A 32-byte little-endian word string below p: compared from the most significant word. */
static int below_p(const u32 *w) {
  for (int k = 7; k >= 0; k--)
    if (w[k] != fp_mod_words[k]) return w[k] < fp_mod_words[k];
  return 0;
}

static int all_zero(const u32 *w, u32 words) {
  u32 o = 0;
  for (u32 k = 0; k < words; k++) o |= w[k];
  return o == 0;
}

static void fp_small(u32 *z, u32 v) { sf_small(z, v); }

/* Index of the first of `count` G1 points (64 bytes each) with a coordinate >= p or off
 * y^2 = x^3 + 3; count when all are valid. */
EXPORT(bn_g1_check)
u32 bn_g1_check(const u32 *points, u32 count) {
  u32 b[NL], x[NL], y[NL], l[NL], r[NL];
  fp_small(b, 3);
  for (u32 i = 0; i < count; i++) {
    const u32 *p = points + 16 * (usize)i;
    if (all_zero(p, 16)) continue;
    if (!below_p(p) || !below_p(p + 8)) return i;
    sf_from_ff(x, p), sf_from_ff(y, p + 8);
    sf_mul(l, y, y);
    sf_mul(r, x, x), sf_mul(r, r, x), fp_add(r, r, b);
    fp_sub(l, l, r);
    if (!fp_is_zero(l)) return i;
  }
  return count;
}

/* The same for G2 points (128 bytes each) on the twist y^2 = x^3 + 3/(9 + u). */
EXPORT(bn_g2_check)
u32 bn_g2_check(const u32 *points, u32 count) {
  fp2_el b, t, x, y, l, r;
  fp_small(t, 9), fp_small(t + NL, 1);
  sf2_inv(b, t);
  fp_small(t, 3), fp_set_zero(t + NL);
  sf2_mul(b, b, t);
  for (u32 i = 0; i < count; i++) {
    const u32 *p = points + 32 * (usize)i;
    if (all_zero(p, 32)) continue;
    if (!below_p(p) || !below_p(p + 8) || !below_p(p + 16) || !below_p(p + 24)) return i;
    sf_from_ff(x, p), sf_from_ff(x + NL, p + 8), sf_from_ff(y, p + 16), sf_from_ff(y + NL, p + 24);
    sf2_mul(l, y, y);
    sf2_mul(r, x, x), sf2_mul(r, r, x), fp2_add(r, r, b);
    fp2_sub(l, l, r);
    if (!fp2_is_zero(l)) return i;
  }
  return count;
}
