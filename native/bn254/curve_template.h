/*
 * Short-Weierstrass points over a field with a = 0 (y^2 = x^3 + b), prime order r, instantiated
 * for G1 over Fp (g1.h) and G2 over Fp2 (g2.h) by defining C(name) (the curve prefix), E(name)
 * (the field prefix), ELEM (the element type, an array of u32) and EW (u32 words per element
 * in the zkey byte form) before including this file. b never enters the formulas below.
 *
 * Two representations:
 *  - affine {x, y}, coordinates weak (< 2p). The point at infinity is tagged by
 *    x[0] = CURVE_INF_TAG, a value no normalised limb can take, so no separate flag array is
 *    needed. No point of either group has y = 0 (both have prime order r, odd);
 *  - XYZZ {X, Y, ZZ, ZZZ} with x = X/ZZ, y = Y/ZZZ (ZZ^3 = ZZZ^2), infinity when ZZ = 0. Chosen
 *    over Jacobian for the bucket sums: mixed add costs 8M+2S instead of 7M+4S and a full add
 *    12M+2S instead of 11M+5S, and the formulas need no special case for Z = 1.
 * Formulas: Bernstein-Lange Explicit-Formulas Database, "xyzz" coordinates for a = 0
 * (add-2008-s, madd-2008-s, dbl-2008-s-1, mdbl-2008-s-1).
 */
#ifndef CURVE_INF_TAG
#define CURVE_INF_TAG 0xffffffffu
#endif
typedef struct { ELEM x, y; } C(aff);
typedef struct { ELEM x, y, zz, zzz; } C(xyzz);

static inline int C(aff_is_inf)(const C(aff) *p) { return p->x[0] == CURVE_INF_TAG; }
static inline void C(aff_set_inf)(C(aff) *p) { p->x[0] = CURVE_INF_TAG; }
static inline int C(xyzz_is_inf)(const C(xyzz) *p) { return E(is_zero)(p->zz); }

static inline void C(xyzz_set_inf)(C(xyzz) *p) {
  E(set_one)(p->x), E(set_one)(p->y), E(set_zero)(p->zz), E(set_zero)(p->zzz);
}

static inline void C(xyzz_from_aff)(C(xyzz) *r, const C(aff) *p) {
  if (C(aff_is_inf)(p)) return C(xyzz_set_inf)(r);
  E(copy)(r->x, p->x), E(copy)(r->y, p->y), E(set_one)(r->zz), E(set_one)(r->zzz);
}

/* Doubling of an affine point into XYZZ (mdbl-2008-s-1): 2M + 3S. */
static void C(xyzz_dbl_aff)(C(xyzz) *r, const C(aff) *p) {
  ELEM u, v, w, s, m, t;
  E(add)(u, p->y, p->y);
  E(sqr)(v, u);
  E(mul)(w, u, v);
  E(mul)(s, p->x, v);
  E(sqr)(t, p->x);
  E(add)(m, t, t), E(add)(m, m, t);
  E(sqr)(r->x, m);
  E(sub)(r->x, r->x, s), E(sub)(r->x, r->x, s);
  E(sub)(t, s, r->x);
  E(mul)(t, m, t);
  E(mul)(s, w, p->y);
  E(sub)(r->y, t, s);
  E(copy)(r->zz, v), E(copy)(r->zzz, w);
}

/* r = 2p (dbl-2008-s-1): 6M + 3S. r may alias p. */
static void C(xyzz_dbl)(C(xyzz) *r, const C(xyzz) *p) {
  if (C(xyzz_is_inf)(p)) return C(xyzz_set_inf)(r);
  ELEM u, v, w, s, m, t;
  E(add)(u, p->y, p->y);
  E(sqr)(v, u);
  E(mul)(w, u, v);
  E(mul)(s, p->x, v);
  E(sqr)(t, p->x);
  E(add)(m, t, t), E(add)(m, m, t);
  E(mul)(t, w, p->y); /* before r->y is written: r may alias p */
  E(mul)(r->zz, v, p->zz);
  E(mul)(r->zzz, w, p->zzz);
  E(sqr)(r->x, m);
  E(sub)(r->x, r->x, s), E(sub)(r->x, r->x, s);
  E(sub)(s, s, r->x);
  E(mul)(s, m, s);
  E(sub)(r->y, s, t);
}

/* r = p + q with q affine (madd-2008-s): 8M + 2S. r may alias p. */
static void C(xyzz_madd)(C(xyzz) *r, const C(xyzz) *p, const C(aff) *q) {
  if (C(aff_is_inf)(q)) {
    if (r != p) *r = *p;
    return;
  }
  if (C(xyzz_is_inf)(p)) return C(xyzz_from_aff)(r, q);
  ELEM u2, s2, pp, ppp, rr, qq, t;
  E(mul)(u2, q->x, p->zz);
  E(mul)(s2, q->y, p->zzz);
  E(sub)(u2, u2, p->x); /* P */
  E(sub)(s2, s2, p->y); /* R */
  if (E(is_zero)(u2)) {
    if (E(is_zero)(s2)) return C(xyzz_dbl_aff)(r, q);
    return C(xyzz_set_inf)(r);
  }
  E(sqr)(pp, u2);
  E(mul)(ppp, u2, pp);
  E(mul)(qq, p->x, pp);
  E(mul)(r->zz, p->zz, pp);
  E(mul)(r->zzz, p->zzz, ppp);
  E(mul)(t, p->y, ppp);
  E(sqr)(rr, s2);
  E(sub)(rr, rr, ppp);
  E(sub)(rr, rr, qq), E(sub)(r->x, rr, qq);
  E(sub)(qq, qq, r->x);
  E(mul)(qq, s2, qq);
  E(sub)(r->y, qq, t);
}

/* r = p + q (add-2008-s): 12M + 2S. r may alias p or q. */
static void C(xyzz_add)(C(xyzz) *r, const C(xyzz) *p, const C(xyzz) *q) {
  if (C(xyzz_is_inf)(q)) {
    if (r != p) *r = *p;
    return;
  }
  if (C(xyzz_is_inf)(p)) {
    if (r != q) *r = *q;
    return;
  }
  ELEM u1, u2, s1, s2, pp, ppp, qq, t;
  E(mul)(u1, p->x, q->zz);
  E(mul)(u2, q->x, p->zz);
  E(mul)(s1, p->y, q->zzz);
  E(mul)(s2, q->y, p->zzz);
  E(sub)(u2, u2, u1); /* P */
  E(sub)(s2, s2, s1); /* R */
  if (E(is_zero)(u2)) {
    if (E(is_zero)(s2)) return C(xyzz_dbl)(r, p);
    return C(xyzz_set_inf)(r);
  }
  E(sqr)(pp, u2);
  E(mul)(ppp, u2, pp);
  E(mul)(qq, u1, pp);
  E(mul)(t, p->zz, q->zz), E(mul)(r->zz, t, pp);
  E(mul)(t, p->zzz, q->zzz), E(mul)(r->zzz, t, ppp);
  E(mul)(s1, s1, ppp);
  E(sqr)(t, s2);
  E(sub)(t, t, ppp);
  E(sub)(t, t, qq), E(sub)(r->x, t, qq);
  E(sub)(qq, qq, r->x);
  E(mul)(qq, s2, qq);
  E(sub)(r->y, qq, s1);
}

/* Affine result with one inversion: 1/ZZ = ZZZ/(ZZ*ZZZ) and 1/ZZZ = ZZ/(ZZ*ZZZ). */
static void C(xyzz_to_aff)(C(aff) *r, const C(xyzz) *p) {
  if (C(xyzz_is_inf)(p)) return C(aff_set_inf)(r);
  ELEM t, i;
  E(mul)(t, p->zz, p->zzz);
  E(inv)(i, t);
  E(mul)(t, i, p->zzz), E(mul)(r->x, p->x, t);
  E(mul)(t, i, p->zz), E(mul)(r->y, p->y, t);
}

/* 64 bytes of zkey/ffjavascript affine (x, y as 32-byte LE Montgomery R = 2^256; (0, 0) is
 * infinity, as ffjavascript's zeroAffine) to internal affine. */
static inline void C(aff_from_ff)(C(aff) *r, const u32 *w) {
  u32 o = 0;
  for (int k = 0; k < 2 * EW; k++) o |= w[k];
  if (o == 0) return C(aff_set_inf)(r);
  E(from_ff)(r->x, w), E(from_ff)(r->y, w + EW);
}

static inline void C(aff_to_ff)(u32 *w, const C(aff) *p) {
  if (C(aff_is_inf)(p)) {
    for (int k = 0; k < 2 * EW; k++) w[k] = 0;
    return;
  }
  E(to_ff)(w, p->x), E(to_ff)(w + EW, p->y);
}

