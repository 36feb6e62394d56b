/*
 * G2 multi-scalar multiplication (msm_template.h over Fp2), the g2_msm export, and the Fp2 and
 * G2 entry points the differential tests use. The 2-way GLV split of G1 works on G2 too (the
 * twist also has a = 0, so x -> beta2*x with a cube root of unity in Fp is an endomorphism):
 * measured on ebsl-64's B2, 220 -> 208 ms CPU (ebsl-16: 79 -> 72). The 4-way GLS split through psi
 * is not done.
 */
#include "arena.h"
#include "g2.h"
#include "scalar_digits.h"

#define C(name) g2_##name
#define E(name) fp2_##name
#define ELEM fp2_el
#define EW 16
/* phi(x, y) = (beta2 x, y) = lambda (x, y) on G2, beta2 in Fp: two Fp multiplies */
static const u32 glv_beta_g2[NL] = GLV_BETA_G2_INIT;
static inline void g2_phi_x(u32 *x) { fp_mul(x, x, glv_beta_g2), fp_mul(x + NL, x + NL, glv_beta_g2); }
#define MSM_GLV(x) g2_phi_x(x)
/* 2^19 points per pass: 72 MiB of sorted points (144 bytes each). */
#define MSM_PASS_POINTS (1u << 19)
#include "msm_template.h"

/*
 * out (128 bytes) = sum of scalars[i] * points[i], affine in zkey form; points: n * 128 bytes
 * in that form; scalars: n * 32 bytes, LE, standard form (values >= r reduced). window 0 picks
 * the window size; options as g1_msm's. Returns 0, or 1 when memory could not grow.
 */
EXPORT(g2_msm)
int g2_msm(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, u32 options) {
  return g2_msm_run(out, points, scalars, n, window, !(options & 1), (options >> 8) & 31);
}

/* As g1_decode and g1_msm_decoded, for G2 (144 bytes a kept point). */
EXPORT(g2_decode)
void g2_decode(g2_aff *pts, u32 first, const u32 *points, u32 count) {
  g2_decode_points(pts, first, points, count);
}

EXPORT(g2_msm_decoded)
int g2_msm_decoded(u32 *out, const g2_aff *pts, const u32 *scalars, u32 n, u32 window, u32 options) {
  return g2_msm_run_decoded(out, pts, scalars, n, window, !(options & 1), (options >> 8) & 31);
}

/* Fp2 one operation at a time on internal elements (72 bytes), as fp_op/fr_op. */
TEST_EXPORT(fp2_op) void fp2_op_export(u32 op, u32 *z, const u32 *a, const u32 *b) {
  switch (op) {
    case 0: fp2_add(z, a, b); break;
    case 1: fp2_sub(z, a, b); break;
    case 2: fp2_mul(z, a, b); break;
    case 3: fp2_sqr(z, a); break;
    case 4: fp2_neg(z, a); break;
    case 5: fp2_inv(z, a); break;
    default: fp2_canon(z, a); break;
  }
}
TEST_EXPORT(fp2_from_ff) void fp2_from_ff_export(u32 *z, const u32 *w) { fp2_from_ff(z, w); }
TEST_EXPORT(fp2_to_ff) void fp2_to_ff_export(u32 *w, const u32 *z) { fp2_to_ff(w, z); }
