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

/*
 * Inverse transform, coset shift (scaled by 1/n), forward transform of one polynomial. The
 * shift's factor g^k/n for the coefficient at bit-reversed position k is made as it goes (one
 * multiply more per element than a table, which would cost 36 bytes per domain element).
 */
static void to_coset(fr_t *a, u32 log_n, const fr_t *tw, const u32 *g, const u32 *n_inv) {
  fft_dif_inv(a, log_n, tw);
  u32 n = 1u << log_n, f[NL];
  fr_copy(f, n_inv);
  for (u32 k = 0; k < n; k++) {
    u32 *x = a[bit_reverse(k, log_n)];
    fr_mul(x, x, f);
    fr_mul(f, f, g);
  }
  fft_dit(a, log_n, tw);
}

/*
 * out: 32 * 2^log_n bytes, the H scalars (standard form, little-endian). coefs: ncoef records
 * (section 4 after its 4-byte count); witness: nvars values of 32 bytes (standard form, as in
 * a .wtns file). Returns 0, 1 when memory could not grow, 2 when a record names a matrix,
 * constraint or signal out of range (a corrupt or mismatched zkey).
 *
 * Scratch: two arrays of 36 bytes per domain element (A, B; then their coset values), and
 * either the converted witness (36 bytes per signal, freed after the coefficients) or the
 * twiddle table (18 bytes per domain element). C = A*B on the domain waits in out, in standard
 * form, while A and B are transformed; then it is read back into B's array for its own
 * transform: about 110 bytes per domain element where there were 216 (with a third array, the
 * inverse twiddles and a coset table), for one more conversion each way (n multiplies).
 */
EXPORT(h_poly)
int h_poly(u32 *out, const zkey_coef *coefs, u32 ncoef, const u32 *witness, u32 nvars, u32 log_n) {
  static const u32 wtns_k[NL] = FR_WTNS_K_INIT;
  /* Two arrays of 36 * 2^log_n bytes: beyond 2^24 they outgrow wasm32's 4 GiB. */
  if (log_n > 24) return 1;
  usize mark = arena_mark();
  u32 n = 1u << log_n, half = n > 1 ? n >> 1 : 1;
  fr_t *a = arena_alloc_array(n, sizeof(fr_t)), *b = arena_alloc_array(n, sizeof(fr_t));
  if (!a || !b) return arena_release(mark), 1;
  usize phase = arena_mark();
  fr_t *w = arena_alloc_array((u64)nvars + 1, sizeof(fr_t));
  if (!w) return arena_release(mark), 1;

  /* Witness values as w*2^10, so that one multiply by a raw coefficient lands in internal form. */
  for (u32 i = 0; i < nvars; i++) {
    u32 raw[NL];
    fr_from_words(raw, witness + 8 * (usize)i);
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
  arena_release(phase); /* the witness copy is done with: the twiddles take its place */
  for (u32 i = 0; i < n; i++) {
    u32 t[NL];
    fr_mul(t, a[i], b[i]);
    fr_to_std(out + 8 * (usize)i, t);
  }

  fr_t *tw = arena_alloc_array(half, sizeof(fr_t));
  if (!tw) return arena_release(mark), 1;
  u32 root[NL], g[NL], n_inv[NL], nn[NL];
  fr_root_of_order(root, log_n);
  fr_root_of_order(g, log_n + 1);
  fr_from_std(nn, (const u32[8]){n});
  fr_inv(n_inv, nn);
  fr_powers(tw, fr_one, root, half);

  to_coset(a, log_n, tw, g, n_inv);
  to_coset(b, log_n, tw, g, n_inv);
  for (u32 i = 0; i < n; i++) fr_mul(a[i], a[i], b[i]);
  for (u32 i = 0; i < n; i++) fr_from_std(b[i], out + 8 * (usize)i);
  to_coset(b, log_n, tw, g, n_inv);
  for (u32 i = 0; i < n; i++) {
    u32 t[NL];
    fr_sub(t, a[i], b[i]);
    fr_to_std(out + 8 * (usize)i, t);
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
TEST_EXPORT(fr_fft)
int fr_fft(u32 *a, u32 log_n, u32 inverse) {
  if (log_n > 24) return 1;
  usize mark = arena_mark();
  u32 n = 1u << log_n, half = n > 1 ? n >> 1 : 1;
  fr_t *x = arena_alloc_array(n, sizeof(fr_t)), *tw = arena_alloc_array(half, sizeof(fr_t));
  if (!x || !tw) return arena_release(mark), 1;
  u32 root[NL];
  fr_root_of_order(root, log_n);
  fr_powers(tw, fr_one, root, half);
  for (u32 i = 0; i < n; i++) fr_from_ff(x[inverse ? i : bit_reverse(i, log_n)], a + 8 * i);
  if (inverse) {
    u32 nn[NL], n_inv[NL];
    fft_dif_inv(x, log_n, tw);
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
