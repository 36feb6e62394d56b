/*
 * Radix-2 number-theoretic transforms over Fr, in place, without bit-reversal passes.
 *
 * The H pipeline needs, per polynomial, an inverse transform, a coset shift and a forward
 * transform. A decimation-in-frequency (Gentleman-Sande) transform takes natural order to
 * bit-reversed order and a decimation-in-time (Cooley-Tukey) one takes bit-reversed order back
 * to natural, so running the inverse as DIF and the forward as DIT, with the coset factors
 * applied at bit-reversed positions in between, never permutes the array: a permutation is a
 * pass of random accesses over 36-byte elements, as costly as a butterfly layer.
 *
 * One twiddle table, root^k for k < n/2, serves both directions; a layer with half-size len
 * uses every (n / 2len)-th entry.
 * The first butterfly of each block has twiddle 1 and skips its multiply: n - 1 of the
 * (n/2) log n multiplies of a transform, 1/7 of them at 2^15.
 */
#ifndef BN254_FR_FFT_H
#define BN254_FR_FFT_H
#include "fr.h"

typedef u32 fr_t[NL];

/* out[k] = first * step^k for k < count. */
static void fr_powers(fr_t *out, const u32 *first, const u32 *step, u32 count) {
  if (!count) return;
  fr_copy(out[0], first);
  for (u32 k = 1; k < count; k++) fr_mul(out[k], out[k - 1], step);
}

/* The root of unity of order 2^log_n that ffjavascript (hence snarkjs) uses: FR_ROOT squared. */
static void fr_root_of_order(u32 *w, u32 log_n) {
  static const u32 root[NL] = FR_ROOT_INIT;
  fr_copy(w, root);
  for (u32 k = FR_TWO_ADICITY; k > log_n; k--) fr_sqr(w, w);
}

static inline u32 bit_reverse(u32 i, u32 log_n) {
  return log_n ? __builtin_bitreverse32(i) >> (32 - log_n) : 0;
}

/*
 * The inverse transform (by root^-1), without its 1/n: natural order in, bit-reversed out;
 * tw[k] = root^k, k < n/2, the forward table. root^-j = -root^(n/2 - j) (root^(n/2) = -1), so
 * a butterfly that would multiply x - y by root^-j multiplies y - x by tw[n/2 - j] instead, and
 * no second table (18 bytes per domain element) is needed. Weak elements throughout.
 */
static void fft_dif_inv(fr_t *a, u32 log_n, const fr_t *tw) {
  u32 n = 1u << log_n, half = n >> 1;
  u32 t[NL];
  for (u32 len = n >> 1, stride = 1; len >= 1; len >>= 1, stride <<= 1)
    for (u32 base = 0; base < n; base += 2 * len) {
      u32 *x = a[base], *y = a[base + len];
      fr_sub(t, x, y); /* j = 0: the twiddle is 1 */
      fr_add(x, x, y);
      fr_copy(y, t);
      for (u32 j = 1; j < len; j++) {
        x = a[base + j], y = a[base + j + len];
        fr_sub(t, y, x);
        fr_add(x, x, y);
        fr_mul(y, t, tw[half - j * stride]);
      }
    }
}

/* The forward transform: bit-reversed order in, natural out (the inverse of fft_dif_inv's ordering). */
static void fft_dit(fr_t *a, u32 log_n, const fr_t *tw) {
  u32 n = 1u << log_n;
  u32 t[NL];
  for (u32 len = 1, stride = n >> 1; len < n; len <<= 1, stride >>= 1)
    for (u32 base = 0; base < n; base += 2 * len) {
      u32 *x = a[base], *y = a[base + len];
      fr_copy(t, y); /* j = 0: the twiddle is 1 */
      fr_sub(y, x, t);
      fr_add(x, x, t);
      for (u32 j = 1; j < len; j++) {
        x = a[base + j], y = a[base + j + len];
        fr_mul(t, y, tw[j * stride]);
        fr_sub(y, x, t);
        fr_add(x, x, t);
      }
    }
}

#endif
