/*
 * Scalars for the MSM: reduction mod r, the GLV split, and signed window digits.
 *
 * Input scalars are 8 little-endian u32 words in standard (not Montgomery) form, as circom
 * witnesses and snarkjs's multiExpAffine take them. Values >= r are reduced first: the split
 * below needs k < r, and k*P = (k mod r)*P for every point of G1.
 */
#ifndef BN254_SCALAR_DIGITS_H
#define BN254_SCALAR_DIGITS_H
#include "base.h"
#include "constants.h"

typedef short i16;

static const u32 scalar_r[8] = FR_MOD32_INIT;

static void scalar_reduce(u32 *k) {
  for (;;) {
    int ge = 1;
    for (int w = 7; w >= 0; w--)
      if (k[w] != scalar_r[w]) {
        ge = k[w] > scalar_r[w];
        break;
      }
    if (!ge) return;
    u64 br = 0;
    for (int w = 0; w < 8; w++) {
      u64 d = (u64)k[w] - scalar_r[w] - br;
      k[w] = (u32)d;
      br = (d >> 32) & 1;
    }
  }
}

/* z = low nz words of x * y (x of nx words, y of ny words). */
MAYBE_UNUSED static void words_mul_lo(u32 *z, u32 nz, const u32 *x, u32 nx, const u32 *y, u32 ny) {
  for (u32 i = 0; i < nz; i++) z[i] = 0;
  for (u32 i = 0; i < nx && i < nz; i++) {
    u64 c = 0;
    for (u32 j = 0; j < ny && i + j < nz; j++) {
      c += (u64)x[i] * y[j] + z[i + j];
      z[i + j] = (u32)c;
      c >>= 32;
    }
    if (i + ny < nz) z[i + ny] = (u32)c;
  }
}

MAYBE_UNUSED static void words_sub6(u32 *z, const u32 *x, const u32 *y) {
  u64 br = 0;
  for (int w = 0; w < 6; w++) {
    u64 d = (u64)x[w] - y[w] - br;
    z[w] = (u32)d;
    br = (d >> 32) & 1;
  }
}

/* 6-word two's complement to sign and 4-word magnitude (the split bounds it below 2^128). */
MAYBE_UNUSED static int words_abs6(u32 *mag, const u32 *v) {
  int neg = v[5] >> 31;
  u64 c = neg;
  for (int w = 0; w < 4; w++) {
    u64 s = (u64)(neg ? ~v[w] : v[w]) + c;
    mag[w] = (u32)s;
    c = s >> 32;
  }
  return neg;
}

/*
 * k = k1 + k2*lambda mod r with |k1|, |k2| < 2^128 (Gallant-Lambert-Vanstone): c1, c2 are the
 * Babai roundings (k*g)>>256 of the lattice coordinates; then k1 = k - c1*A1 - c2*A2 and
 * k2 = -c1*B1 - c2*B2, computed mod 2^192 where the basis is stored in two's complement.
 * The bound (measured 127 bits on random scalars, under 2^127.5 by the rounding argument) is
 * checked by scripts/native/constants.mjs when the constants are generated.
 */
MAYBE_UNUSED static void glv_split(u32 *m1, int *neg1, u32 *m2, int *neg2, const u32 *k) {
  static const u32 g1[5] = GLV_G1_INIT, g2[5] = GLV_G2_INIT;
  static const u32 a1[6] = GLV_A1_INIT, b1[6] = GLV_B1_INIT;
  static const u32 a2[6] = GLV_A2_INIT, b2[6] = GLV_B2_INIT;
  u32 p[13], c1[6] = {0}, c2[6] = {0}, t[6], u[6], kk[6];
  words_mul_lo(p, 13, k, 8, g1, 5);
  for (int w = 0; w < 5; w++) c1[w] = p[8 + w];
  words_mul_lo(p, 13, k, 8, g2, 5);
  for (int w = 0; w < 5; w++) c2[w] = p[8 + w];
  for (int w = 0; w < 6; w++) kk[w] = k[w];
  words_mul_lo(t, 6, c1, 6, a1, 6);
  words_sub6(kk, kk, t);
  words_mul_lo(t, 6, c2, 6, a2, 6);
  words_sub6(kk, kk, t);
  words_mul_lo(t, 6, c1, 6, b1, 6);
  words_mul_lo(u, 6, c2, 6, b2, 6);
  static const u32 zero[6] = {0};
  words_sub6(t, zero, t);
  words_sub6(t, t, u);
  *neg1 = words_abs6(m1, kk);
  *neg2 = words_abs6(m2, t);
}

/*
 * Signed digits of a magnitude (nw words) in base 2^c: d_w in [-2^(c-1), 2^(c-1)), carrying 1
 * into the next window when a digit would be >= 2^(c-1); the top window keeps its carry (up to
 * 2^(c-1)), which callers allow for by choosing nwin with nwin*c > bit length. Halving the
 * digit range halves the buckets: -d uses bucket |d| with the point negated (a free y -> -y).
 * Writes digit w to out[w * stride]; neg flips every digit (the point is to be negated).
 */
static void signed_digits(i16 *out, usize stride, const u32 *mag, u32 nw, u32 c, u32 nwin, int neg) {
  u32 buf[12] = {0};
  for (u32 w = 0; w < nw; w++) buf[w] = mag[w];
  u32 carry = 0, half = 1u << (c - 1), mask = (1u << c) - 1;
  for (u32 w = 0; w < nwin; w++) {
    u32 bit = w * c, word = bit >> 5, sh = bit & 31;
    u64 v = buf[word] | ((u64)buf[word + 1] << 32);
    int d = (int)((u32)(v >> sh) & mask) + (int)carry;
    carry = 0;
    if ((u32)d >= half && w + 1 < nwin) d -= (int)(1u << c), carry = 1;
    out[w * stride] = (i16)(neg ? -d : d);
  }
}

#endif
