/*
 * G1 entry points that exist only so the differential tests can reach the point formulas and
 * the batched affine adder one by one, through the same inlined code the MSM runs. Points cross
 * the boundary in the zkey/ffjavascript form (64 bytes), compared with ffjavascript byte for byte.
 */
#include "batch_add.h"

/*
 * XYZZ from affine with a chosen Z (X = x*z^2, Y = y*z^3, ZZ = z^2, ZZZ = z^3), so the tests
 * reach the projective formulas with Z != 1 as they occur inside the bucket sums.
 */
static void load_xyzz(g1_xyzz *r, const u32 *p64, const u32 *z32) {
  g1_aff a;
  g1_aff_from_ff(&a, p64);
  if (g1_aff_is_inf(&a)) return g1_xyzz_set_inf(r);
  u32 z[NL];
  fp_from_ff(z, z32);
  fp_sqr(r->zz, z), fp_mul(r->zzz, r->zz, z);
  fp_mul(r->x, a.x, r->zz), fp_mul(r->y, a.y, r->zzz);
}

static void store_xyzz(u32 *out64, const g1_xyzz *p) {
  g1_aff a;
  g1_xyzz_to_aff(&a, p);
  g1_aff_to_ff(out64, &a);
}

/* op 0: p + q (both XYZZ), 1: p + q (q affine), 2: 2p. Points 64 bytes, z 32 bytes (zkey form). */
TEST_EXPORT(g1_op)
void g1_op(u32 op, u32 *out, const u32 *p, const u32 *zp, const u32 *q, const u32 *zq) {
  g1_xyzz a, b, r;
  load_xyzz(&a, p, zp);
  if (op == 0) {
    load_xyzz(&b, q, zq);
    g1_xyzz_add(&r, &a, &b);
  } else if (op == 1) {
    g1_aff qa;
    g1_aff_from_ff(&qa, q);
    g1_xyzz_madd(&r, &a, &qa);
  } else {
    g1_xyzz_dbl(&r, &a);
  }
  store_xyzz(out, &r);
}

/*
 * out[k] = a[k] + b[k] for count pairs through the batched affine adder, laid out as in an
 * MSM round (pair k at slots 2k, 2k+1, result in slot k). ab holds a0, b0, a1, b1, ... (64
 * bytes each); work must hold 152 * count + BATCH_WS_BYTES (73 * BATCH_CHUNK) bytes.
 */
TEST_EXPORT(g1_batch_add)
void g1_batch_add(u32 *out, const u32 *ab, u32 count, u8 *work) {
  g1_aff *buf = (g1_aff *)work;
  u32 *idx = (u32 *)(buf + 2 * count);
  g1_batch_ws ws;
  g1_batch_ws_init(&ws, (u8 *)(idx + 2 * count));
  for (u32 k = 0; k < 2 * count; k++) g1_aff_from_ff(&buf[k], ab + 16 * k);
  for (u32 k = 0; k < count; k++) idx[k] = 2 * k, idx[count + k] = k;
  g1_batch_pair_add(buf, idx, idx + count, count, &ws);
  for (u32 k = 0; k < count; k++) g1_aff_to_ff(out + 16 * k, &buf[k]);
}
