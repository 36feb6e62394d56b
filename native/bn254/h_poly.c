/*
 * The H evaluations of a Groth16 proof, computed as snarkjs 0.7.6 computes them so that the
 * proof's C is the same point: A, B from the zkey's coefficient section (section 4) and the
 * witness, C = A*B pointwise on the domain; each of A, B, C interpolated (inverse FFT),
 * shifted to the coset g*<w> where g is the root of unity of twice the domain's order, and
 * evaluated there (FFT); then A*B - C at every coset point, in standard form, which is what the
 * MSM against the zkey's section 9 takes as scalars.
 */
#include "arena.h"
#include "fr_fft.h"

/* A coefficient record of zkey section 4: matrix (0 = A, 1 = B), constraint, signal, value. */
typedef struct { u32 matrix, constraint, signal, value[8]; } zkey_coef;

/* Inverse transform, coset shift (scaled by 1/n), forward transform of one polynomial. */
static void to_coset(fr_t *a, u32 log_n, const fr_t *tw, const fr_t *tw_inv, const fr_t *shift) {
  fft_dif(a, log_n, tw_inv);
  u32 n = 1u << log_n;
  for (u32 i = 0; i < n; i++) fr_mul(a[i], a[i], shift[bit_reverse(i, log_n)]);
  fft_dit(a, log_n, tw);
}

/*
 * out: 32 * 2^log_n bytes, the H scalars (standard form, little-endian). coefs: ncoef records
 * (section 4 after its 4-byte count); witness: nvars values of 32 bytes (standard form, as in
 * a .wtns file). Returns 0, 1 when memory could not grow, 2 when a record names a matrix,
 * constraint or signal out of range (a corrupt or mismatched zkey).
 */
EXPORT(h_poly)
int h_poly(u32 *out, const zkey_coef *coefs, u32 ncoef, const u32 *witness, u32 nvars, u32 log_n) {
  static const u32 wtns_k[NL] = FR_WTNS_K_INIT;
  /* Four arrays of 36 * 2^log_n bytes: beyond 2^24 they outgrow wasm32's 4 GiB. */
  if (log_n > 24) return 1;
  usize mark = arena_mark();
  u32 n = 1u << log_n, half = n > 1 ? n >> 1 : 1;
  fr_t *a = arena_alloc((usize)n * sizeof(fr_t)), *b = arena_alloc((usize)n * sizeof(fr_t));
  fr_t *c = arena_alloc((usize)n * sizeof(fr_t)), *w = arena_alloc((usize)nvars * sizeof(fr_t) + 4);
  fr_t *tw = arena_alloc(half * sizeof(fr_t)), *tw_inv = arena_alloc(half * sizeof(fr_t));
  fr_t *shift = arena_alloc((usize)n * sizeof(fr_t));
  if (!a || !b || !c || !w || !tw || !tw_inv || !shift) return arena_release(mark), 1;

  /* Witness values as w*2^10, so that one multiply by a raw coefficient lands in internal form. */
  for (u32 i = 0; i < nvars; i++) {
    u32 raw[NL];
    fr_from_words(raw, witness + 8 * i);
    fr_mul(w[i], raw, wtns_k);
  }
  for (u32 i = 0; i < n; i++) fr_set_zero(a[i]), fr_set_zero(b[i]);
  for (u32 k = 0; k < ncoef; k++) {
    const zkey_coef *e = &coefs[k];
    if (e->matrix > 1 || e->constraint >= n || e->signal >= nvars) return arena_release(mark), 2;
    u32 raw[NL], t[NL];
    fr_from_words(raw, e->value);
    fr_mul(t, raw, w[e->signal]);
    u32 *dst = (e->matrix ? b : a)[e->constraint];
    fr_add(dst, dst, t);
  }
  for (u32 i = 0; i < n; i++) fr_mul(c[i], a[i], b[i]);

  u32 root[NL], root_inv[NL], g[NL], n_inv[NL], nn[NL];
  fr_root_of_order(root, log_n);
  fr_root_of_order(g, log_n + 1);
  fr_inv(root_inv, root);
  fr_from_std(nn, (const u32[8]){n});
  fr_inv(n_inv, nn);
  fr_powers(tw, fr_one, root, half);
  fr_powers(tw_inv, fr_one, root_inv, half);
  fr_powers(shift, n_inv, g, n); /* shift[k] = g^k / n: the 1/n of the inverse transform folded in */

  to_coset(a, log_n, tw, tw_inv, shift);
  to_coset(b, log_n, tw, tw_inv, shift);
  to_coset(c, log_n, tw, tw_inv, shift);
  for (u32 i = 0; i < n; i++) {
    u32 t[NL];
    fr_mul(t, a[i], b[i]);
    fr_sub(t, t, c[i]);
    fr_to_std(out + 8 * i, t);
  }
  arena_release(mark);
  return 0;
}

/*
 * One transform alone, for the differential tests: a (2^log_n elements of 32 bytes in the
 * ffjavascript/zkey form, Montgomery R = 2^256) is replaced by its FFT (inverse = 0) or inverse
 * FFT (inverse = 1) in natural order, as ffjavascript's Fr.fft / Fr.ifft compute them. The
 * prover never permutes; here a bit-reversal pass puts DIT's input and DIF's output in natural
 * order. Returns 0, or 1 when memory could not grow.
 */
EXPORT(fr_fft)
int fr_fft(u32 *a, u32 log_n, u32 inverse) {
  if (log_n > 24) return 1;
  usize mark = arena_mark();
  u32 n = 1u << log_n, half = n > 1 ? n >> 1 : 1;
  fr_t *x = arena_alloc((usize)n * sizeof(fr_t)), *tw = arena_alloc(half * sizeof(fr_t));
  if (!x || !tw) return arena_release(mark), 1;
  u32 root[NL];
  fr_root_of_order(root, log_n);
  if (inverse) fr_inv(root, root);
  fr_powers(tw, fr_one, root, half);
  for (u32 i = 0; i < n; i++) fr_from_ff(x[inverse ? i : bit_reverse(i, log_n)], a + 8 * i);
  if (inverse) {
    u32 nn[NL], n_inv[NL];
    fft_dif(x, log_n, tw);
    fr_from_std(nn, (const u32[8]){n});
    fr_inv(n_inv, nn);
    for (u32 i = 0; i < n; i++) fr_mul(x[i], x[i], n_inv);
  } else {
    fft_dit(x, log_n, tw);
  }
  for (u32 i = 0; i < n; i++) fr_to_ff(a + 8 * i, x[inverse ? bit_reverse(i, log_n) : i]);
  arena_release(mark);
  return 0;
}
