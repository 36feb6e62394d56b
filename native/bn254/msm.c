/* G1 multi-scalar multiplication (msm_template.h with GLV), the g1_msm export. */
#include "arena.h"
#include "batch_add.h"
#include "scalar_digits.h"

#define C(name) g1_##name
#define E(name) fp_##name
#define ELEM fp_el
#define EW 8
/* phi(x, y) = (beta x, y) = lambda (x, y) on G1 */
static const u32 glv_beta[NL] = GLV_BETA_INIT;
#define MSM_GLV(x) fp_mul(x, x, glv_beta)
/* 2^20 points per pass: 72 MiB of sorted points, 18-26 MiB of digits. */
#define MSM_PASS_POINTS (1u << 20)
#include "msm_template.h"

/*
 * out (64 bytes) = sum of scalars[i] * points[i] as an affine point in zkey form (x, y: 32-byte
 * LE Montgomery with R = 2^256; infinity is (0, 0)). points: n * 64 bytes in that same form;
 * scalars: n * 32 bytes, LE, standard form. window 0 picks the window size; options bit 0
 * turns GLV off (kept to measure it), bits 8-12, when not 0, are the log2 of a smaller pass
 * (tests reach the multi-pass path with few points). Returns 0, or 1 when memory could not grow.
 */
EXPORT(g1_msm)
int g1_msm(u32 *out, const u32 *points, const u32 *scalars, u32 n, u32 window, u32 options) {
  return g1_msm_run(out, points, scalars, n, window, !(options & 1), (options >> 8) & 31);
}

/* Decodes count zkey-form points into slots first.. of a kept array (72 bytes a point), for
 * g1_msm_decoded. */
EXPORT(g1_decode)
void g1_decode(g1_aff *pts, u32 first, const u32 *points, u32 count) {
  g1_decode_points(pts, first, points, count);
}

/* g1_msm on bases decoded by g1_decode (n of them; the same options). */
EXPORT(g1_msm_decoded)
int g1_msm_decoded(u32 *out, const g1_aff *pts, const u32 *scalars, u32 n, u32 window, u32 options) {
  return g1_msm_run_decoded(out, pts, scalars, n, window, !(options & 1), (options >> 8) & 31);
}
