/*
 * G1 of BN254: y^2 = x^3 + 3 over Fp, prime order r (so no point has y = 0).
 *
 * Two representations:
 *  - affine {x, y}, 72 bytes, coordinates weak (< 2p). The point at infinity is tagged by
 *    x[0] = G1_INF_TAG, a value no normalised limb can take, so no separate flag array is needed;
 *  - XYZZ {X, Y, ZZ, ZZZ} with x = X/ZZ, y = Y/ZZZ (ZZ^3 = ZZZ^2), infinity when ZZ = 0. Chosen
 *    over Jacobian for the bucket sums: mixed add costs 8M+2S instead of 7M+4S and a full add
 *    12M+2S instead of 11M+5S, and the formulas need no special case for Z = 1.
 * Formulas: Bernstein-Lange Explicit-Formulas Database, "xyzz" coordinates for a = 0
 * (add-2008-s, madd-2008-s, dbl-2008-s-1, mdbl-2008-s-1).
 */
#ifndef BN254_G1_H
#define BN254_G1_H
#include "fp.h"

#define G1_INF_TAG 0xffffffffu

typedef struct { u32 x[NL], y[NL]; } g1_aff;
typedef struct { u32 x[NL], y[NL], zz[NL], zzz[NL]; } g1_xyzz;

static inline int g1_aff_is_inf(const g1_aff *p) { return p->x[0] == G1_INF_TAG; }
static inline void g1_aff_set_inf(g1_aff *p) { p->x[0] = G1_INF_TAG; }
static inline int g1_xyzz_is_inf(const g1_xyzz *p) { return fp_is_zero(p->zz); }

static inline void g1_xyzz_set_inf(g1_xyzz *p) {
  fp_set_one(p->x), fp_set_one(p->y), fp_set_zero(p->zz), fp_set_zero(p->zzz);
}

static inline void g1_xyzz_from_aff(g1_xyzz *r, const g1_aff *p) {
  if (g1_aff_is_inf(p)) return g1_xyzz_set_inf(r);
  fp_copy(r->x, p->x), fp_copy(r->y, p->y), fp_set_one(r->zz), fp_set_one(r->zzz);
}

/* Doubling of an affine point into XYZZ (mdbl-2008-s-1): 2M + 3S. */
static void g1_xyzz_dbl_aff(g1_xyzz *r, const g1_aff *p) {
  u32 u[NL], v[NL], w[NL], s[NL], m[NL], t[NL];
  fp_add(u, p->y, p->y);
  fp_sqr(v, u);
  fp_mul(w, u, v);
  fp_mul(s, p->x, v);
  fp_sqr(t, p->x);
  fp_add(m, t, t), fp_add(m, m, t);
  fp_sqr(r->x, m);
  fp_sub(r->x, r->x, s), fp_sub(r->x, r->x, s);
  fp_sub(t, s, r->x);
  fp_mul(t, m, t);
  fp_mul(s, w, p->y);
  fp_sub(r->y, t, s);
  fp_copy(r->zz, v), fp_copy(r->zzz, w);
}

/* r = 2p (dbl-2008-s-1): 6M + 3S. r may alias p. */
static void g1_xyzz_dbl(g1_xyzz *r, const g1_xyzz *p) {
  if (g1_xyzz_is_inf(p)) return g1_xyzz_set_inf(r);
  u32 u[NL], v[NL], w[NL], s[NL], m[NL], t[NL];
  fp_add(u, p->y, p->y);
  fp_sqr(v, u);
  fp_mul(w, u, v);
  fp_mul(s, p->x, v);
  fp_sqr(t, p->x);
  fp_add(m, t, t), fp_add(m, m, t);
  fp_mul(t, w, p->y); /* before r->y is written: r may alias p */
  fp_mul(r->zz, v, p->zz);
  fp_mul(r->zzz, w, p->zzz);
  fp_sqr(r->x, m);
  fp_sub(r->x, r->x, s), fp_sub(r->x, r->x, s);
  fp_sub(s, s, r->x);
  fp_mul(s, m, s);
  fp_sub(r->y, s, t);
}

/* r = p + q with q affine (madd-2008-s): 8M + 2S. r may alias p. */
static void g1_xyzz_madd(g1_xyzz *r, const g1_xyzz *p, const g1_aff *q) {
  if (g1_aff_is_inf(q)) {
    if (r != p) *r = *p;
    return;
  }
  if (g1_xyzz_is_inf(p)) return g1_xyzz_from_aff(r, q);
  u32 u2[NL], s2[NL], pp[NL], ppp[NL], rr[NL], qq[NL], t[NL];
  fp_mul(u2, q->x, p->zz);
  fp_mul(s2, q->y, p->zzz);
  fp_sub(u2, u2, p->x); /* P */
  fp_sub(s2, s2, p->y); /* R */
  if (fp_is_zero(u2)) {
    if (fp_is_zero(s2)) return g1_xyzz_dbl_aff(r, q);
    return g1_xyzz_set_inf(r);
  }
  fp_sqr(pp, u2);
  fp_mul(ppp, u2, pp);
  fp_mul(qq, p->x, pp);
  fp_mul(r->zz, p->zz, pp);
  fp_mul(r->zzz, p->zzz, ppp);
  fp_mul(t, p->y, ppp);
  fp_sqr(rr, s2);
  fp_sub(rr, rr, ppp);
  fp_sub(rr, rr, qq), fp_sub(r->x, rr, qq);
  fp_sub(qq, qq, r->x);
  fp_mul(qq, s2, qq);
  fp_sub(r->y, qq, t);
}

/* r = p + q (add-2008-s): 12M + 2S. r may alias p or q. */
static void g1_xyzz_add(g1_xyzz *r, const g1_xyzz *p, const g1_xyzz *q) {
  if (g1_xyzz_is_inf(q)) {
    if (r != p) *r = *p;
    return;
  }
  if (g1_xyzz_is_inf(p)) {
    if (r != q) *r = *q;
    return;
  }
  u32 u1[NL], u2[NL], s1[NL], s2[NL], pp[NL], ppp[NL], qq[NL], t[NL];
  fp_mul(u1, p->x, q->zz);
  fp_mul(u2, q->x, p->zz);
  fp_mul(s1, p->y, q->zzz);
  fp_mul(s2, q->y, p->zzz);
  fp_sub(u2, u2, u1); /* P */
  fp_sub(s2, s2, s1); /* R */
  if (fp_is_zero(u2)) {
    if (fp_is_zero(s2)) return g1_xyzz_dbl(r, p);
    return g1_xyzz_set_inf(r);
  }
  fp_sqr(pp, u2);
  fp_mul(ppp, u2, pp);
  fp_mul(qq, u1, pp);
  fp_mul(t, p->zz, q->zz), fp_mul(r->zz, t, pp);
  fp_mul(t, p->zzz, q->zzz), fp_mul(r->zzz, t, ppp);
  fp_mul(s1, s1, ppp);
  fp_sqr(t, s2);
  fp_sub(t, t, ppp);
  fp_sub(t, t, qq), fp_sub(r->x, t, qq);
  fp_sub(qq, qq, r->x);
  fp_mul(qq, s2, qq);
  fp_sub(r->y, qq, s1);
}

/* Affine result with one inversion: 1/ZZ = ZZZ/(ZZ*ZZZ) and 1/ZZZ = ZZ/(ZZ*ZZZ). */
static void g1_xyzz_to_aff(g1_aff *r, const g1_xyzz *p) {
  if (g1_xyzz_is_inf(p)) return g1_aff_set_inf(r);
  u32 t[NL], i[NL];
  fp_mul(t, p->zz, p->zzz);
  fp_inv(i, t);
  fp_mul(t, i, p->zzz), fp_mul(r->x, p->x, t);
  fp_mul(t, i, p->zz), fp_mul(r->y, p->y, t);
}

/* 64 bytes of zkey/ffjavascript affine (x, y as 32-byte LE Montgomery R = 2^256; (0, 0) is
 * infinity, as ffjavascript's zeroAffine) to internal affine. */
static inline void g1_aff_from_ff(g1_aff *r, const u32 *w) {
  u32 o = 0;
  for (int k = 0; k < 16; k++) o |= w[k];
  if (o == 0) return g1_aff_set_inf(r);
  fp_from_ff(r->x, w), fp_from_ff(r->y, w + 8);
}

static inline void g1_aff_to_ff(u32 *w, const g1_aff *p) {
  if (g1_aff_is_inf(p)) {
    for (int k = 0; k < 16; k++) w[k] = 0;
    return;
  }
  fp_to_ff(w, p->x), fp_to_ff(w + 8, p->y);
}

#endif
