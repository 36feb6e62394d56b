/*
 * Constant-time scalar multiplication [k]P, for the proof's blinding terms (r delta1, s delta1,
 * s delta2, s A, r B1, -rs delta1): their scalars are the secrets that hide the witness, so no
 * branch and no memory address may depend on them. The witness MSMs are variable time (see
 * DESIGN.md); these are not.
 *
 * - Homogeneous projective (X : Y : Z) and the complete addition formula for a = 0 of Renes,
 *   Costello and Batina ("Complete addition formulas for prime order elliptic curves", 2016,
 *   Algorithm 7): one formula for P + Q, P + P, P + (-P) and the point at infinity (0 : 1 : 0),
 *   so the sequence of field operations is the same for every scalar. It is complete on curves
 *   without points of order 2: G1 has prime order, G2's twist odd order h * r.
 * - Fixed 4-bit windows, 64 of them for a 256-bit scalar, every window 4 doublings and one
 *   addition, the addition of T[0] = infinity included.
 * - The table entry is read by masking: all 16 entries are read and the one whose index equals
 *   the digit kept through an all-ones mask computed without a comparison.
 * The field operations (field_template.h) are themselves branch-free: carries and conditional
 * subtractions are masks. Instantiated for G1 (over Fp) and G2 (over Fp2) by defining C, E,
 * ELEM and EW as for curve_template.h.
 */
typedef struct { ELEM x, y, z; } C(proj);

__attribute__((noinline)) static void C(proj_add)(C(proj) *r, const C(proj) *p, const C(proj) *q, const u32 *b3) {
  ELEM t0, t1, t2, t3, t4, x3, y3, z3;
  E(mul)(t0, p->x, q->x), E(mul)(t1, p->y, q->y), E(mul)(t2, p->z, q->z);
  E(add)(t3, p->x, p->y), E(add)(t4, q->x, q->y), E(mul)(t3, t3, t4);
  E(add)(t4, t0, t1), E(sub)(t3, t3, t4), E(add)(t4, p->y, p->z);
  E(add)(x3, q->y, q->z), E(mul)(t4, t4, x3), E(add)(x3, t1, t2);
  E(sub)(t4, t4, x3), E(add)(x3, p->x, p->z), E(add)(y3, q->x, q->z);
  E(mul)(x3, x3, y3), E(add)(y3, t0, t2), E(sub)(y3, x3, y3);
  E(add)(x3, t0, t0), E(add)(t0, x3, t0), E(mul)(t2, b3, t2);
  E(add)(z3, t1, t2), E(sub)(t1, t1, t2), E(mul)(y3, b3, y3);
  E(mul)(x3, t4, y3), E(mul)(t2, t3, t1), E(sub)(x3, t2, x3);
  E(mul)(y3, y3, t0), E(mul)(t1, t1, z3), E(add)(y3, t1, y3);
  E(mul)(t0, t0, t3), E(mul)(z3, z3, t4), E(add)(z3, z3, t0);
  E(copy)(r->x, x3), E(copy)(r->y, y3), E(copy)(r->z, z3);
}

static void C(proj_set_inf)(C(proj) *p) { E(set_zero)(p->x), E(set_one)(p->y), E(set_zero)(p->z); }

/* Zkey byte form (affine, all zeros for infinity) to projective. The point is public. */
static void C(proj_from_ff)(C(proj) *p, const u32 *w) {
  u32 o = 0;
  for (int k = 0; k < 2 * EW; k++) o |= w[k];
  if (o == 0) return C(proj_set_inf)(p);
  E(from_ff)(p->x, w), E(from_ff)(p->y, w + EW), E(set_one)(p->z);
}

/* Affine zkey byte form: Z = 0 (infinity) inverts to 0 and gives all zeros, the encoding of infinity. */
static void C(proj_to_ff)(u32 *w, const C(proj) *p) {
  ELEM zi, t;
  E(inv)(zi, p->z);
  E(mul)(t, p->x, zi), E(to_ff)(w, t);
  E(mul)(t, p->y, zi), E(to_ff)(w + EW, t);
}

/* r = table[d] for d < 16, reading every entry. */
static void C(ct_select)(C(proj) *r, const C(proj) *table, u32 d) {
  u32 *out = (u32 *)r;
  const u32 words = sizeof(C(proj)) / 4;
  for (u32 j = 0; j < words; j++) out[j] = 0;
  for (u32 i = 0; i < 16; i++) {
    /* (i ^ d) - 1 has its top bit set exactly when i == d (both < 16) */
    u32 mask = 0u - (((i ^ d) - 1u) >> 31);
    const u32 *src = (const u32 *)&table[i];
    for (u32 j = 0; j < words; j++) out[j] |= src[j] & mask;
  }
}

/* r = [k]p, k 8 little-endian words (any value below 2^256). */
static void C(mul_ct)(C(proj) *r, const C(proj) *p, const u32 *k, const u32 *b3) {
  C(proj) table[16], t;
  C(proj_set_inf)(&table[0]);
  table[1] = *p;
  for (int i = 2; i < 16; i++) C(proj_add)(&table[i], &table[i - 1], p, b3);
  C(proj_set_inf)(r);
  for (int win = 63; win >= 0; win--) {
    for (int d = 0; d < 4; d++) C(proj_add)(r, r, r, b3);
    C(ct_select)(&t, table, (k[win >> 3] >> ((win & 7) * 4)) & 15);
    C(proj_add)(r, r, &t, b3);
  }
}
